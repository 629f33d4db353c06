/** Queries on facilitation sessions: their phases (the session script), live state and votes. */
import type { Sql } from './client.server'

export type SessionRow = {
  id: string
  courseId: string
  moduleNumber: number | null
  title: string
  status: SessionStatus
  state: unknown
  createdAt: Date
  endedAt: Date | null
  /** Counts every stored change of the live state (and of a planned session's script). */
  version: number
}
export type SessionStatus = 'planned' | 'open' | 'ended'
/** What advancing to a phase applies to every group board (see collab/features/session-script.server.ts). */
export type PhaseScript = {
  /** A catalogue template key or `course:<uuid>`; null = none. */
  template: string | null
  lock: 'keep' | 'lock' | 'unlock'
  privateMode: boolean
  /** Dots per person of the voting round on the template's frame; null = no voting. */
  voteDots: number | null
  voteAnonymous: boolean
}
export type PhaseRow = { id: string; position: number; title: string; prompt: string; durationSeconds: number | null } & PhaseScript
export type PhaseInput = Omit<PhaseRow, 'id' | 'position' | keyof PhaseScript> & Partial<PhaseScript>

const columns = (sql: Sql) =>
  sql`id, course_id as "courseId", module_number as "moduleNumber", title, status, state, created_at as "createdAt", ended_at as "endedAt", version`

/** Creates a session for a course with its phases: open now, or planned (prepared, opened later). */
export async function insertSession(
  sql: Sql,
  input: { courseId: string; moduleNumber: number | null; title: string; createdBy: string; state: unknown; phases: PhaseInput[]; status?: 'planned' | 'open' },
): Promise<SessionRow> {
  return sql.begin(async (tx) => {
    const [row] = await tx<SessionRow[]>`
      insert into facilitation_sessions (course_id, module_number, title, created_by, state, status)
      values (${input.courseId}, ${input.moduleNumber}, ${input.title}, ${input.createdBy}, ${tx.json(input.state as never)}, ${input.status ?? 'open'})
      returning ${columns(tx as unknown as Sql)}`
    await insertPhases(tx as unknown as Sql, row.id, input.phases)
    return row
  }) as Promise<SessionRow>
}

async function insertPhases(sql: Sql, sessionId: string, phases: PhaseInput[]): Promise<void> {
  for (const [position, phase] of phases.entries()) {
    await sql`
      insert into facilitation_phases (session_id, position, title, prompt, duration_seconds, template, lock, private_mode, vote_dots, vote_anonymous)
      values (${sessionId}, ${position}, ${phase.title}, ${phase.prompt}, ${phase.durationSeconds}, ${phase.template ?? null}, ${phase.lock ?? 'keep'},
              ${phase.privateMode ?? false}, ${phase.voteDots ?? null}, ${phase.voteAnonymous ?? true})`
  }
}

/**
 * Replaces a planned session's title, module and phases in one transaction; returns false (and
 * changes nothing) when the session is not planned (any more).
 */
export async function replacePlan(sql: Sql, id: string, input: { title: string; moduleNumber: number | null; phases: PhaseInput[] }): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ status: string }[]>`select status from facilitation_sessions where id = ${id} for update`
    if (row?.status !== 'planned') return false
    await tx`update facilitation_sessions set title = ${input.title}, module_number = ${input.moduleNumber}, version = version + 1 where id = ${id}`
    await tx`delete from facilitation_phases where session_id = ${id}`
    await insertPhases(tx as unknown as Sql, id, input.phases)
    return true
  }) as Promise<boolean>
}

/** Opens a planned session (status 'planned' → 'open', created_at now so it sorts as the newest open one); false when it was not planned. */
export async function openPlanned(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`update facilitation_sessions set status = 'open', created_at = now(), version = version + 1 where id = ${id} and status = 'planned' returning id`
  return rows.length === 1
}

