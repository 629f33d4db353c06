/**
 * The typed socket.io server of Werkraum and the one shape of every event handler: validate the
 * payload with the schema of collab/live-events.ts, run the handler, answer through the
 * acknowledgement. A malformed payload gets `{ok: false, error: 'invalid'}`; a handler that
 * throws never takes the process down.
 */
import type { Server, Socket } from 'socket.io'
import type { Credential } from '../../access'
import type { SocketSelector } from '../live-sessions'
import type { Sql } from '../../db/client.server'
import type { Rooms } from '../../collab'
import type { Facilitation } from '../../collab/features/facilitation.server'
import { clientEvents, type ClientEventName, type ClientToServerEvents, type EventError, type ParsedPayload, type Reply, type ServerToClientEvents } from '../../collab/live-events'

/** What the server keeps on a socket: the person it signed in as, and with which session or token. */
export type SocketData = { personId: string; credential: Credential }
/**
 * Between server processes (through the adapter): close the Yjs sockets of a session, token or
 * person (server/live-sessions.ts); each process answers with its own rooms' connection counts.
 */
type ServerSideEvents = {
  'sockets:close': (selector: SocketSelector) => void
  'presence:boards': (boardIds: string[], answer: (counts: Record<string, number>) => void) => void
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>
export type LiveDeps = { sql: Sql; rooms: Rooms; facilitation: Facilitation }
/** One concern's events, registered on each connected socket (server/events.ts lists them). */
export type LiveEvents = (io: LiveServer, socket: LiveSocket, deps: LiveDeps) => void

/** Registers `fn` for `event`: validated payload in, acknowledgement out, errors contained (`mapError` names them). */
export function onEvent<E extends ClientEventName>(
  socket: LiveSocket,
  event: E,
  fn: (payload: ParsedPayload<E>) => Promise<Reply<E>>,
  mapError: (error: unknown) => EventError = () => 'unavailable',
): void {
  const schema = clientEvents[event]
  const listener = async (payload: unknown, ack?: unknown): Promise<void> => {
    const reply = typeof ack === 'function' ? (ack as (r: Reply<E>) => void) : () => {}
    try {
      const parsed = schema.safeParse(payload)
      if (!parsed.success) return reply({ ok: false, error: 'invalid' })
      reply(await fn(parsed.data as ParsedPayload<E>))
    } catch (error) {
      reply({ ok: false, error: mapError(error) })
    }
  }
  socket.on(event, listener as unknown as ClientToServerEvents[E] as never)
}
