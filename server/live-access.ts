/**
 * Access changes take effect on open connections: after a person's roles change, their Yjs
 * sockets and socket.io sockets are re-checked against the policy and closed or downgraded.
 */
import { boardAccess, loadPrincipal } from '../access'
import type { Rooms } from '../collab'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'
import type { LiveServer } from './live/handler'

/** The board access of one person, decided by the policy (none when the board is gone). */
export async function boardAccessOf(sql: Sql, personId: string, boardId: string): Promise<'none' | 'read' | 'write'> {
  const board = await boards.getBoard(sql, boardId)
  if (!board) return 'none'
  return boardAccess(await loadPrincipal(sql, personId), board)
}

export class LiveAccess {
  constructor(
    private readonly sql: Sql,
    private readonly rooms: Rooms,
    private readonly io: LiveServer,
  ) {}

  /** Re-checks every open connection of the person (call after granting or revoking a role). */
  async changed(personId: string): Promise<void> {
    await this.rooms.revalidate(personId, (boardId) => boardAccessOf(this.sql, personId, boardId))
    const sockets = await this.io.in(`person:${personId}`).fetchSockets()
    for (const socket of sockets) {
      for (const room of socket.rooms) {
        const boardId = /^board:(.+)$/.exec(room)?.[1]
        if (boardId && (await boardAccessOf(this.sql, personId, boardId)) === 'none') {
          socket.leave(room)
          socket.emit('access:revoked', { boardId })
        }
      }
    }
  }
}
