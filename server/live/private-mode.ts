/**
 * Private mode in a live session (decision 0020): the facilitator starts it on a board, each
 * participant gets a private layer of their own, and the reveal moves every layer's notes into
 * the board (stored, then seen) and ends it.
 */
import { can } from '../../access'
import * as boards from '../../db/boards.server'
import { revealPrivateLayers } from '../../collab/features/private-mode.server'
import { actorOf, refusal } from './actor'
import { onEvent, type LiveEvents } from './handler'

/** Registers `private:start`, `private:reveal` and `private:layer`. */
export const privateModeEvents: LiveEvents = (_io, socket, deps) => {
  const { personId, inSession, facilitatedBoard } = actorOf(socket, deps)

  onEvent(socket, 'private:start', async ({ sessionId, boardId }) => {
    const found = await inSession(sessionId, 'facilitator')
    if (!found.ok) return found
    if (!(await facilitatedBoard(found, boardId))) return { ok: false, error: 'forbidden' }
    await deps.facilitation.setPrivate(sessionId, found.actor, boardId, true)
    return { ok: true }
  }, refusal)

  // Reveal ends private mode: every layer's notes move into the board (stored, then seen).
  onEvent(socket, 'private:reveal', async ({ sessionId, boardId }) => {
    const found = await inSession(sessionId, 'facilitator')
    if (!found.ok) return found
    if (!(await facilitatedBoard(found, boardId))) return { ok: false, error: 'forbidden' }
    const revealed = await revealPrivateLayers(deps, boardId)
    await deps.facilitation.setPrivate(sessionId, found.actor, boardId, false)
    return { ok: true, revealed }
  }, refusal)

  // A participant's own private layer of a board in private mode (created on first use).
  onEvent(socket, 'private:layer', async ({ sessionId, boardId }) => {
    const found = await inSession(sessionId, 'participant')
    if (!found.ok) return found
    if (!found.session.state.privateBoards.includes(boardId)) return { ok: false, error: 'invalid' }
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board) return { ok: false, error: 'not_found' }
    if (!can(found.principal, { type: 'board.edit', board })) return { ok: false, error: 'forbidden' }
    const layer = await boards.privateLayer(deps.sql, board, personId)
    return { ok: true, layerId: layer.id }
  }, refusal)
}
