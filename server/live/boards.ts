/**
 * A board's event room: `board:join` puts the socket into it when the person may see the board
 * (comment changes and access revocations reach it there), `board:leave` takes it out.
 */
import { boardAccess, loadPrincipal } from '../../access'
import * as boards from '../../db/boards.server'
import { onEvent, type LiveEvents } from './handler'

/** The socket.io room of a board's live events. */
export const boardRoom = (boardId: string) => `board:${boardId}`

/** Registers `board:join` and `board:leave`. */
export const boardEvents: LiveEvents = (_io, socket, deps) => {
  onEvent(socket, 'board:join', async ({ boardId }) => {
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board) return { ok: false, error: 'not_found' }
    // Roles are read afresh for every event, so a revoked role stops working at once.
    const access = boardAccess(await loadPrincipal(deps.sql, socket.data.personId), board)
    if (access === 'none') return { ok: false, error: 'forbidden' }
    await socket.join(boardRoom(board.id))
    return { ok: true, access }
  })

  onEvent(socket, 'board:leave', async ({ boardId }) => {
    await socket.leave(boardRoom(boardId))
    return { ok: true }
  })
}
