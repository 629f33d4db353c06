/**
 * The slim session bar on a board page. Participants see the phase and its task, the shared
 * countdown, announcements (until dismissed) and hand/help buttons, and their board follows a
 * summon (navigate to the board, then move the camera). Facilitators get "bring everyone here"
 * with their own camera, "release" and the way back to the Leitstand.
 */
import { Link, useNavigate } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import { useCanvasOverlay } from '~/board/canvas-overlay'
import { Countdown } from './Countdown'
import { PlenaryView } from './PlenaryView'
import { PrivateModeButton } from './PrivateModeButton'
import { VoteDots } from './VoteDots.client'
import { VoteResults } from './VoteResults'
import { serverNow, type LiveSessionHandle } from './useSession'

type Props = {
  session: { id: string; title: string; leitstand: string; facilitator: boolean; groupId: string | null }
  /** The page's live session (useBoardSession): its state, role and commands. */
  live: LiveSessionHandle
  boardId: string
  personId: string
  editor: Editor | null
  /** The lecturer locked the whole board. */
  boardLocked?: boolean
}

const DISMISSED_KEY = 'werkraum:dismissed-announcements'
/** A summon without follow mode older than this no longer pulls people who join later. */
const SUMMON_FRESH_MS = 5 * 60_000
const handledKey = (sessionId: string) => `werkraum:summon-handled:${sessionId}`

