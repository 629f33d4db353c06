/**
 * The lecturer's Leitstand over a live session: the phase and "next phase", the timer for all,
 * announcements, summon and release, the queue of raised hands and help signals, and a grid of
 * every group with its board's thumbnail and who is present (both refreshed every few seconds).
 */
import { Link, useNavigate, useRevalidator } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Countdown } from './Countdown'
import { GroupActivity } from './GroupActivity'
import type { GroupActivity as Activity } from './group-activity.server'
import { PhaseSummary } from './PhaseSummary'
import { VoteResults } from './VoteResults'
import { PrivateModeButton } from './PrivateModeButton'
import { useSession } from './useSession'
import type { Command, Timer } from '../../collab/features/facilitation.server'

type Group = { id: string; name: string; board: { id: string; title: string } | null; present: number; activity?: Activity | null }
type Props = {
  course: { id: string; name: string }
  session: { id: string; title: string }
  groups: Group[]
  courseBoards: { id: string; title: string }[]
  /** Server time when the page data was read (for "vor 2 Min."). */
  serverNow?: number
}

/** How often thumbnails and presence are refreshed. */
const REFRESH_MS = 3000

/** Re-reads the page's data (presence) and bumps a counter (thumbnail URLs) every `REFRESH_MS` while the tab is visible. */
function useRefresh(): number {
  const revalidator = useRevalidator()
  const [round, setRound] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return
      setRound((n) => n + 1)
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [revalidator])
  return round
}

