/**
 * Who is connected: every socket joins its person's room (for mentions and access changes), and
 * `presence:count` tells everyone how many sockets are connected across every process.
 */
import type { LiveEvents, LiveServer } from './handler'

/** The socket.io room of one person's sockets. */
export const personRoom = (personId: string) => `person:${personId}`

/** Sends the number of connected sockets to everyone. */
async function broadcastCount(io: LiveServer): Promise<void> {
  let count: number
  try {
    count = (await io.fetchSockets()).length // every process's sockets, through the adapter
  } catch {
    count = io.of('/').sockets.size // Redis away: this process's own count is the best we know
  }
  io.emit('presence:count', { count })
}

/** Joins the person's room and counts the socket in (and out when it leaves). */
export const presenceEvents: LiveEvents = (io, socket) => {
  void socket.join(personRoom(socket.data.personId))
  void broadcastCount(io)
  socket.on('disconnect', () => void broadcastCount(io))
}
