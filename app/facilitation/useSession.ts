/**
 * The browser's side of a live session: joins it over socket.io (the session cookie signs the
 * socket in), keeps the latest state and the server clock, rejoins after a reconnect, and sends
 * commands. Countdowns are computed from server time, so a wrong client clock does not matter.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import type { Command, SessionView, Timer } from '../../collab/features/facilitation.server'
import type { BoardSessionInfo, ClientEventName, ClientPayload, ClientToServerEvents, Refusal, Reply, ServerToClientEvents, SessionStateEvent } from '../../collab/live-events'

/** A socket.io connection typed by the event map (collab/live-events.ts). */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Opens the live socket.io connection (the session cookie signs it in). */
export const connectLive = (): LiveSocket => io({ path: '/socket.io', transports: ['websocket'] })

/** Sends a live event and resolves with the server's answer (`unavailable` when it does not come). */
export type LiveEmit = <E extends ClientEventName>(event: E, payload: ClientPayload<E>) => Promise<Reply<E>>

const unavailable: Refusal = { ok: false, error: 'unavailable' }

/** Sends a live event and resolves with the server's answer, or `unavailable` without a socket or an answer within 10 s. */
export function askLive<E extends ClientEventName>(socket: LiveSocket | null, event: E, payload: ClientPayload<E>): Promise<Reply<E>> {
  if (!socket) return Promise.resolve(unavailable as Reply<E>)
  // socket.io's types cannot follow a generic event name; the signature types every call.
  return socket
    .timeout(10_000)
    .emitWithAck(event, ...([payload] as never))
    .catch(() => unavailable) as Promise<Reply<E>>
}

export type SessionRole = 'facilitator' | 'participant'
export type LiveSession = {
  session: SessionView | null
  role: SessionRole | null
  /** The municipality (group) through which this person takes part, if any. */
  group: string | null
  /** Server time minus client time, from the latest message (ms). */
  skewMs: number
  connected: boolean
  error: string | null
}

/** Of a state held and one received, the newer: two processes' messages may arrive out of order (decision 0037). */
export function newer(held: SessionView | null, received: SessionView): SessionView {
  return held && held.id === received.id && held.version > received.version ? held : received
}

/** One clock ping: client time when sent and when answered, and the server's time in between. */
export type ClockSample = { sent: number; serverNow: number; received: number }

/**
 * The server's clock minus this client's, NTP-style: of several pings, the one with the
 * shortest round trip, assuming the server answered halfway through it. Null without samples.
 */
export function clockOffset(samples: ClockSample[]): number | null {
  const best = samples.reduce<ClockSample | null>((a, b) => (a && a.received - a.sent <= b.received - b.sent ? a : b), null)
  return best ? Math.round(best.serverNow - (best.sent + best.received) / 2) : null
}

/** Measures this page's clock offset to the server with `samples` pings (null when none is answered). */
export async function measureClock(socket: LiveSocket, samples = 5): Promise<number | null> {
  const taken: ClockSample[] = []
  for (let i = 0; i < samples; i++) {
    const sent = Date.now()
    const answer = await socket
      .timeout(5000)
      .emitWithAck('time:ping', {})
      .catch(() => unavailable)
    if (answer.ok) taken.push({ sent, serverNow: answer.serverNow, received: Date.now() })
  }
  return clockOffset(taken)
}

/**
 * The timer a group's page shows: the group's own while it has time left (or is paused), and
 * once it is over the timer for all — its own at 0:00 only when there is no timer for all.
 */
export function shownTimer(group: Timer | null | undefined, all: Timer | null, now: number): Timer | null {
  if (!group) return all
  return timerRemainingMs(group, now) > 0 || !all ? group : all
}

/** The server's "now" on this client, given the measured skew. */
export const serverNow = (skewMs: number) => Date.now() + skewMs

/** Milliseconds left on a timer at server time `now`. */
export function timerRemainingMs(timer: Timer, now: number): number {
  return timer.running && timer.endsAt !== null ? Math.max(0, timer.endsAt - now) : timer.remainingMs
}

/** A countdown as m:ss (h:mm:ss from an hour on); rounds up so that 0:00 means the time is over. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/**
 * A page's clock offset: measured with pings on every (re)connect; until the first measurement,
 * estimated from a message's `serverNow` (off by its travel time); once measured, kept.
 */
function pageClock(socket: LiveSocket, onMeasured: (skewMs: number) => void) {
  let measured: number | null = null
  return {
    measure() {
      void measureClock(socket).then((skew) => {
        if (skew === null) return
        measured = skew
        onMeasured(skew)
      })
    },
    skew: (serverNow: number) => measured ?? serverNow - Date.now(),
  }
}

