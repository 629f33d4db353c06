/** Queries on personal access tokens: listing, expiry and revocation (creation and lookup are in people.server.ts). */
import type { Sql } from './client.server'

export type AccessTokenRow = {
  id: string
  personId: string
  label: string
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
}

const columns = (sql: Sql) =>
  sql`id, person_id as "personId", label, created_at as "createdAt", last_used_at as "lastUsedAt", expires_at as "expiresAt", revoked_at as "revokedAt"`

/** A person's tokens, newest first (revoked and expired ones included, so the list explains itself). */
export async function listAccessTokens(sql: Sql, personId: string): Promise<AccessTokenRow[]> {
  return sql<AccessTokenRow[]>`select ${columns(sql)} from access_tokens where person_id = ${personId} order by created_at desc`
}

/** Sets when a token stops working (null: never). */
export async function setAccessTokenExpiry(sql: Sql, tokenId: string, expiresAt: Date | null): Promise<void> {
  await sql`update access_tokens set expires_at = ${expiresAt} where id = ${tokenId}`
}

/**
 * Revokes a token (of `personId` only, unless null: any person's, for the CLI) and tells every
 * process through Postgres NOTIFY; returns the token's hash, or null if there was nothing to revoke.
 */
export async function revokeAccessTokenById(sql: Sql, tokenId: string, personId: string | null): Promise<string | null> {
  const [row] = await sql<{ tokenHash: string; id: string }[]>`
    update access_tokens set revoked_at = now()
    where id = ${tokenId} and revoked_at is null ${personId ? sql`and person_id = ${personId}` : sql``}
    returning token_hash as "tokenHash", id::text as id`
  if (!row) return null
  await sql`select pg_notify(${TOKEN_REVOKED_CHANNEL}, ${row.id})`
  return row.tokenHash
}

/** The NOTIFY channel on which revocations reach running servers (also those the CLI did not start). */
export const TOKEN_REVOKED_CHANNEL = 'werkraum_token_revoked'
