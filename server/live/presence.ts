/**
 * Who is connected: every socket joins its person's room (for mentions and access changes),
 * `presence:count` tells everyone how many sockets are connected across every process, and
 * `boardPresence` counts the Yjs connections of boards on every process (the Leitstand's
 * "Personen da"), and `time:ping` tells a page the server's clock.
 */
import type { Rooms } from '../../collab'
import { onEvent, type LiveEvents, type LiveServer } from './handler'

/**
 * The number of people connected to each board on every process: this process's rooms plus
 * the answers of the others (through the Redis adapter); with Redis away, this process's alone.
 */
export function boardPresence(io: LiveServer, rooms: Rooms, scaledOut: boolean) {
  // Peers ask through a server-side event; each answers with its own rooms' counts.
  if (scaledOut) io.on('presence:boards', (boardIds, answer) => void rooms.connectionCounts(boardIds).then(answer, () => answer({})))
  return async (boardIds: string[]): Promise<Record<string, number>> => {
    const counts = await rooms.connectionCounts(boardIds)
    if (!scaledOut || boardIds.length === 0) return counts
    // The adapter waits for every process it knows (its requestsTimeout bounds a silent one).
    const peers: Record<string, number>[] = await io.serverSideEmitWithAck('presence:boards', boardIds).catch(() => [])
    for (const answer of peers) for (const id of boardIds) counts[id] = (counts[id] ?? 0) + (Number(answer?.[id]) || 0)
    return counts
  }
}

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

/** Joins the person's room, counts the socket in (and out when it leaves) and answers clock pings. */
export const presenceEvents: LiveEvents = (io, socket) => {
  onEvent(socket, 'time:ping', async () => ({ ok: true, serverNow: Date.now() }))
  void socket.join(personRoom(socket.data.personId))
  void broadcastCount(io)
  socket.on('disconnect', () => void broadcastCount(io))
}
