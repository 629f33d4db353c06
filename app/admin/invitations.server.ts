/** Accepting an invitation: what the invitee sees, and turning the link into an account and a role. */
import type { AppLoadContext } from '@remix-run/node'
import { acceptInvitation, findInvitation } from '../../access/invitations.server'
import type { Principal } from '../../access/policy'
import * as courses from '../../db/courses.server'
import * as people from '../../db/people.server'

/** The invitation behind a link as its page shows it, and how the visitor relates to it. */
export async function invitationPage(context: AppLoadContext, secret: string, principal: Principal | null) {
  const invitation = await findInvitation(context.sql, secret)
  if (!invitation) return { valid: false as const }
  const [course, municipality, me] = await Promise.all([
    invitation.courseId ? courses.getCourse(context.sql, invitation.courseId) : null,
    invitation.municipalityId ? courses.getMunicipality(context.sql, invitation.municipalityId) : null,
    principal ? people.getPerson(context.sql, principal.personId) : null,
  ])
  return {
    valid: true as const,
    email: invitation.email,
    role: invitation.role,
    scope: [municipality?.name, course?.name].filter(Boolean).join(' · '),
    visitor: !me ? ('new' as const) : me.email === invitation.email ? ('invitee' as const) : ('other' as const),
    signedInAs: me?.email ?? null,
  }
}

/** Accepts the invitation for the signed-in invitee, or by creating their account; re-checks their connections. */
export async function accept(context: AppLoadContext, secret: string, input: { existingPersonId: string } | { name: string; password: string }) {
  const result = await acceptInvitation(context.sql, secret, input)
  if (result.ok) await context.services.accessChanged(result.personId)
  return result
}
