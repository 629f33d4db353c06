/** Queries for single sign-on: sign-ins in flight (state, nonce, PKCE verifier) and sessions that came from the provider. */
import type { Sql } from './client.server'
import type { Role } from '../access/policy'

export type PendingSignIn = { nonce: string; codeVerifier: string; returnTo: string }

/** Stores a sign-in in flight, keyed by the hash of its state (10 minutes to come back). */
export async function insertPendingSignIn(sql: Sql, stateHash: string, pending: PendingSignIn): Promise<void> {
  await sql`delete from sso_sign_ins where expires_at < now()`
  await sql`
    insert into sso_sign_ins (state_hash, nonce, code_verifier, return_to, expires_at)
    values (${stateHash}, ${pending.nonce}, ${pending.codeVerifier}, ${pending.returnTo}, now() + interval '10 minutes')`
}

/** Takes (reads and deletes) a sign-in in flight: each state is good for one return only. */
export async function takePendingSignIn(sql: Sql, stateHash: string): Promise<PendingSignIn | null> {
  const [row] = await sql<PendingSignIn[]>`
    delete from sso_sign_ins where state_hash = ${stateHash} and expires_at > now()
    returning nonce, code_verifier as "codeVerifier", return_to as "returnTo"`
  return row ?? null
}

/** Records which provider session a new Werkraum session belongs to. */
export async function markSessionFromProvider(sql: Sql, idHash: string, from: { subject: string; sessionId: string | null; idToken: string | null }): Promise<void> {
  await sql`update sessions set sso_subject = ${from.subject}, sso_session_id = ${from.sessionId}, sso_id_token = ${from.idToken} where id_hash = ${idHash}`
}

/** The provider's ID token of a session (for signing out there too), or null for a password session. */
export async function providerIdTokenOf(sql: Sql, idHash: string): Promise<string | null> {
  const [row] = await sql<{ idToken: string | null }[]>`select sso_id_token as "idToken" from sessions where id_hash = ${idHash}`
  return row?.idToken ?? null
}

/** Ends the sessions the provider says are over: by its session id, else every session of the subject. */
export async function endProviderSessions(sql: Sql, by: { subject: string | null; sessionId: string | null }): Promise<number> {
  const rows = by.sessionId
    ? await sql`delete from sessions where sso_session_id = ${by.sessionId} returning id_hash`
    : await sql`delete from sessions where sso_subject = ${by.subject} returning id_hash`
  return rows.length
}

/** Open (unaccepted, unexpired) invitations for an email address: signing in through the provider accepts them. */
export async function openInvitationsFor(sql: Sql, email: string): Promise<{ id: string; role: Role; courseId: string | null; municipalityId: string | null }[]> {
  return sql`
    select id, role, course_id as "courseId", municipality_id as "municipalityId"
    from invitations where email = ${email} and accepted_at is null and expires_at > now()`
}
