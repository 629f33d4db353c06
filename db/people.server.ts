/** Queries on people, their sessions, personal access tokens and password-reset links. */
import type { Sql } from './client.server'

export type Person = { id: string; email: string; name: string; createdAt: Date }
type PersonWithHash = Person & { passwordHash: string | null }

const personColumns = (sql: Sql) => sql`id, email, name, created_at as "createdAt"`

/** Normalises an e-mail address the way it is stored (trimmed, lower case). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** Creates a person (email unique); returns null if the email is taken. */
export async function createPerson(sql: Sql, input: { email: string; name: string; passwordHash: string | null }): Promise<Person | null> {
  const rows = await sql<Person[]>`
    insert into people (email, name, password_hash)
    values (${normaliseEmail(input.email)}, ${input.name}, ${input.passwordHash})
    on conflict (email) do nothing
    returning ${personColumns(sql)}`
  return rows[0] ?? null
}

/** Finds a person by email, with the password hash (for signing in). */
export async function findPersonByEmail(sql: Sql, email: string): Promise<PersonWithHash | null> {
  const [row] = await sql<PersonWithHash[]>`
    select ${personColumns(sql)}, password_hash as "passwordHash" from people where email = ${normaliseEmail(email)}`
  return row ?? null
}

/** Returns one person, or null. */
export async function getPerson(sql: Sql, id: string): Promise<Person | null> {
  const [row] = await sql<Person[]>`select ${personColumns(sql)} from people where id = ${id}`
  return row ?? null
}

/** Lists people by name. */
export async function listPeople(sql: Sql): Promise<Person[]> {
  return sql<Person[]>`select ${personColumns(sql)} from people order by name, email`
}

/** Sets name and password hash of a person. */
export async function updatePerson(sql: Sql, id: string, input: { name?: string; passwordHash?: string }): Promise<void> {
  if (input.name !== undefined) await sql`update people set name = ${input.name} where id = ${id}`
  if (input.passwordHash !== undefined) await sql`update people set password_hash = ${input.passwordHash} where id = ${id}`
}

// ── sessions ─────────────────────────────────────────────────────────────────────────────

/** Stores a new session (by the hash of its secret). */
export async function insertSession(sql: Sql, idHash: string, personId: string, expiresAt: Date): Promise<void> {
  await sql`insert into sessions (id_hash, person_id, expires_at) values (${idHash}, ${personId}, ${expiresAt})`
}

/** The person of a live session, refreshing its last-seen time; null if unknown or expired. */
export async function personForSession(sql: Sql, idHash: string): Promise<string | null> {
  const [row] = await sql<{ personId: string }[]>`
    update sessions set last_seen_at = now()
    where id_hash = ${idHash} and expires_at > now()
    returning person_id as "personId"`
  return row?.personId ?? null
}

/** Ends one session. */
export async function deleteSession(sql: Sql, idHash: string): Promise<void> {
  await sql`delete from sessions where id_hash = ${idHash}`
}

/** Ends every session of a person (e.g. after a password reset). */
export async function deleteSessionsOf(sql: Sql, personId: string): Promise<void> {
  await sql`delete from sessions where person_id = ${personId}`
}

// ── personal access tokens ───────────────────────────────────────────────────────────────

/** Stores a personal access token (by its hash), optionally expiring. */
export async function insertAccessToken(sql: Sql, personId: string, tokenHash: string, label: string, expiresAt: Date | null = null): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into access_tokens (person_id, token_hash, label, expires_at) values (${personId}, ${tokenHash}, ${label}, ${expiresAt}) returning id`
  return row.id
}

/** The person and id of a valid (unrevoked, unexpired) token, recording its use; null otherwise. */
export async function accessTokenFor(sql: Sql, tokenHash: string): Promise<{ personId: string; tokenId: string } | null> {
  const [row] = await sql<{ personId: string; tokenId: string }[]>`
    update access_tokens set last_used_at = now()
    where token_hash = ${tokenHash} and revoked_at is null and (expires_at is null or expires_at > now())
    returning person_id as "personId", id as "tokenId"`
  return row ?? null
}

/** Of the given sessions (by hash) and tokens (by id), those still valid now. */
export async function stillValid(sql: Sql, sessionIds: string[], tokenIds: string[]): Promise<{ sessions: Set<string>; tokens: Set<string> }> {
  const sessions = sessionIds.length ? await sql<{ id: string }[]>`select id_hash as id from sessions where id_hash = any(${sessionIds}::text[]) and expires_at > now()` : []
  const tokens = tokenIds.length ? await sql<{ id: string }[]>`select id::text as id from access_tokens where id = any(${tokenIds}::uuid[]) and revoked_at is null and (expires_at is null or expires_at > now())` : []
  return { sessions: new Set(sessions.map((r) => r.id)), tokens: new Set(tokens.map((r) => r.id)) }
}

/** Revokes a token of a person. */
export async function revokeAccessToken(sql: Sql, personId: string, tokenId: string): Promise<boolean> {
  const rows = await sql`update access_tokens set revoked_at = now() where id = ${tokenId} and person_id = ${personId} and revoked_at is null returning id`
  return rows.length > 0
}

// ── password resets ──────────────────────────────────────────────────────────────────────

/** Stores a single-use password-reset link. */
export async function insertPasswordReset(sql: Sql, tokenHash: string, personId: string, createdBy: string | null, expiresAt: Date): Promise<void> {
  await sql`insert into password_resets (token_hash, person_id, created_by, expires_at) values (${tokenHash}, ${personId}, ${createdBy}, ${expiresAt})`
}

/** The person of an unused, unexpired reset link, without using it. */
export async function personForPasswordReset(sql: Sql, tokenHash: string): Promise<string | null> {
  const [row] = await sql<{ personId: string }[]>`
    select person_id as "personId" from password_resets where token_hash = ${tokenHash} and used_at is null and expires_at > now()`
  return row?.personId ?? null
}

/** Marks a reset link used; returns its person, or null if it was not (or no longer) valid. */
export async function usePasswordReset(sql: Sql, tokenHash: string): Promise<string | null> {
  const [row] = await sql<{ personId: string }[]>`
    update password_resets set used_at = now()
    where token_hash = ${tokenHash} and used_at is null and expires_at > now()
    returning person_id as "personId"`
  return row?.personId ?? null
}
