/**
 * Board locks, the board control of live facilitation that changes the board document itself:
 * `board:lock` locks or unlocks a board, a frame or chosen shapes. Only people the policy lets
 * facilitate the board may; the change is stored before any client sees it (Rooms.edit), and
 * the room's write gate enforces it on the Yjs channel.
 */
import { can, loadPrincipal } from '../../access'
import * as boards from '../../db/boards.server'
import { applyLock } from '../../collab'
import { onEvent, type LiveEvents } from './handler'

/** Registers `board:lock`. */
export const lockEvents: LiveEvents = (_io, socket, deps) => {
  const personId = socket.data.personId
  onEvent(socket, 'board:lock', async ({ boardId, target, locked }) => {
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board) return { ok: false, error: 'not_found' }
    if (!can(await loadPrincipal(deps.sql, personId), { type: 'board.facilitate', board })) return { ok: false, error: 'forbidden' }
    await deps.rooms.edit(board.id, (doc) => applyLock(doc, target, locked, personId, Date.now()))
    return { ok: true }
  })
}