function readDismissed(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]')
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** The session bar; renders nothing until the session answered, and nothing once it ended. */
export function SessionBar({ session: info, live, boardId, personId, editor, boardLocked = false }: Props) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { session, role, group, skewMs, error, send, emit } = live
  const lockSelection = (locked: boolean) => {
    const ids = editor?.getSelectedShapeIds() ?? []
    if (ids.length === 0) return
    const single = ids.length === 1 ? editor!.getShape(ids[0]) : null
    const target = single?.type === 'frame' ? { kind: 'frame' as const, id: single.id } : { kind: 'shapes' as const, ids }
    void emit('board:lock', { boardId, target, locked })
  }
  const [dismissed, setDismissed] = useState<string[]>([])
  useEffect(() => setDismissed(readDismissed()), [])
  const [voteDots, setVoteDots] = useState(3)
  const [voteAnonymous, setVoteAnonymous] = useState(true)
  const [myDots, setMyDots] = useState<{ mine: Record<string, number>; left: number } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [plenaryClosedAt, setPlenaryClosedAt] = useState<number | null>(null)
  const roundId = session?.state.votes.find((v) => v.boardId === boardId)?.roundId ?? null
  useEffect(() => {
    setMyDots(null)
    if (!roundId) return
    void emit('vote:mine', { sessionId: info.id, boardId }).then((answer) => {
      if (answer.ok) setMyDots((answer.dots as typeof myDots) ?? null)
    })
  }, [roundId, emit, info.id, boardId])
  const dotOn = useCallback(
    (target: string, delta: 1 | -1) => {
      void emit('vote:dot', { sessionId: info.id, target, delta, boardId }).then((answer) => {
        if (answer.ok) {
          setMyDots({ mine: answer.mine as Record<string, number>, left: answer.left as number })
          setNotice(null)
        } else setNotice(t('facilitation.voteRefused', { error: answer.error }))
      })
    },
    [emit, info.id, boardId, t],
  )
  const placeDot = (delta: 1 | -1) => {
    const target = editor?.getOnlySelectedShapeId()
    if (!target) return setNotice(t('facilitation.voteHint'))
    dotOn(target, delta)
  }
  // The round and the latest result of this board, drawn on its shapes (VoteDots.client.tsx).
  const open = session?.status === 'open' ? session : null
  const roundHere = open?.state.votes.find((v) => v.boardId === boardId) ?? null
  const resultHere = open?.state.voteResults.filter((r) => r.boardId === boardId).at(-1) ?? null
  useCanvasOverlay(
    useMemo(
      () => (roundHere || resultHere ? <VoteDots round={roundHere} myDots={myDots?.mine ?? null} results={resultHere} onDot={role === 'participant' ? dotOn : undefined} /> : null),
      [roundHere, resultHere, myDots, role, dotOn],
    ),
  )
  const startVote = () => {
    const frame = editor?.getOnlySelectedShape()
    if (!frame || frame.type !== 'frame') return setNotice(t('facilitation.selectFrame'))
    void emit('vote:start', { sessionId: info.id, boardId, frameId: frame.id, dotsPerPerson: voteDots, anonymous: voteAnonymous }).then((answer) =>
      setNotice(answer.ok ? null : t('facilitation.voteRefused', { error: answer.error })),
    )
  }

  const summon = session?.status === 'open' ? session.state.summon : null
  // Private mode (decision 0020): the board page binds the private layer; the bar shows the hint and the lecturer's button.
  const privateOn = session?.status === 'open' && session.state.privateBoards.includes(boardId)
  useEffect(() => {
    if (role !== 'participant' || !summon) return
    const handled = Number(sessionStorage.getItem(handledKey(info.id)) ?? 0)
    const fresh = summon.at > handled
    // Another group's board: this person may not open it, and sees it in the plenary view instead.
    if (summon.municipalityId && summon.municipalityId !== group) return
    if (summon.boardId !== boardId) {
      if (summon.follow || (fresh && serverNow(skewMs) - summon.at < SUMMON_FRESH_MS)) navigate(`/boards/${summon.boardId}`)
      return
    }
    if (!editor || !fresh) return
    if (summon.camera) editor.setCamera(summon.camera)
    sessionStorage.setItem(handledKey(info.id), String(summon.at))
  }, [role, group, summon, boardId, editor, info.id, navigate, skewMs])

  if (error) return <p className="session-bar session-bar-error">{t('facilitation.refused', { error })}</p>
  if (!session || session.status !== 'open' || session.id !== info.id) return null

  const phase = session.state.phaseIndex !== null ? session.phases[session.state.phaseIndex] : null
  const groupTimer = info.groupId ? (session.state.timers.groups[info.groupId] ?? null) : null
  const announcement = session.state.announcements
    .filter((a) => !a.municipalityIds || (info.groupId !== null && a.municipalityIds.includes(info.groupId)))
    .filter((a) => !dismissed.includes(a.id))
    .at(-1)
  const vote = session.state.votes.find((v) => v.boardId === boardId) ?? null
  const results = session.state.voteResults.filter((r) => r.boardId === boardId)
  const raised = (kind: 'hand' | 'help') => session.state.hands.some((h) => h.personId === personId && h.kind === kind)
  const dismiss = (id: string) => {
    const next = [...readDismissed(), id].slice(-50)
    localStorage.setItem(DISMISSED_KEY, JSON.stringify(next))
    setDismissed(next)
  }

  return (
    <div className="session-area">
      <div className="session-bar" data-testid="session-bar" aria-label={session.title} role="region">
        <strong className="session-title">{session.title}</strong>
        <span className="session-phase" data-testid="session-phase">
          {phase ? phase.title : t('facilitation.noPhase')}
          {phase?.prompt ? <span className="muted"> · {phase.prompt}</span> : null}
        </span>
        {/* The group's own timer while it runs; once it is over, the timer for all again. */}
        <Countdown timer={groupTimer ?? session.state.timers.all} yieldTo={groupTimer ? session.state.timers.all : undefined} skewMs={skewMs} />
        {role === 'participant' ? (
          <span className="session-actions">
            <button type="button" aria-pressed={raised('hand')} onClick={() => void send({ type: 'hand', kind: 'hand', raised: !raised('hand') })}>
              {raised('hand') ? t('facilitation.lowerHand') : t('facilitation.raiseHand')}
            </button>
            <button type="button" aria-pressed={raised('help')} onClick={() => void send({ type: 'hand', kind: 'help', raised: !raised('help') })}>
              {raised('help') ? t('facilitation.cancelHelp') : t('facilitation.askHelp')}
            </button>
          </span>
        ) : null}
        {role === 'facilitator' ? (
          <span className="session-actions">
            <button type="button" data-testid="summon-here" disabled={!editor} onClick={() => editor && void send({ type: 'summon', boardId, camera: editor.getCamera(), follow: false })}>
              {t('facilitation.summonHere')}
            </button>
            <button type="button" data-testid="lock-board" aria-pressed={boardLocked} onClick={() => void emit('board:lock', { boardId, target: { kind: 'board' }, locked: !boardLocked })}>
              {boardLocked ? t('facilitation.unlockBoard') : t('facilitation.lockBoard')}
            </button>
            <button type="button" disabled={!editor} onClick={() => lockSelection(true)}>
              {t('facilitation.lockSelection')}
            </button>
            <button type="button" disabled={!editor} onClick={() => lockSelection(false)}>
              {t('facilitation.unlockSelection')}
            </button>
            {summon ? (
              <button type="button" onClick={() => void send({ type: 'release' })}>
                {t('facilitation.release')}
              </button>
            ) : null}
            <PrivateModeButton sessionId={info.id} boardId={boardId} on={privateOn} emit={emit} />
            <Link to={info.leitstand}>{t('facilitation.leitstand')}</Link>
          </span>
        ) : null}
      </div>
      {vote || role === 'facilitator' || results.length > 0 ? (
        <div className="session-vote" role="region" aria-label={t('facilitation.vote')} data-testid="session-vote">
          {vote && role === 'participant' ? (
            <>
              <span data-testid="vote-left">{t('facilitation.voteLeft', { count: myDots?.left ?? vote.dotsPerPerson, total: vote.dotsPerPerson })}</span>
              <button type="button" data-testid="vote-place" onClick={() => placeDot(1)}>
                {t('facilitation.votePlace')}
              </button>
              <button type="button" onClick={() => placeDot(-1)}>
                {t('facilitation.voteRemove')}
              </button>
              {myDots ? (
                <span className="muted">
                  {vote.targets
                    .filter((x) => myDots.mine[x.id])
                    .map((x) => `${x.label} ●×${myDots.mine[x.id]}`)
                    .join(' · ')}
                </span>
              ) : null}
            </>
          ) : null}
          {role === 'facilitator' && !vote ? (
            <>
              <label>
                {t('facilitation.voteDots')} <input type="number" min={1} max={20} value={voteDots} onChange={(e) => setVoteDots(Math.min(20, Math.max(1, Number(e.target.value) || 1)))} />
              </label>
              <label>
                <input type="checkbox" checked={voteAnonymous} onChange={(e) => setVoteAnonymous(e.target.checked)} /> {t('facilitation.voteAnonymous')}
              </label>
              <button type="button" data-testid="vote-start" disabled={!editor} onClick={startVote}>
                {t('facilitation.voteStart')}
              </button>
            </>
          ) : null}
          {role === 'facilitator' && vote ? (
            <button type="button" data-testid="vote-close" onClick={() => void emit('vote:close', { sessionId: info.id, boardId })}>
              {t('facilitation.voteClose')}
            </button>
          ) : null}
          {notice ? <span role="status">{notice}</span> : null}
          {results.length > 0 ? (
            <details open>
              <summary>{t('facilitation.voteResults')}</summary>
              <VoteResults results={results.slice(-1)} />
            </details>
          ) : null}
        </div>
      ) : null}
      {privateOn && role === 'participant' ? (
        <p className="session-announcement session-private" role="status" data-testid="private-hint">
          {t('facilitation.private.hint')}
        </p>
      ) : null}
      {role === 'participant' && summon?.municipalityId && summon.municipalityId !== group && summon.at !== plenaryClosedAt ? (
        <PlenaryView src={`${info.leitstand}/plenum`} title={summon.title ?? ''} onClose={() => setPlenaryClosedAt(summon.at)} />
      ) : null}
      {announcement ? (
        <div className="session-announcement" role="status" data-testid="session-announcement">
          <span>{announcement.text}</span>
          <button type="button" onClick={() => dismiss(announcement.id)}>
            {t('facilitation.dismiss')}
          </button>
        </div>
      ) : null}
    </div>
  )
}