/** The whole Leitstand page. */
export function Leitstand({ course, session: info, groups, courseBoards, serverNow = Date.now() }: Props) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { session, skewMs, connected, error, send, emit } = useSession(info.id)
  const round = useRefresh()
  const [minutes, setMinutes] = useState(10)
  const [announcement, setAnnouncement] = useState('')
  const [audience, setAudience] = useState('')
  const summonTargets = [...courseBoards, ...groups.flatMap((g) => (g.board ? [{ id: g.board.id, title: `${g.board.title} (${g.name})` }] : []))]
  const [target, setTarget] = useState(summonTargets[0]?.id ?? '')
  const [follow, setFollow] = useState(false)
  const base = `/kurse/${course.id}/sitzung/${info.id}`
  const [phaseProblem, setPhaseProblem] = useState<string | null>(null)
  /** Advances the phase; names the group boards it could not be applied to (the others have it). */
  const advance = async (index: number) => {
    const answer = (await send({ type: 'phase', index })) as { ok: boolean; failedBoards?: string[] }
    const failed = answer.failedBoards ?? []
    setPhaseProblem(
      failed.length
        ? t('script.failedBoards', {
            names: groups
              .filter((g) => g.board && failed.includes(g.board.id))
              .map((g) => g.name)
              .join(', '),
          })
        : null,
    )
  }

  if (error)
    return (
      <main className="page">
        <p role="alert" className="alert-box">
          {t('facilitation.refused', { error })}
        </p>
      </main>
    )
  if (!session)
    return (
      <main className="page">
        <p role="status">{t('facilitation.connecting')}</p>
      </main>
    )

  const state = session.state
  const ended = session.status === 'ended'
  const phase = state.phaseIndex !== null ? session.phases[state.phaseIndex] : null
  const nextIndex = (state.phaseIndex ?? -1) + 1
  const timer = state.timers.all
  const groupName = new Map(groups.map((g) => [g.id, g.name]))
  const boardName = new Map([...courseBoards.map((b) => [b.id, b.title] as const), ...groups.flatMap((g) => (g.board ? [[g.board.id, g.name] as const] : []))])
  const hands = [...state.hands].sort((a, b) => a.at - b.at)

  const announce = (event: FormEvent) => {
    event.preventDefault()
    if (!announcement.trim()) return
    void send({ type: 'announce', text: announcement.trim(), ...(audience ? { municipalityIds: [audience] } : {}) }).then((answer) => {
      if (answer.ok) setAnnouncement('')
    })
  }
  // One click shows a group's board to everyone (plenary): all are brought there, and so is the lecturer.
  const showToAll = (boardId: string) => {
    void send({ type: 'summon', boardId, follow: false }).then((answer) => {
      if (answer.ok) navigate(`/boards/${boardId}`)
    })
  }
  const summon = (event: FormEvent) => {
    event.preventDefault()
    if (!target) return
    void send({ type: 'summon', boardId: target, follow }).then((answer) => {
      if (answer.ok) navigate(`/boards/${target}`)
    })
  }

  return (
    <main className="page leitstand" aria-labelledby="leitstand-heading">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/kurse/${course.id}`}>{course.name}</Link> · {t('facilitation.leitstand')} · <Link to={`${base}/ablauf`}>{t('script.toScript')}</Link>
          </p>
          <h1 id="leitstand-heading">{session.title}</h1>
        </div>
        <span className={`connection connection-${connected ? 'live' : 'offline'}`} role="status">
          {connected ? t('board.live') : t('board.connecting')}
        </span>
      </div>
      {ended ? <p className="notice">{t('facilitation.ended')}</p> : null}

      <div className="leitstand-controls">
        <section className="card" aria-labelledby="phase-heading">
          <h2 id="phase-heading">{t('facilitation.phase')}</h2>
          <p data-testid="leitstand-phase">
            <strong>{phase ? `${(state.phaseIndex ?? 0) + 1}. ${phase.title}` : t('facilitation.noPhase')}</strong>
            {phase?.prompt ? <span className="muted"> · {phase.prompt}</span> : null}
          </p>
          {session.phases.length > 0 ? (
            <ol className="phase-list">
              {session.phases.map((p, i) => (
                <li key={p.id} aria-current={i === state.phaseIndex ? 'step' : undefined}>
                  {p.title}
                  {p.durationSeconds ? <span className="muted"> · {Math.round(p.durationSeconds / 60)} min</span> : null}
                  <PhaseSummary phase={p} />
                </li>
              ))}
            </ol>
          ) : null}
          <button type="button" disabled={ended || nextIndex >= session.phases.length} onClick={() => void advance(nextIndex)}>
            {state.phaseIndex === null ? t('facilitation.startPhase') : t('facilitation.nextPhase')}
          </button>
          {phaseProblem ? (
            <p role="alert" className="error">
              {phaseProblem}
            </p>
          ) : null}
        </section>

        <section className="card" aria-labelledby="timer-heading">
          <h2 id="timer-heading">{t('facilitation.timer')}</h2>
          <p className="leitstand-countdown">
            <Countdown timer={timer} skewMs={skewMs} />
          </p>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault()
              void send({ type: 'timer', action: 'start', seconds: minutes * 60 })
            }}
          >
            <span className="field">
              <label htmlFor="timer-minutes">{t('facilitation.minutes')}</label>
              <input id="timer-minutes" type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Math.min(240, Math.max(1, Number(e.target.value) || 1)))} className="minutes" />
            </span>
            <button type="submit" disabled={ended}>
              {t('facilitation.start')}
            </button>
          </form>
          <p className="actions timer-actions">
            {timer?.running ? (
              <button type="button" onClick={() => void send({ type: 'timer', action: 'pause' })}>
                {t('facilitation.pause')}
              </button>
            ) : (
              <button type="button" disabled={!timer} onClick={() => void send({ type: 'timer', action: 'resume' })}>
                {t('facilitation.resume')}
              </button>
            )}
            <button type="button" disabled={!timer} onClick={() => void send({ type: 'timer', action: 'add', seconds: 300 })}>
              {t('facilitation.addFive')}
            </button>
            <button type="button" disabled={!timer} onClick={() => void send({ type: 'timer', action: 'stop' })}>
              {t('facilitation.stop')}
            </button>
          </p>
        </section>

        <section className="card" aria-labelledby="announce-heading">
          <h2 id="announce-heading">{t('facilitation.announce')}</h2>
          <form className="stack-form" onSubmit={announce}>
            <label htmlFor="announce-text" className="visually-hidden">
              {t('facilitation.announce')}
            </label>
            <textarea id="announce-text" rows={2} maxLength={500} value={announcement} onChange={(e) => setAnnouncement(e.target.value)} placeholder={t('facilitation.announcePlaceholder')} />
            <label htmlFor="announce-to">{t('facilitation.announceTo')}</label>
            <select id="announce-to" value={audience} onChange={(e) => setAudience(e.target.value)}>
              <option value="">{t('facilitation.everyone')}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
            <button type="submit" disabled={ended}>
              {t('facilitation.send')}
            </button>
          </form>
        </section>

        <section className="card" aria-labelledby="summon-heading">
          <h2 id="summon-heading">{t('facilitation.summon')}</h2>
          <form className="stack-form" onSubmit={summon}>
            <label htmlFor="summon-target">{t('facilitation.summonTo')}</label>
            <select id="summon-target" value={target} onChange={(e) => setTarget(e.target.value)}>
              {summonTargets.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title}
                </option>
              ))}
            </select>
            <label className="checkbox">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t('facilitation.follow')}
            </label>
            <button type="submit" disabled={ended || !target}>
              {t('facilitation.summon')}
            </button>
          </form>
          {state.summon ? (
            <p className="notice">
              {t('facilitation.summoned', { title: summonTargets.find((b) => b.id === state.summon!.boardId)?.title ?? '' })}{' '}
              <button type="button" onClick={() => void send({ type: 'release' })}>
                {t('facilitation.release')}
              </button>
            </p>
          ) : null}
        </section>

        <section className="card" aria-labelledby="vote-heading">
          <h2 id="vote-heading">{t('facilitation.vote')}</h2>
          {state.votes.length > 0 ? (
            <ul className="link-list" data-testid="vote-rounds">
              {state.votes.map((v) => (
                <li key={v.roundId} className="actions" data-testid="vote-round">
                  <span>
                    {boardName.get(v.boardId) ?? ''} · {v.targets.length} · {t('facilitation.voteDots')}: {v.dotsPerPerson}
                  </span>{' '}
                  <button type="button" data-testid="vote-close" onClick={() => void emit('vote:close', { sessionId: info.id, boardId: v.boardId })}>
                    {t('facilitation.voteClose')}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <h3>{t('facilitation.voteResults')}</h3>
          <VoteResults results={state.voteResults} />
        </section>

        <section className="card" aria-labelledby="hands-heading">
          <h2 id="hands-heading">{t('facilitation.hands')}</h2>
          {hands.length === 0 ? (
            <p className="muted">{t('facilitation.noHands')}</p>
          ) : (
            <ul className="hand-queue" data-testid="hand-queue">
              {hands.map((h) => (
                <li key={`${h.personId}-${h.kind}`} className={`hand hand-${h.kind}`}>
                  <span>
                    <span className={`signal signal-${h.kind}`}>{t(`facilitation.${h.kind}`)}</span> <strong>{h.name}</strong>
                    {h.municipalityId ? <span className="muted"> · {groupName.get(h.municipalityId) ?? ''}</span> : null}
                  </span>
                  <button type="button" onClick={() => void send({ type: 'hand:clear', personId: h.personId })}>
                    {t('facilitation.done')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">{t('facilitation.groups')}</h2>
        <ul className="group-grid">
          {groups.map((g) => {
            const signals = hands.filter((h) => h.municipalityId === g.id)
            return (
              <li key={g.id} className={`group-card card${signals.some((h) => h.kind === 'help') ? ' group-help' : ''}`} data-testid="group-card" data-group={g.name}>
                <h3>
                  {g.name}{' '}
                  {signals.map((h) => (
                    <span key={`${h.personId}-${h.kind}`} className={`signal signal-${h.kind}`} title={h.name}>
                      {t(`facilitation.${h.kind}`)}
                    </span>
                  ))}
                </h3>
                <p className="muted" data-testid="group-presence">
                  {t('facilitation.present', { count: g.present })}
                </p>
                {g.board ? <GroupActivity activity={g.activity ?? null} now={serverNow} /> : null}
                <GroupTimer groupId={g.id} timer={state.timers.groups[g.id] ?? null} skewMs={skewMs} minutes={minutes} send={send} />
                {g.board ? (
                  <>
                    <img
                      className="thumbnail"
                      src={`${base}/vorschau/${g.board.id}?v=${round}`}
                      alt={t('facilitation.thumbnail', { name: g.name })}
                      width={320}
                      height={200}
                      data-testid="group-thumbnail"
                    />
                    <Link to={`/boards/${g.board.id}`} className="button-link">
                      {t('facilitation.openBoard')}
                    </Link>
                    {!ended ? (
                      <button type="button" data-testid="show-to-all" onClick={() => showToAll(g.board!.id)}>
                        {t('facilitation.showToAll')}
                      </button>
                    ) : null}
                    {!ended ? <PrivateModeButton sessionId={info.id} boardId={g.board.id} on={state.privateBoards.includes(g.board.id)} emit={emit} /> : null}
                  </>
                ) : (
                  <p className="muted">{t('facilitation.noBoard')}</p>
                )}
              </li>
            )
          })}
        </ul>
      </section>

      {!ended ? (
        <p>
          <button type="button" className="danger" onClick={() => window.confirm(t('facilitation.endConfirm')) && void send({ type: 'end' })}>
            {t('facilitation.endSession')}
          </button>
        </p>
      ) : null}
    </main>
  )
}

/** The timer of one group (overrides the timer for all on that group's screens): start with the chosen minutes, pause, resume, +5, stop. */
function GroupTimer({ groupId, timer, skewMs, minutes, send }: { groupId: string; timer: Timer | null; skewMs: number; minutes: number; send: (c: Command) => Promise<unknown> }) {
  const { t } = useTranslation()
  return (
    <details className="group-timer" data-testid="group-timer" open={timer !== null}>
      <summary>
        {t('facilitation.groupTimer')} <Countdown timer={timer} skewMs={skewMs} />
      </summary>
      <span className="actions">
        {!timer ? (
          <button type="button" onClick={() => void send({ type: 'timer', action: 'start', seconds: minutes * 60, groupId })}>
            {t('facilitation.start')}
          </button>
        ) : timer.running ? (
          <button type="button" onClick={() => void send({ type: 'timer', action: 'pause', groupId })}>
            {t('facilitation.pause')}
          </button>
        ) : (
          <button type="button" onClick={() => void send({ type: 'timer', action: 'resume', groupId })}>
            {t('facilitation.resume')}
          </button>
        )}
        <button type="button" disabled={!timer} onClick={() => void send({ type: 'timer', action: 'add', seconds: 300, groupId })}>
          {t('facilitation.addFive')}
        </button>
        <button type="button" disabled={!timer} onClick={() => void send({ type: 'timer', action: 'stop', groupId })}>
          {t('facilitation.stop')}
        </button>
      </span>
    </details>
  )
}
