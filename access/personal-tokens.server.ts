/**
 * Personal access tokens for municipal IT's scripts: issued with a name and an expiry, listed
 * without their secrets, revoked by their owner (or by the CLI). Revoking one closes the
 * sockets opened with it (server/live-sessions.ts) through the `onRevoked` callback.
 */
import { z } from 'zod'
import type { Sql } from '../db/client.server'
import * as tokens from '../db/access-tokens.server'
import { createAccessToken } from './authenticate.server'

/** What a new token needs: a name saying what it is for, and days until it expires (null: never). */
export const newTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).nullable().default(90),
})
export type NewTokenInput = z.infer<typeof newTokenInput>

export type TokenStatus = 'active' | 'expired' | 'revoked'
export type PersonalToken = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null; status: TokenStatus }

/** Issues a token; the secret is returned once and stored only as a hash. */
export async function issuePersonalToken(sql: Sql, personId: string, input: NewTokenInput): Promise<{ id: string; token: string; name: string; expiresAt: Date | null }> {
  const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000)
  const { id, token } = await createAccessToken(sql, personId, input.name, expiresAt)
  return { id, token, name: input.name, expiresAt }
}

/** A person's tokens with their status, newest first. */
export async function listPersonalTokens(sql: Sql, personId: string): Promise<PersonalToken[]> {
  const now = Date.now()
  return (await tokens.listAccessTokens(sql, personId)).map((t) => ({
    id: t.id,
    name: t.label,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    status: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= now ? 'expired' : 'active',
  }))
}

/** Revokes a token of `personId` (null: of anyone, for the CLI) and reports its id to `onRevoked`; false if there was none to revoke. */
export async function revokePersonalToken(sql: Sql, tokenId: string, personId: string | null, onRevoked: (tokenId: string) => void = () => {}): Promise<boolean> {
  if (!z.uuid().safeParse(tokenId).success) return false
  const tokenHash = await tokens.revokeAccessTokenById(sql, tokenId, personId)
  if (!tokenHash) return false
  onRevoked(tokenId)
  return true
}
