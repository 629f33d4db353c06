/**
 * Password reset through a link an administrator issues (no mail server needed): single-use,
 * expiring, stored only as a hash. Setting the new password ends all of the person's sessions.
 */
import { asSql, type Sql } from '../db/client.server'
import * as people from '../db/people.server'
import { hashPassword, hashSecret, newSecret } from './credentials.server'

export const RESET_DAYS = 3

/** Issues a reset link for a person; returns its path (`/passwort/<secret>`), shown once. */
export async function issuePasswordReset(sql: Sql, personId: string, createdBy: string | null): Promise<{ path: string; expiresAt: Date }> {
  const secret = newSecret()
  const expiresAt = new Date(Date.now() + RESET_DAYS * 24 * 3600 * 1000)
  await people.insertPasswordReset(sql, hashSecret(secret), personId, createdBy, expiresAt)
  return { path: `/passwort/${secret}`, expiresAt }
}

/** The person a reset link is for, or null if it is unknown, used or expired (the link stays unused). */
export function personForResetLink(sql: Sql, secret: string): Promise<string | null> {
  if (secret.length > 100) return Promise.resolve(null)
  return people.personForPasswordReset(sql, hashSecret(secret))
}

/** Uses a reset link exactly once: sets the new password and ends every session of the person. */
export async function resetPassword(sql: Sql, secret: string, password: string): Promise<{ ok: true; personId: string } | { ok: false }> {
  if (secret.length > 100) return { ok: false }
  const passwordHash = await hashPassword(password)
  return sql.begin(async (t) => {
    const tx = asSql(t)
    const personId = await people.usePasswordReset(tx, hashSecret(secret))
    if (!personId) return { ok: false } as const
    await people.updatePerson(tx, personId, { passwordHash })
    await people.deleteSessionsOf(tx, personId)
    return { ok: true, personId } as const
  })
}
