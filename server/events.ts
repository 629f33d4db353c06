/**
 * socket.io at /socket.io: live facilitation events. With REDIS_URL the Redis adapter makes
 * broadcasts and the count span every process. Every connection is authenticated (the
 * session cookie or a bearer token) and every event validated and checked by the policy.
 * For now: `presence:count` (people connected) and `board:join`/`board:leave` (a socket joins
 * a board's event room when the person may see the board). Later issues add sessions and groups.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { Server, type ServerOptions } from 'socket.io'
import { z } from 'zod'
import { bearerTokenHash, boardAccess, loadPrincipal, principalFor } from '../access'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'
import type { Rooms } from '../collab'
import type { Facilitation } from '../collab/facilitation'
import { eventHandler } from './event-handler'
import { registerBoardControlEvents, registerFacilitationEvents } from './facilitation-events'
import type { CommentEvents } from './api/comments'

const boardEvent = z.object({ boardId: z.string().min(1).max(100) })

/** Attaches socket.io to the shared HTTP server without killing other websocket upgrades. */
export function attachEvents(
  httpServer: HttpServer,
  deps: {
    sql: Sql
    rooms: Rooms
    maxMessageBytes: number
    sameOrigin: (req: IncomingMessage) => boolean
    facilitation: Facilitation
    adapter?: ServerOptions['adapter']
  },
): Server {
  const io = new Server(httpServer, {
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

  const broadcastCount = async () => {
    let count: number
    try {
      count = (await io.fetchSockets()).length // every process's sockets, through the adapter
    } catch {
      count = io.of('/').sockets.size // Redis away: this process's own count is the best we know
    }
    io.emit('presence:count', { count })
  }
  io.on('connection', (socket) => {
    const personId = socket.data.personId as string
    void socket.join(`person:${personId}`)
    // Revoking the token closes this socket (server/token-sockets.ts).
    if (socket.data.tokenHash) void socket.join(`token:${socket.data.tokenHash}`)
    broadcastCount()
    socket.on('disconnect', broadcastCount)

    socket.on(
      'board:join',
      eventHandler(boardEvent, async ({ boardId }) => {
        const board = await boards.getBoard(deps.sql, boardId)
        if (!board) return { ok: false, error: 'not_found' }
        // Roles are read afresh for every event, so a revoked role stops working at once.
        const access = boardAccess(await loadPrincipal(deps.sql, personId), board)
        if (access === 'none') return { ok: false, error: 'forbidden' }
        await socket.join(`board:${board.id}`)
        return { ok: true, access }
      }),
    )

    socket.on(
      'board:leave',
      eventHandler(boardEvent, async ({ boardId }) => {
        await socket.leave(`board:${boardId}`)
        return { ok: true }
      }),
    )

    registerFacilitationEvents(io, socket, deps)
    registerBoardControlEvents(socket, deps)
  })
  return io
}

/**
 * Live comment changes: `comments:changed` {boardId, thread} to everyone who joined the board's
 * event room (board:join checked their access), `comments:mentioned` to the people mentioned.
 */
export function commentEvents(io: Server): CommentEvents {
  return {
    threadChanged: (thread) => void io.to(`board:${thread.boardId}`).emit('comments:changed', { boardId: thread.boardId, thread }),
    mentioned: (personIds, thread) => {
      for (const id of personIds) io.to(`person:${id}`).emit('comments:mentioned', { boardId: thread.boardId, thread })
    },
  }
}
