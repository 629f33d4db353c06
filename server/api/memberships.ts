/**
 * Membership routes of the JSON API: the members of a course or municipality, grant a role to a
 * registered person, revoke one, and invite someone by email. A change of roles re-checks the
 * person's open connections at once (LiveAccess).
 */
import type { Router } from 'express'
import { z } from 'zod'
import { can, createInvitation, roles } from '../../access'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'
import { sendError, validId, who, fieldIssues, type ApiDeps } from './common'

const uuid = z.uuid()
const grantBody = z.object({
  email: z.email(),
  role: z.enum(roles),
  courseId: uuid.nullable().default(null),
  municipalityId: uuid.nullable().default(null),
})

/** Adds the membership and invitation routes to the API router. */
export function membershipRoutes(router: Router, { sql, live, publicUrl }: ApiDeps): void {
  router.get('/memberships', async (req, res) => {
    const p = who(res)
    const courseId = typeof req.query.courseId === 'string' ? req.query.courseId : null
    const municipalityId = typeof req.query.municipalityId === 'string' ? req.query.municipalityId : null
    if (courseId && validId(courseId)) {
      if (!can(p, { type: 'course.manage', courseId })) return sendError(req, res, 'forbidden')
      return res.json({ memberships: await memberships.listCourseMembers(sql, courseId) })
    }
    if (municipalityId && validId(municipalityId)) {
      if (!can(p, { type: 'municipality.manage', municipalityId })) return sendError(req, res, 'forbidden')
      return res.json({ memberships: await memberships.listMunicipalityMembers(sql, municipalityId) })
    }
    sendError(req, res, 'invalid_body')
  })
  router.post('/memberships', async (req, res) => {
    const parsed = grantBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const person = await people.findPersonByEmail(sql, email)
    if (!person) return sendError(req, res, 'person_unknown')
    const id = await memberships.grant(sql, { personId: person.id, ...scope, grantedBy: who(res).personId })
    await live.changed(person.id)
    res.status(201).json({ id, personId: person.id, ...scope })
  })
  router.delete('/memberships/:id', async (req, res) => {
    const membership = validId(req.params.id) ? await memberships.getMembership(sql, req.params.id) : null
    if (!membership) return sendError(req, res, 'not_found')
    const { role, courseId, municipalityId } = membership
    if (!can(who(res), { type: 'membership.grant', role, courseId, municipalityId })) return sendError(req, res, 'forbidden')
    await memberships.revoke(sql, membership.id, who(res).personId)
    await live.changed(membership.personId)
    res.status(204).end()
  })
  router.post('/invitations', async (req, res) => {
    const parsed = grantBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const invitation = await createInvitation(sql, { email, ...scope }, who(res).personId)
    res.status(201).json({ id: invitation.id, link: new URL(invitation.path, publicUrl ?? `${req.protocol}://${req.get('host')}`).toString(), expiresAt: invitation.expiresAt })
  })
}