/** The planned sessions of a course, oldest first. */
export async function plannedSessions(sql: Sql, courseId: string): Promise<SessionRow[]> {
  return sql<SessionRow[]>`
    select ${columns(sql)} from facilitation_sessions where status = 'planned' and course_id = ${courseId} order by created_at`
}

/** One session, or null; with `forUpdate` (inside a transaction) its row stays locked until the transaction ends. */
export async function getSession(sql: Sql, id: string, options: { forUpdate?: boolean } = {}): Promise<SessionRow | null> {
  const [row] = await sql<SessionRow[]>`select ${columns(sql)} from facilitation_sessions where id = ${id} ${options.forUpdate ? sql`for update` : sql``}`
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
    select id, position, title, prompt, duration_seconds as "durationSeconds", template, lock,
           private_mode as "privateMode", vote_dots as "voteDots", vote_anonymous as "voteAnonymous"
    from facilitation_phases where session_id = ${sessionId} order by position`
}

/** Stores the live state (and, when ending, the status); returns the session's new version. */
export async function saveState(sql: Sql, id: string, state: unknown, status: SessionStatus): Promise<number> {
  const [row] = await sql<{ version: number }[]>`
    update facilitation_sessions
    set state = ${sql.json(state as never)}, status = ${status}, ended_at = case when ${status} = 'ended' then coalesce(ended_at, now()) else null end,
        version = version + 1
    where id = ${id}
    returning version`
  return row?.version ?? 0
}

export type DotCount = { personId: string; target: string; dots: number }

/**
 * Adds (+1) or takes back (-1) one dot of a person on a target in a voting round, never beyond
 * `maxDots` per person in the round. Run it inside a transaction that holds the session's row
 * (`getSession(tx, id, { forUpdate: true })`), so concurrent dots of one person (from any
 * process) cannot exceed the limit and a round that closes meanwhile takes no more dots.
 * Returns the person's dots after the change, or null when the change was refused (limit,
 * nothing to take back).
 */
export async function changeDot(
  tx: Sql,
  input: { sessionId: string; roundId: string; personId: string; target: string; delta: 1 | -1; maxDots: number },
): Promise<Record<string, number> | null> {
  const mine = await personDots(tx, input.sessionId, input.roundId, input.personId)
  const used = Object.values(mine).reduce((a, b) => a + b, 0)
  if (input.delta === 1) {
    if (used >= input.maxDots) return null
    await tx`
      insert into facilitation_votes (session_id, round_id, person_id, target, dots)
      values (${input.sessionId}, ${input.roundId}, ${input.personId}, ${input.target}, 1)
      on conflict (session_id, round_id, person_id, target) do update set dots = facilitation_votes.dots + 1`
    mine[input.target] = (mine[input.target] ?? 0) + 1
    return mine
  }
  const had = mine[input.target] ?? 0
  if (had === 0) return null
  if (had === 1) {
    await tx`delete from facilitation_votes where session_id = ${input.sessionId} and round_id = ${input.roundId} and person_id = ${input.personId} and target = ${input.target}`
    delete mine[input.target]
  } else {
    await tx`update facilitation_votes set dots = dots - 1 where session_id = ${input.sessionId} and round_id = ${input.roundId} and person_id = ${input.personId} and target = ${input.target}`
    mine[input.target] = had - 1
  }
  return mine
}

/** One person's dots in a round, by target. */
export async function personDots(sql: Sql, sessionId: string, roundId: string, personId: string): Promise<Record<string, number>> {
  const rows = await sql<{ target: string; dots: number }[]>`
    select target, dots from facilitation_votes where session_id = ${sessionId} and round_id = ${roundId} and person_id = ${personId}`
  return Object.fromEntries(rows.map((r) => [r.target, r.dots]))
}

/** Every dot of a round (person, target, count). */
export async function roundDots(sql: Sql, sessionId: string, roundId: string): Promise<DotCount[]> {
  return sql<DotCount[]>`
    select person_id as "personId", target, dots from facilitation_votes
    where session_id = ${sessionId} and round_id = ${roundId} order by target, person_id`
}
