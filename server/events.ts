/**
 * socket.io at /socket.io: live facilitation events. For now it announces how many people
 * are connected (`presence:count`); later issues add rooms per session and group. With
 * REDIS_URL the Redis adapter makes broadcasts and the count span every process.
 */
import type { Server as HttpServer } from 'node:http'
import { Server, type ServerOptions } from 'socket.io'

/** Attaches socket.io to the shared HTTP server without killing other websocket upgrades. */
export function attachEvents(
  httpServer: HttpServer,
  options: { maxMessageBytes: number; adapter?: ServerOptions['adapter'] },
): Server {
  const io = new Server(httpServer, {
    path: '/socket.io',
    // The default (true) destroys every upgrade socket.io does not answer within 1 s — Yjs ones included.
    destroyUpgrade: false,
    maxHttpBufferSize: Math.min(options.maxMessageBytes, 1_000_000),
    serveClient: false,
    // Several processes: long-polling would need sticky sessions (each poll may reach another process), so websocket only.
    ...(options.adapter ? { adapter: options.adapter, transports: ['websocket' as const] } : {}),
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
    broadcastCount()
    socket.on('disconnect', broadcastCount)
  })
  return io
}
