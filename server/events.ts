/**
 * socket.io at /socket.io: live facilitation events. For now it announces how many people
 * are connected (`presence:count`); later issues add rooms per session and group.
 */
import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'

/** Attaches socket.io to the shared HTTP server without killing other websocket upgrades. */
export function attachEvents(httpServer: HttpServer, options: { maxMessageBytes: number }): Server {
  const io = new Server(httpServer, {
    path: '/socket.io',
    // The default (true) destroys every upgrade socket.io does not answer within 1 s — Yjs ones included.
    destroyUpgrade: false,
    maxHttpBufferSize: Math.min(options.maxMessageBytes, 1_000_000),
    serveClient: false,
  })
  const broadcastCount = () => io.emit('presence:count', { count: io.of('/').sockets.size })
  io.on('connection', (socket) => {
    broadcastCount()
    socket.on('disconnect', broadcastCount)
  })
  return io
}
