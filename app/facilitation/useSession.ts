/**
 * The browser's side of a live session: joins it over socket.io (the session cookie signs the
 * socket in), keeps the latest state and the server clock, rejoins after a reconnect, and sends
 * commands. Countdowns are computed from server time, so a wrong client clock does not matter.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import type { Command, SessionView, Timer } from '../../collab/features/facilitation.server'
import type {
  BoardSessionInfo,
  ClientEventName,
  ClientPayload,
  ClientToServerEvents,
  Refusal,
  Reply,
  ServerToClientEvents,
  SessionStateEvent,
} from '../../collab/live-events'

/** A socket.io connection typed by the event map (collab/live-events.ts). */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Opens the live socket.io connection (the session cookie signs it in). */
export const connectLive = (): LiveSocket => io({ path: '/socket.io', transports: ['websocket'] })

/** Sends a live event and resolves with the server's answer (`unavailable` when it does not come). */
export type LiveEmit = <E extends ClientEventName>(event: E, payload: ClientPayload<E>) => Promise<Reply<E>>

const unavailable: Refusal = { ok: false, error: 'unavailable' }

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

/** Joins a session and returns its live state and a `send(command)` that resolves with the server's answer. */
export function useSession(sessionId: string) {
  const [live, setLive] = useState<LiveSession>({ session: null, role: null, group: null, skewMs: 0, connected: false, error: null })
  const socketRef = useRef<LiveSocket | null>(null)

  useEffect(() => {
    const socket = connectLive()
    socketRef.current = socket
    const join = async () => {
      const answer = await socket.timeout(10_000).emitWithAck('session:join', { sessionId }).catch(() => unavailable)
      if (answer.ok)
        setLive((current) => ({ session: newer(current.session, answer.session), role: answer.role, group: answer.group ?? null, skewMs: answer.serverNow - Date.now(), connected: true, error: null }))
      else setLive((current) => ({ ...current, error: answer.error ?? 'unavailable' }))
    }
    const onState = (event: SessionStateEvent) =>
      setLive((current) => (event.session.id === sessionId ? { ...current, session: newer(current.session, event.session), skewMs: event.serverNow - Date.now() } : current))
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
      const socket = socketRef.current
      if (!socket) return unavailable
      return socket.timeout(10_000).emitWithAck('session:command', { sessionId, command }).catch(() => unavailable)
    },
    [sessionId],
  )

  /** Sends another facilitation event (board locks, votes) and resolves with the server's answer. */
  const emit: LiveEmit = useCallback(async (event, payload) => {
    const socket = socketRef.current
    if (!socket) return unavailable
    // socket.io's types cannot follow a generic event name; LiveEmit types every call.
    return socket.timeout(10_000).emitWithAck(event, ...([payload] as never)).catch(() => unavailable)
  }, [])

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
    let asking = 0
    const ask = async () => {
      const question = ++asking
      setLive((current) => ({ ...current, known: false }))
      const answer = await socket.timeout(10_000).emitWithAck('board:session', { boardId }).catch(() => unavailable)
      if (question !== asking) return // a newer question is on its way
      if (!answer.ok) return setLive((current) => ({ ...current, error: answer.error ?? 'unavailable' }))
      courseIds = answer.courseIds
      shownRef.current = answer.info?.id ?? null
      setLive((current) => ({
        info: answer.info,
        session: answer.session ? newer(current.session, answer.session) : null,
        role: answer.role,
        group: answer.group,
        skewMs: answer.serverNow - Date.now(),
        connected: true,
        error: null,
        known: true,
      }))
    }
    const onState = (event: SessionStateEvent) => {
      if (!courseIds.includes(event.session.courseId)) return
      if (event.session.id === shownRef.current) {
        setLive((current) => ({ ...current, session: newer(current.session, event.session), skewMs: event.serverNow - Date.now() }))
        // Ended: another open session of the board's courses may take its place.
        if (event.session.status === 'ended') void ask()
      } else if (event.session.status === 'open') {
        // A session the page does not know yet (opened after it loaded): which does the board show now?
        void ask()
      }
    }
    const onDisconnect = () => setLive((current) => ({ ...current, connected: false }))
    socket.on('connect', ask)
    socket.on('session:state', onState)
    socket.on('disconnect', onDisconnect)
    return () => {
      socket.off('connect', ask)
      socket.off('session:state', onState)
      socket.off('disconnect', onDisconnect)
      socket.disconnect()
      socketRef.current = null
    }
    // biome-ignore lint/correctness/useExhaustiveDependencies: one socket per board; the info it shows is state, not a dependency
  }, [boardId])

  const send = useCallback(
    async (command: Command): Promise<Reply<'session:command'>> => {
      const socket = socketRef.current
      const sessionId = live.info?.id
      if (!socket || !sessionId) return unavailable
      return socket.timeout(10_000).emitWithAck('session:command', { sessionId, command }).catch(() => unavailable)
    },
    [live.info?.id],
  )
  const emit: LiveEmit = useCallback(async (event, payload) => {
    const socket = socketRef.current
    if (!socket) return unavailable
    return socket.timeout(10_000).emitWithAck(event, ...([payload] as never)).catch(() => unavailable)
  }, [])

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
