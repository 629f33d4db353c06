/**
 * Dot voting drawn on the board (issue 5): while a round runs, the shapes one can vote on are
 * outlined, each with a "+●" button, and the person's own dots sit on them as filled circles
 * (clicking them takes one back; only their own: the others' stay hidden until the round closes). After the lecturer closed
 * the round, every target carries a badge with its total, for everyone on the board.
 * Rendered in front of the canvas (see app/board/canvas-overlay.tsx) at the shapes' page
 * bounds, which follow the camera.
 */
import { useTranslation } from 'react-i18next'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import './vote-dots.css'

export type VoteDotsProps = {
  /** The running round on this board, or null. */
  round: { roundId: string; targets: { id: string; label: string }[] } | null
  /** The person's own dots in the running round, by target. */
  myDots: Record<string, number> | null
  /** The latest closed round on this board, shown while no round runs. */
  results: { roundId: string; totals: { id: string; label: string; dots: number }[] } | null
  /** Places one more dot on a target (participants); without it no "+●" buttons are shown. */
  onDot?: (target: string, delta: 1 | -1) => void
}

type Placed = { id: string; label: string; x: number; y: number; w: number; h: number }

/** Where the given shapes are on screen (viewport pixels), skipping those not on the current page. */
function usePlaced(targets: { id: string; label: string }[]): Placed[] {
  const editor = useEditor()
  return useValue('vote-dots-placed', () => {
    const pageId = editor.getCurrentPageId()
    return targets.flatMap((target) => {
      const id = target.id as TLShapeId
      if (!editor.getShape(id) || editor.getAncestorPageId(id) !== pageId) return []
      const bounds = editor.getShapePageBounds(id)
      if (!bounds) return []
      const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
      const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
      return [{ ...target, x: topLeft.x, y: topLeft.y, w: bottomRight.x - topLeft.x, h: bottomRight.y - topLeft.y }]
    })
  }, [editor, targets])
}

/** The overlay; draws nothing when there is neither a round nor a result. */
export function VoteDots({ round, myDots, results, onDot }: VoteDotsProps) {
  if (round) return <RunningRound round={round} myDots={myDots} onDot={onDot} />
  if (results) return <ClosedRound results={results} />
  return null
}

function RunningRound({ round, myDots, onDot }: { round: NonNullable<VoteDotsProps['round']>; myDots: VoteDotsProps['myDots']; onDot?: VoteDotsProps['onDot'] }) {
  const { t } = useTranslation()
  const placed = usePlaced(round.targets)
  return (
    <div className="vote-dots" data-testid="vote-dots">
      {placed.map((shape) => {
        const mine = myDots?.[shape.id] ?? 0
        return (
          <div
            key={shape.id}
            className="vote-target"
            data-testid="vote-target"
            data-shape={shape.id}
            title={t('voteDots.target')}
            style={{ left: shape.x, top: shape.y, width: shape.w + 12, height: shape.h + 12 }}
          >
            {mine > 0 ? (
              // Clicking one's own dots takes one back.
              <button
                type="button"
                className="vote-my-dots"
                data-testid="vote-my-dots"
                data-count={mine}
                aria-label={`${t('voteDots.mine', { count: mine })} – ${t('voteDots.remove')}`}
                title={t('voteDots.remove')}
                disabled={!onDot}
                onPointerDown={(event) => event.stopPropagation()}
                onClick={() => onDot?.(shape.id, -1)}
              >
                {Array.from({ length: mine }, (_, i) => (
                  <span key={i} className="vote-dot" />
                ))}
              </button>
            ) : null}
            {onDot ? (
              <button
                type="button"
                className="vote-add"
                data-testid="vote-add"
                aria-label={`${t('voteDots.add')}: ${shape.label}`}
                title={t('voteDots.add')}
                onPointerDown={(event) => event.stopPropagation()}
                onClick={() => onDot(shape.id, 1)}
              >
                +●
              </button>
            ) : null}
          </div>
        )
      })}
    </div>
  )
}

function ClosedRound({ results }: { results: NonNullable<VoteDotsProps['results']> }) {
  const { t } = useTranslation()
  const placed = usePlaced(results.totals)
  const dots = new Map(results.totals.map((total) => [total.id, total.dots]))
  return (
    <div className="vote-dots" data-testid="vote-dots">
      {placed.map((shape) => (
        <span key={shape.id} className="vote-total-badge" data-testid="vote-total-badge" data-shape={shape.id} data-count={dots.get(shape.id) ?? 0} style={{ left: shape.x + shape.w, top: shape.y }}>
          {t('voteDots.total', { count: dots.get(shape.id) ?? 0 })}
        </span>
      ))}
    </div>
  )
}
