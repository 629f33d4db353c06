/**
 * Who the sender of a facilitation event is in a session: their role by the access policy (the
 * course's lecturers and coordinators facilitate, its teams participate), their group, and the
 * boards they may facilitate; shared by the session, vote and private-mode events.
 */
import { boardInCourse, can, loadPrincipal, type Principal } from '../../access'
import * as boards from '../../db/boards.server'
import * as people from '../../db/people.server'
import { CommandRefused, type Actor, type Facilitation, type SessionView } from '../../collab/features/facilitation.server'
import type { EventError, Refusal } from '../../collab/live-events'
import type { LiveDeps, LiveServer, LiveSocket } from './handler'

/** The socket.io room of a session's participants. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`

/** The socket.io room of the pages that watch a course's sessions (its board pages). */
export const courseRoom = (courseId: string) => `course:${courseId}`

/**
 * Publishes every stored change of a session, whichever process or page made it: to the
 * session's room and, unless it is only planned, to its course's room, on every process
 * (through the Redis adapter when scaled out).
 */
export function publishSessionChanges(io: LiveServer, facilitation: Facilitation): void {
  facilitation.onChange((session) => {
    const rooms = session.status === 'planned' ? [sessionRoom(session.id)] : [sessionRoom(session.id), courseRoom(session.courseId)]
    io.to(rooms).emit('session:state', { session, serverNow: Date.now() })
  })
}

/** The sender's role in a course, or null when they have no part in it. */
export function roleIn(principal: Principal, courseId: string): Actor['role'] | null {
  if (can(principal, { type: 'course.manage', courseId })) return 'facilitator'
  if (can(principal, { type: 'course.view', courseId })) return 'participant'
  return null
}

/** The municipality (group) through which a person takes part in a course, if any. */
export function groupIn(principal: Principal, courseId: string): string | null {
  const teams = principal.courseTeams.get(courseId)
  return principal.memberships.find((m) => m.municipalityId && teams?.has(m.municipalityId))?.municipalityId ?? null
}

/** A refused command keeps its code; anything else is `unavailable`. */
export const refusal = (error: unknown): EventError => (error instanceof CommandRefused ? error.code : 'unavailable')

export type InSession = { ok: true; session: SessionView; actor: Actor; principal: Principal }

/** The sender's view of sessions on one socket: who they are in a session and the boards they facilitate. */
export function actorOf(socket: LiveSocket, deps: LiveDeps) {
  const personId = socket.data.personId
  const principal = () => loadPrincipal(deps.sql, personId)

  /** The session and the sender as an actor in it; refused when the session is unknown, or the sender has no part in it (or not as `need`). */
  const inSession = async (sessionId: string, need: Actor['role']): Promise<InSession | Refusal> => {
    const session = await deps.facilitation.load(sessionId)
    if (!session) return { ok: false, error: 'not_found' }
    const actorPrincipal = await principal()
    const role = roleIn(actorPrincipal, session.courseId)
    if (!role || (need === 'facilitator' && role !== 'facilitator')) return { ok: false, error: 'forbidden' }
    const person = await people.getPerson(deps.sql, personId)
    const actor: Actor = { personId, name: person?.name || person?.email || '', role, municipalityId: groupIn(actorPrincipal, session.courseId) }
    return { ok: true, session, actor, principal: actorPrincipal }
  }

  /** The board, when it is a whiteboard of the session's course and the sender facilitates it. */
  const facilitatedBoard = async (found: InSession, boardId: string) => {
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board || board.kind !== 'whiteboard') return null
    return boardInCourse(board, found.session.courseId, found.principal.courseTeams.get(found.session.courseId)) && can(found.principal, { type: 'board.facilitate', board }) ? board : null
  }

  return { personId, principal, inSession, facilitatedBoard }
}
