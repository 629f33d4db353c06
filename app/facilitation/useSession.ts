/**
 * The browser's side of a live session: joins it over socket.io (the session cookie signs the
 * socket in), keeps the latest state and the server clock, rejoins after a reconnect, and sends
 * commands. Countdowns are computed from server time, so a wrong client clock does not matter.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import type { Command, SessionView, Timer } from '../../collab/features/facilitation.server'
import type { ClientEventName, ClientPayload, ClientToServerEvents, Refusal, Reply, ServerToClientEvents, SessionStateEvent } from '../../collab/live-events'

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
      if (answer.ok) setLive({ session: answer.session, role: answer.role, group: answer.group ?? null, skewMs: answer.serverNow - Date.now(), connected: true, error: null })
      else setLive((current) => ({ ...current, error: answer.error ?? 'unavailable' }))
    }
    const onState = (event: SessionStateEvent) =>
      setLive((current) => (event.session.id === sessionId ? { ...current, session: event.session, skewMs: event.serverNow - Date.now() } : current))
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

/** Re-renders every `intervalMs` (for countdowns); returns the client time of the last tick. */
export function useTick(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