/** Joins a session and returns its live state and a `send(command)` that resolves with the server's answer. */
export function useSession(sessionId: string) {
  const [live, setLive] = useState<LiveSession>({ session: null, role: null, group: null, skewMs: 0, connected: false, error: null })
  const socketRef = useRef<LiveSocket | null>(null)

  useEffect(() => {
    const socket = connectLive()
    socketRef.current = socket
    const clock = pageClock(socket, (skewMs) => setLive((current) => ({ ...current, skewMs })))
    const join = async () => {
      clock.measure()
      const answer = await askLive(socket, 'session:join', { sessionId })
      if (answer.ok)
        setLive((current) => ({ session: newer(current.session, answer.session), role: answer.role, group: answer.group ?? null, skewMs: clock.skew(answer.serverNow), connected: true, error: null }))
      else setLive((current) => ({ ...current, error: answer.error ?? 'unavailable' }))
    }
    const onState = (event: SessionStateEvent) =>
      setLive((current) => (event.session.id === sessionId ? { ...current, session: newer(current.session, event.session), skewMs: clock.skew(event.serverNow) } : current))
    const onDisconnect = () => setLive((current) => ({ ...current, connected: false }))
    socket.on('connect', join)
    socket.on('session:state', onState)
    socket.on('disconnect', onDisconnect)
    return () => {
      socket.off('connect', join)
      socket.off('session:state', onState)
      socket.off('disconnect', onDisconnect)
      socket.disconnect()
      socketRef.current = null
    }
  }, [sessionId])

  const send = useCallback(
    async (command: Command): Promise<Reply<'session:command'>> => {
      return askLive(socketRef.current, 'session:command', { sessionId, command })
    },
    [sessionId],
  )

  /** Sends another facilitation event (board locks, votes) and resolves with the server's answer. */
  const emit: LiveEmit = useCallback((event, payload) => askLive(socketRef.current, event, payload), [])

  return { ...live, send, emit }
}

/** What a page holds of a live session and how it talks to it (useSession, useBoardSession). */
export type LiveSessionHandle = LiveSession & { send: (command: Command) => Promise<Reply<'session:command'>>; emit: LiveEmit }

export type BoardSession = LiveSessionHandle & {
  /** The session the board shows (the newest open one of its courses), or null. */
  info: BoardSessionInfo | null
  /**
   * Whether the page knows the session situation of its board — false until the server's
   * first answer, and while a session it does not know yet is being looked up. While it is
   * false, private mode may be on: new notes must not go to the shared board.
   */
  known: boolean
}

/**
 * A board page's live session (issue 15): watches the board's courses from the moment the page
 * opens, so a session opened or a phase started later reaches it at once — no reload — and says
 * when the page does not know yet whether private mode is on. `initial` is the loader's answer.
 */
export function useBoardSession(boardId: string, initial: BoardSessionInfo | null): BoardSession {
  const [live, setLive] = useState<LiveSession & { info: BoardSessionInfo | null; known: boolean }>({
    info: initial,
    session: null,
    role: null,
    group: null,
    skewMs: 0,
    connected: false,
    error: null,
    known: false,
  })
  const socketRef = useRef<LiveSocket | null>(null)
  const shownRef = useRef<string | null>(initial?.id ?? null)

  useEffect(() => {
    const socket = connectLive()
    socketRef.current = socket
    let courseIds: string[] = []
    let roles: Record<string, { role: SessionRole; group: string | null }> = {}
    let boardGroup: string | null = null
    let asking = 0
    const clock = pageClock(socket, (skewMs) => setLive((current) => ({ ...current, skewMs })))
    const ask = async () => {
      const question = ++asking
      setLive((current) => ({ ...current, known: false }))
      const answer = await askLive(socket, 'board:session', { boardId })
      if (question !== asking) return // a newer question is on its way
      // Refused (the person takes no part in the board's courses) or no answer: no session this page knows of, so
      // no private mode either — notes go to the board rather than being held on this page alone, where a reload would lose them.
      if (!answer.ok) return setLive((current) => ({ ...current, error: answer.error === 'forbidden' ? null : (answer.error ?? 'unavailable'), known: true }))
      courseIds = answer.courseIds
      roles = answer.roles
      boardGroup = answer.boardGroup
      shownRef.current = answer.info?.id ?? null
      setLive((current) => ({
        info: answer.info,
        session: answer.session ? newer(current.session, answer.session) : null,
        role: answer.role,
        group: answer.group,
        skewMs: clock.skew(answer.serverNow),
        connected: true,
        error: null,
        known: true,
      }))
    }
    const onState = (event: SessionStateEvent) => {
      if (!courseIds.includes(event.session.courseId)) return
      if (event.session.id === shownRef.current) {
        setLive((current) => ({ ...current, session: newer(current.session, event.session), skewMs: clock.skew(event.serverNow) }))
        // Ended: another open session of the board's courses may take its place.
        if (event.session.status === 'ended') void ask()
      } else if (event.session.status === 'open' && roles[event.session.courseId]) {
        // A session opened after the page loaded: the newest, so the board shows it — at once, with its state
        // (private mode included), and the person's role known from the first answer.
        const { id, title, courseId } = event.session
        const { role, group } = roles[courseId]
        shownRef.current = id
        setLive((current) => ({
          ...current,
          info: { id, title, leitstand: `/kurse/${courseId}/sitzung/${id}`, facilitator: role === 'facilitator', groupId: boardGroup },
          session: event.session,
          role,
          group,
          skewMs: clock.skew(event.serverNow),
          known: true,
        }))
      }
    }
    const onDisconnect = () => setLive((current) => ({ ...current, connected: false }))
    const onConnect = () => {
      clock.measure()
      void ask()
    }
    socket.on('connect', onConnect)
    socket.on('session:state', onState)
    socket.on('disconnect', onDisconnect)
    return () => {
      socket.off('connect', onConnect)
      socket.off('session:state', onState)
      socket.off('disconnect', onDisconnect)
      socket.disconnect()
      socketRef.current = null
    }
  }, [boardId])

  const send = useCallback(
    async (command: Command): Promise<Reply<'session:command'>> => {
      const sessionId = live.info?.id
      if (!sessionId) return unavailable
      return askLive(socketRef.current, 'session:command', { sessionId, command })
    },
    [live.info?.id],
  )
  const emit: LiveEmit = useCallback((event, payload) => askLive(socketRef.current, event, payload), [])

  return { ...live, send, emit }
}

/** Re-renders every `intervalMs` (for countdowns); returns the client time of the last tick. */
export function useTick(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
