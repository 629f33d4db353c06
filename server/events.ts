/**
 * socket.io at /socket.io: the live events of Werkraum, typed by the event map in
 * collab/live-events.ts. With REDIS_URL the Redis adapter makes broadcasts and the count span
 * every process. Every connection is authenticated (the session cookie or a bearer token); every
 * event is validated and checked by the policy in its concern's module under server/live/:
 * presence, board event rooms, locks, sessions, votes and private mode (comment changes are sent
 * from the API through server/live/comments.ts).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { Server, type ServerOptions } from 'socket.io'
import { bearerTokenHash, principalFor } from '../access'
import type { LiveDeps, LiveEvents, LiveServer } from './live/handler'
import { presenceEvents } from './live/presence'
import { boardEvents } from './live/boards'
import { lockEvents } from './live/locks'
import { sessionEvents } from './live/session'
import { voteEvents } from './live/votes'
import { privateModeEvents } from './live/private-mode'

export { commentEvents } from './live/comments'

/** Every concern's events, registered on each connected socket. */
const concerns: LiveEvents[] = [presenceEvents, boardEvents, lockEvents, sessionEvents, voteEvents, privateModeEvents]

/** Attaches socket.io to the shared HTTP server without killing other websocket upgrades. */
export function attachEvents(
  httpServer: HttpServer,
  deps: LiveDeps & {
    maxMessageBytes: number
    sameOrigin: (req: IncomingMessage) => boolean
    adapter?: ServerOptions['adapter']
  },
): LiveServer {
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
      const authorization = headers.authorization ?? (typeof socket.handshake.auth?.token === 'string' ? `Bearer ${socket.handshake.auth.token}` : undefined)
      const principal = await principalFor(deps.sql, { cookie: headers.cookie, authorization })
      if (!principal) return next(new Error('unauthorized'))
      socket.data.personId = principal.personId
      socket.data.tokenHash = bearerTokenHash(authorization)
      next()
    } catch {
      next(new Error('unavailable'))
    }
  })

  io.on('connection', (socket) => {
    // Revoking the token closes this socket (server/token-sockets.ts).
    if (socket.data.tokenHash) void socket.join(`token:${socket.data.tokenHash}`)
    for (const register of concerns) register(io, socket, deps)
  })
  return io
}
