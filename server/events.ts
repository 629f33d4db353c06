/**
 * socket.io at /socket.io: the live events of Werkraum, typed by the event map in
 * collab/live-events.ts. With REDIS_URL the Redis adapter makes broadcasts and the counts span
 * every process; every stored change of a session is published to its pages on every process.
 * Every connection is authenticated (the session cookie or a bearer token); every event is validated and checked by the policy in its concern's module under server/live/:
 * presence, board event rooms, locks, sessions, votes and private mode (comment changes are sent
 * from the API through server/live/comments.ts).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { Server, type ServerOptions } from 'socket.io'
import { credentialFor } from '../access'
import { credentialRoom } from './live-sessions'
import { TokenBucket } from '../collab/limits'
import type { Refusal } from '../collab/live-events'
import type { LiveDeps, LiveEvents, LiveServer } from './live/handler'
import { presenceEvents } from './live/presence'
import { boardEvents } from './live/boards'
import { lockEvents } from './live/locks'
import { sessionEvents } from './live/session'
import { voteEvents } from './live/votes'
import { privateModeEvents } from './live/private-mode'
import { publishSessionChanges } from './live/actor'
import { boardPresence } from './live/presence'

export { commentEvents } from './live/comments'

/** Every concern's events, registered on each connected socket. */
const concerns: LiveEvents[] = [presenceEvents, boardEvents, lockEvents, sessionEvents, voteEvents, privateModeEvents]

/** Attaches socket.io to the shared HTTP server without killing other websocket upgrades. */
export function attachEvents(
  httpServer: HttpServer,
  deps: LiveDeps & {
    maxMessageBytes: number
    /** Events per second and burst one connection may send (a token bucket, as the Yjs endpoint's). */
    eventRate: { perSecond: number; burst: number }
    sameOrigin: (req: IncomingMessage) => boolean
    adapter?: ServerOptions['adapter']
  },
): LiveServer & { boardPresence: ReturnType<typeof boardPresence> } {
  const io: LiveServer = new Server(httpServer, {
    path: '/socket.io',
    // The default (true) destroys every upgrade socket.io does not answer within 1 s — Yjs ones included.
    destroyUpgrade: false,
    maxHttpBufferSize: Math.min(deps.maxMessageBytes, 1_000_000),
    serveClient: false,
    allowRequest: (req, callback) => callback(null, deps.sameOrigin(req)),
    // Several processes: long-polling would need sticky sessions (each poll may reach another process), so websocket only.
    ...(deps.adapter ? { adapter: deps.adapter, transports: ['websocket' as const] } : {}),
  })

  io.use(async (socket, next) => {
    try {
      const headers = socket.handshake.headers
      const credential = await credentialFor(deps.sql, {
        cookie: headers.cookie,
        authorization: headers.authorization ?? (typeof socket.handshake.auth?.token === 'string' ? `Bearer ${socket.handshake.auth.token}` : undefined),
      })
      if (!credential) return next(new Error('unauthorized'))
      socket.data.personId = credential.personId
      socket.data.credential = credential
      next()
    } catch {
      next(new Error('unavailable'))
    }
  })

  io.on('connection', (socket) => {
    // So that sign-out or revocation reaches this socket on whichever process it lives (server/live-sessions.ts).
    void socket.join(credentialRoom(socket.data.credential))
    // Over its rate, an event is not run but answered at once, so a client never waits on it.
    const bucket = new TokenBucket(deps.eventRate.perSecond, deps.eventRate.burst)
    socket.use((packet, next) => {
      if (bucket.take()) return next()
      const ack = packet[packet.length - 1]
      if (typeof ack === 'function') ack({ ok: false, error: 'too_many' } satisfies Refusal)
    })
    for (const register of concerns) register(io, socket, deps)
  })
  publishSessionChanges(io, deps.facilitation)
  return Object.assign(io, { boardPresence: boardPresence(io, deps.rooms, !!deps.adapter) })
}
