/**
 * The slim session bar on a board page. Participants see the phase and its task, the shared
 * countdown, announcements (until dismissed) and hand/help buttons, and their board follows a
 * summon (navigate to the board, then move the camera). Facilitators get "bring everyone here"
 * with their own camera, "release" and the way back to the Leitstand.
 */
import { Link, useNavigate } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import { Countdown } from './Countdown'
import { serverNow, useSession } from './useSession'

type Props = {
  session: { id: string; title: string; leitstand: string; facilitator: boolean; groupId: string | null }
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
export function SessionBar({ session: info, boardId, personId, editor, boardLocked = false }: Props) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { session, role, skewMs, error, send, emit } = useSession(info.id)
  const lockSelection = (locked: boolean) => {
    const ids = editor?.getSelectedShapeIds() ?? []
    if (ids.length === 0) return
    const single = ids.length === 1 ? editor!.getShape(ids[0]) : null
    const target = single?.type === 'frame' ? { kind: 'frame', id: single.id } : { kind: 'shapes', ids }
    void emit('board:lock', { boardId, target, locked })
  }
  const [dismissed, setDismissed] = useState<string[]>([])
  useEffect(() => setDismissed(readDismissed()), [])

  const summon = session?.status === 'open' ? session.state.summon : null
  useEffect(() => {
    if (role !== 'participant' || !summon) return
    const handled = Number(sessionStorage.getItem(handledKey(info.id)) ?? 0)
    const fresh = summon.at > handled
    if (summon.boardId !== boardId) {
      if (summon.follow || (fresh && serverNow(skewMs) - summon.at < SUMMON_FRESH_MS)) navigate(`/boards/${summon.boardId}`)
      return
    }
    if (!editor || !fresh) return
    if (summon.camera) editor.setCamera(summon.camera)
    sessionStorage.setItem(handledKey(info.id), String(summon.at))
  }, [role, summon, boardId, editor, info.id, navigate, skewMs])

  if (error) return <p className="session-bar session-bar-error">{t('facilitation.refused', { error })}</p>
  if (!session || session.status !== 'open') return null

  const phase = session.state.phaseIndex !== null ? session.phases[session.state.phaseIndex] : null
  const timer = (info.groupId && session.state.timers.groups[info.groupId]) || session.state.timers.all
  const announcement = session.state.announcements
    .filter((a) => !a.municipalityIds || (info.groupId !== null && a.municipalityIds.includes(info.groupId)))
    .filter((a) => !dismissed.includes(a.id))
    .at(-1)
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
        <Countdown timer={timer} skewMs={skewMs} />
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
            <button
              type="button"
              data-testid="summon-here"
              disabled={!editor}
              onClick={() => editor && void send({ type: 'summon', boardId, camera: editor.getCamera(), follow: false })}
            >
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
            <Link to={info.leitstand}>{t('facilitation.leitstand')}</Link>
          </span>
        ) : null}
      </div>
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
