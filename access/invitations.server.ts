/**
 * Invitations: a coordinator or lecturer invites someone by email and role; the single-use,
 * expiring link lets the invitee set name and password (or, if they already have an account,
 * simply gain the role). The link is shown to the inviter; with SMTP configured it is mailed too.
 */
import { asSql, type Sql } from '../db/client.server'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import { hashPassword, hashSecret, newSecret } from './credentials.server'
import type { Role } from './policy'

export const INVITATION_DAYS = 14

export type InvitationInput = { email: string; role: Role; courseId: string | null; municipalityId: string | null }

/** Stores an invitation and returns its secret link path (`/einladung/<secret>`). */
export async function createInvitation(sql: Sql, input: InvitationInput, invitedBy: string): Promise<{ id: string; path: string; expiresAt: Date }> {
  const secret = newSecret()
  const invitation = await memberships.insertInvitation(sql, {
    ...input,
    email: people.normaliseEmail(input.email),
    tokenHash: hashSecret(secret),
    invitedBy,
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
  })
  return { id: invitation.id, path: `/einladung/${secret}`, expiresAt: invitation.expiresAt }
}

/** The open invitation behind a link secret, or null if unknown, used or expired. */
export function findInvitation(sql: Sql, secret: string): Promise<memberships.Invitation | null> {
  if (secret.length > 100) return Promise.resolve(null)
  return memberships.findOpenInvitation(sql, hashSecret(secret))
}

export type AcceptResult = { ok: true; personId: string } | { ok: false; reason: 'invalid' | 'account_exists' }

/**
 * Accepts an invitation exactly once: creates the account with name and password (or uses the
 * existing account when `existingPersonId` is the invitee) and grants the role.
 */
export async function acceptInvitation(sql: Sql, secret: string, input: { name: string; password: string } | { existingPersonId: string }): Promise<AcceptResult> {
  const invitation = await findInvitation(sql, secret)
  if (!invitation) return { ok: false, reason: 'invalid' }
  const passwordHash = 'password' in input ? await hashPassword(input.password) : null
  return sql
    .begin(async (t) => {
      const tx = asSql(t)
      if (!(await memberships.markInvitationAccepted(tx, invitation.id))) return { ok: false, reason: 'invalid' } as const
      let personId: string
      if ('existingPersonId' in input) {
        const person = await people.getPerson(tx, input.existingPersonId)
        if (!person || person.email !== invitation.email) throw new InvitationMismatch()
        personId = person.id
      } else {
        const existing = await people.findPersonByEmail(tx, invitation.email)
        if (existing?.passwordHash) throw new AccountExists()
        if (existing) {
          await people.updatePerson(tx, existing.id, { name: input.name, passwordHash: passwordHash! })
          personId = existing.id
        } else {
          const created = await people.createPerson(tx, { email: invitation.email, name: input.name, passwordHash })
          personId = created!.id
        }
      }
      await memberships.grant(tx, { personId, role: invitation.role, courseId: invitation.courseId, municipalityId: invitation.municipalityId, grantedBy: personId, via: 'invitation' })
      return { ok: true, personId } as const
    })
    .catch((error) => {
      if (error instanceof AccountExists) return { ok: false, reason: 'account_exists' } as const
      if (error instanceof InvitationMismatch) return { ok: false, reason: 'invalid' } as const
      throw error
    })
}

class AccountExists extends Error {}
class InvitationMismatch extends Error {}
