/**
 * What the pages show of live facilitation sessions: the open sessions on the dashboard, the
 * course page and a board, the Leitstand's groups with their first board, and the form that
 * opens a session — every decision asked of the access policy.
 */
import { z } from 'zod'
import { can, type Principal } from '../../access/policy'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as store from '../../db/facilitation.server'
import { groupsWithBoards } from '../../db/boards.server'

export { groupsWithBoards }
import type { BoardSessionInfo } from '../../collab/live-events'

/** The Leitstand's address of a session. */
export const leitstandPath = (courseId: string, sessionId: string) => `/kurse/${courseId}/sitzung/${sessionId}`

/** The open sessions of every course the person may see, newest first, with where each leads them. */
export async function openSessionsFor(sql: Sql, principal: Principal) {
  const visible = (await courses.listCourses(sql)).filter((c) => can(principal, { type: 'course.view', courseId: c.id }))
  if (visible.length === 0) return []
  const names = new Map(visible.map((c) => [c.id, c.name]))
  const sessions = await store.openSessions(sql, [...names.keys()])
  return sessions.map((s) => ({
    id: s.id,
    title: s.title,
    moduleNumber: s.moduleNumber,
    courseName: names.get(s.courseId) ?? '',
    href: leitstandPath(s.courseId, s.id),
    facilitator: can(principal, { type: 'course.manage', courseId: s.courseId }),
  }))
}

/** The open sessions of one course (for its page). */
export async function courseSessions(sql: Sql, principal: Principal, courseId: string) {
  const facilitator = can(principal, { type: 'course.manage', courseId })
  const sessions = await store.openSessions(sql, [courseId])
  return sessions.map((s) => ({ id: s.id, title: s.title, moduleNumber: s.moduleNumber, href: leitstandPath(courseId, s.id), facilitator }))
}

/** The planned sessions of one course with their script pages (for those who manage it; nobody else sees them). */
export async function plannedCourseSessions(sql: Sql, principal: Principal, courseId: string) {
  if (!can(principal, { type: 'course.manage', courseId })) return []
  const sessions = await store.plannedSessions(sql, courseId)
  return sessions.map((s) => ({ id: s.id, title: s.title, moduleNumber: s.moduleNumber, href: `${leitstandPath(courseId, s.id)}/ablauf` }))
}

/** The courses a board belongs to (its course, or the courses of its municipality) that the person may see. */
export async function visibleCoursesOfBoard(sql: Sql, principal: Principal, board: boards.Board): Promise<string[]> {
  const courseIds = board.courseId
    ? [board.courseId]
    : board.municipalityId
      ? (await courses.coursesOfMunicipality(sql, board.municipalityId)).map((c) => c.id)
      : []
  return courseIds.filter((courseId) => can(principal, { type: 'course.view', courseId }))
}

/** The newest open session that concerns a board (its course's, or a course of its municipality), as the person sees it. */
export async function sessionForBoard(sql: Sql, principal: Principal, board: boards.Board): Promise<BoardSessionInfo | null> {
  const visible = await visibleCoursesOfBoard(sql, principal, board)
  if (visible.length === 0) return null
  const [session] = await store.openSessions(sql, visible)
  if (!session) return null
  return {
    id: session.id,
    title: session.title,
    leitstand: leitstandPath(session.courseId, session.id),
    facilitator: can(principal, { type: 'course.manage', courseId: session.courseId }),
    groupId: board.municipalityId,
  }
}

/** A session of this course, or null (also when the id is no id or the session belongs elsewhere). */
export async function sessionOfCourse(sql: Sql, courseId: string, sessionId: string) {
  const session = await store.getSession(sql, sessionId)
  return session && session.courseId === courseId ? session : null
}

/** Where a participant goes instead of the Leitstand: their group's first board, else the course page. */
export async function participantDestination(sql: Sql, principal: Principal, courseId: string): Promise<string> {
  const teams = principal.courseTeams.get(courseId)
  const groupId = principal.memberships.find((m) => m.municipalityId && teams?.has(m.municipalityId))?.municipalityId
  if (!groupId) return `/kurse/${courseId}`
  const group = (await groupsWithBoards(sql, courseId)).find((g) => g.id === groupId)
  return group?.board ? `/boards/${group.board.id}` : `/kurse/${courseId}`
}

const rowText = (max: number) => z.string().trim().max(max)

/** The "open a session" form: title, module and up to 12 phase rows (rows without a title are skipped). */
export const openSessionForm = z
  .object({
    title: z.string().trim().min(1).max(200),
    moduleNumber: z.union([z.literal('').transform(() => null), z.coerce.number().int().min(1).max(5)]),
    phaseTitle: z.array(rowText(200)).max(12),
    phasePrompt: z.array(rowText(4000)).max(12),
    phaseMinutes: z.array(z.union([z.literal('').transform(() => null), z.coerce.number().int().min(1).max(480)])).max(12),
  })
  .transform(({ title, moduleNumber, phaseTitle, phasePrompt, phaseMinutes }) => ({
    title,
    moduleNumber,
    phases: phaseTitle
      .map((phase, i) => ({ title: phase, prompt: phasePrompt[i] ?? '', durationSeconds: phaseMinutes[i] ? phaseMinutes[i]! * 60 : null }))
      .filter((phase) => phase.title.length > 0),
  }))

/** Reads the form's fields (repeated phase fields as arrays) for `openSessionForm`. */
export function openSessionFields(form: FormData) {
  return {
    title: form.get('title') ?? '',
    moduleNumber: form.get('moduleNumber') ?? '',
    phaseTitle: form.getAll('phaseTitle'),
    phasePrompt: form.getAll('phasePrompt'),
    phaseMinutes: form.getAll('phaseMinutes'),
  }
}
