/** Queries on facilitation sessions: their phases (the session script), live state and votes. */
import type { Sql } from './client.server'

export type SessionRow = {
  id: string
  courseId: string
  moduleNumber: number | null
  title: string
  status: 'open' | 'ended'
  state: unknown
  createdAt: Date
  endedAt: Date | null
}
export type PhaseRow = { id: string; position: number; title: string; prompt: string; durationSeconds: number | null }

const columns = (sql: Sql) =>
  sql`id, course_id as "courseId", module_number as "moduleNumber", title, status, state, created_at as "createdAt", ended_at as "endedAt"`

/** Opens a session for a course with its phases. */
export async function insertSession(
  sql: Sql,
  input: { courseId: string; moduleNumber: number | null; title: string; createdBy: string; state: unknown; phases: Omit<PhaseRow, 'id' | 'position'>[] },
): Promise<SessionRow> {
  const [row] = await sql<SessionRow[]>`
    insert into facilitation_sessions (course_id, module_number, title, created_by, state)
    values (${input.courseId}, ${input.moduleNumber}, ${input.title}, ${input.createdBy}, ${sql.json(input.state as never)})
    returning ${columns(sql)}`
  for (const [position, phase] of input.phases.entries()) {
    await sql`
      insert into facilitation_phases (session_id, position, title, prompt, duration_seconds)
      values (${row.id}, ${position}, ${phase.title}, ${phase.prompt}, ${phase.durationSeconds})`
  }
  return row
}

/** One session, or null. */
export async function getSession(sql: Sql, id: string): Promise<SessionRow | null> {
  const [row] = await sql<SessionRow[]>`select ${columns(sql)} from facilitation_sessions where id = ${id}`
  return row ?? null
}

/** The open sessions of some courses, newest first. */
export async function openSessions(sql: Sql, courseIds: string[]): Promise<SessionRow[]> {
  return sql<SessionRow[]>`
    select ${columns(sql)} from facilitation_sessions
    where status = 'open' and course_id = any(${courseIds}::uuid[]) order by created_at desc`
}

/** A session's phases in order. */
export async function listPhases(sql: Sql, sessionId: string): Promise<PhaseRow[]> {
  return sql<PhaseRow[]>`
    select id, position, title, prompt, duration_seconds as "durationSeconds"
    from facilitation_phases where session_id = ${sessionId} order by position`
}

/** Stores the live state (and, when ending, the status). */
export async function saveState(sql: Sql, id: string, state: unknown, status: 'open' | 'ended'): Promise<void> {
  await sql`
    update facilitation_sessions
    set state = ${sql.json(state as never)}, status = ${status}, ended_at = case when ${status} = 'ended' then coalesce(ended_at, now()) else null end
    where id = ${id}`
}
