/**
 * Dot voting in a live session: the facilitator starts a round on a frame of a board of the
 * course (its shapes become the targets), participants place and take back dots, anyone in the
 * session closes the round (or every running one) and asks for their own dots.
 */
import * as Y from 'yjs'
import { boardInCourse, can } from '../../access'
import * as boards from '../../db/boards.server'
import { frameTargets } from '../../domain/board/vote-targets'
import { namesOf } from '../../collab/features/session-script.server'
import { actorOf, refusal } from './actor'
import { onEvent, type LiveEvents } from './handler'

/** Registers `vote:start`, `vote:close`, `vote:dot` and `vote:mine`. */
export const voteEvents: LiveEvents = (_io, socket, deps) => {
  const { personId, inSession } = actorOf(socket, deps)

  onEvent(socket, 'vote:start', async ({ sessionId, boardId, frameId, dotsPerPerson, anonymous }) => {
    const found = await inSession(sessionId, 'facilitator')
    if (!found.ok) return found
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board) return { ok: false, error: 'not_found' }
    if (!boardInCourse(board, found.session.courseId, found.principal.courseTeams.get(found.session.courseId)) || !can(found.principal, { type: 'board.facilitate', board })) return { ok: false, error: 'forbidden' }
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await deps.rooms.currentState(board.id))
    const targets = frameTargets(doc, frameId)
    doc.destroy()
    if (targets.length === 0) return { ok: false, error: 'invalid' }
    await deps.facilitation.startVote(sessionId, found.actor, { boardId: board.id, frameId, targets, dotsPerPerson, anonymous })
    return { ok: true }
  }, refusal)

  // Closes the round on `boardId`, or every running round when no board is named.
  onEvent(socket, 'vote:close', async ({ sessionId, boardId }) => {
    const found = await inSession(sessionId, 'participant')
    if (!found.ok) return found
    await deps.facilitation.closeVote(sessionId, found.actor, namesOf(deps.sql), boardId)
    return { ok: true }
  }, refusal)

  onEvent(socket, 'vote:dot', async ({ sessionId, target, delta, boardId }) => {
    const found = await inSession(sessionId, 'participant')
    if (!found.ok) return found
    return { ok: true, ...(await deps.facilitation.dot(sessionId, found.actor, target, delta, boardId)) }
  }, refusal)

  onEvent(socket, 'vote:mine', async ({ sessionId, boardId }) => {
    const found = await inSession(sessionId, 'participant')
    if (!found.ok) return found
    return { ok: true, dots: await deps.facilitation.myDots(sessionId, personId, boardId) }
  }, refusal)
}
