/**
 * Course administration behind the pages /kurse and /kurse/:id: what a person sees of a course
 * round (modules, teams, boards, people, open invitations) and the changes they may make —
 * every decision asked of the access policy.
 */
import type { AppLoadContext } from '@remix-run/node'
import { createInvitation } from '../../access/invitations.server'
import { can, municipalRoles, type Principal, type Role } from '../../access/policy'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'
import { createI18n } from '~/i18n'

/** Roles that can be granted within a course, in the order the invitation form offers them. */
const courseRoles = ['participant', 'mediator', 'guest', 'lecturer', 'coordinator'] as const satisfies readonly Role[]

const isMunicipalRole = (role: Role) => (municipalRoles as readonly Role[]).includes(role)

/** The courses a person may see, and whether they may create one. */
export async function courseList(sql: Sql, principal: Principal) {
  const all = await courses.listCourses(sql)
  return {
    courses: all
      .filter((c) => can(principal, { type: 'course.view', courseId: c.id }))
      .map((c) => ({ id: c.id, name: c.name, cohort: c.cohort, format: c.format, manage: can(principal, { type: 'course.manage', courseId: c.id }) })),
    canCreate: can(principal, { type: 'course.create' }),
  }
}

/** Everything the course page shows this person (people and invitations only to those who manage the course). */
export async function coursePage(sql: Sql, principal: Principal, course: courses.Course) {
  const manage = can(principal, { type: 'course.manage', courseId: course.id })
  const [modules, teams, courseBoards] = await Promise.all([courses.listModules(sql, course.id), courses.listTeams(sql, course.id), boards.listBoards(sql, { courseIds: [course.id] })])
  const teamIds = new Set(teams.map((t) => t.id))
  const teamName = new Map(teams.map((t) => [t.id, t.name]))
  const otherMunicipalities = manage ? (await courses.listMunicipalities(sql)).filter((m) => !teamIds.has(m.id)) : []
  const members = manage ? await memberships.listCourseMembers(sql, course.id) : []
  const invitations = manage ? await memberships.listCourseInvitations(sql, course.id) : []
  const scopeName = (m: { courseId: string | null; municipalityId: string | null }) => (m.municipalityId && teamName.get(m.municipalityId)) || null
  return {
    course: { id: course.id, name: course.name, cohort: course.cohort, format: course.format },
    manage,
    modules: [1, 2, 3, 4, 5].map((number) => {
      const m = modules.find((x) => x.number === number)
      return { number, title: m?.title ?? '', startsOn: m?.startsOn ?? '', endsOn: m?.endsOn ?? '', place: m?.place ?? '' }
    }),
    teams: teams.map((t) => ({ id: t.id, name: t.name, kind: t.kind, open: can(principal, { type: 'municipality.view', municipalityId: t.id }) })),
    otherMunicipalities: otherMunicipalities.map((m) => ({ id: m.id, name: m.name })),
    canCreateMunicipality: manage && can(principal, { type: 'municipality.create' }),
    boards: courseBoards.map((b) => ({ id: b.id, title: b.title })),
    canCreateBoard: can(principal, { type: 'board.create', board: { courseId: course.id, municipalityId: null } }),
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      scope: scopeName(m),
      canRevoke: can(principal, { type: 'membership.grant', role: m.role, courseId: m.courseId, municipalityId: m.municipalityId }),
    })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, scope: scopeName(i), expiresAt: i.expiresAt.toISOString() })),
    grantableRoles: courseRoles.filter((role) =>
      isMunicipalRole(role)
        ? teams.some((t) => can(principal, { type: 'membership.grant', role, courseId: course.id, municipalityId: t.id }))
        : can(principal, { type: 'membership.grant', role, courseId: course.id, municipalityId: null }),
    ),
  }
}

export type InviteResult = { ok: true; email: string; link: string; expiresAt: string; mailed: boolean } | { ok: false; error: 'municipalityNeeded' | 'notAllowed' }

/**
 * Invites someone into the course (municipal roles into one of its teams): the link is returned
 * as an absolute URL to pass on, and mailed too when SMTP is configured.
 */
export async function inviteToCourse(context: AppLoadContext, principal: Principal, courseId: string, input: { email: string; role: Role; municipalityId: string | null }): Promise<InviteResult> {
  const municipalRole = isMunicipalRole(input.role)
  if (municipalRole && !input.municipalityId) return { ok: false, error: 'municipalityNeeded' }
  const scope = { courseId, municipalityId: municipalRole ? input.municipalityId : null }
  if (municipalRole && !(await courses.listTeams(context.sql, courseId)).some((t) => t.id === scope.municipalityId)) {
    return { ok: false, error: 'municipalityNeeded' }
  }
  if (!can(principal, { type: 'membership.grant', role: input.role, ...scope })) return { ok: false, error: 'notAllowed' }
  const invitation = await createInvitation(context.sql, { email: input.email, role: input.role, ...scope }, principal.personId)
  const link = new URL(invitation.path, context.services.publicUrl).toString()
  const mailed = context.services.mailer.enabled ? await mailInvitation(context, input.email, input.role, link, invitation.expiresAt) : false
  return { ok: true, email: input.email, link, expiresAt: invitation.expiresAt.toISOString(), mailed }
}

/** Mails an invitation link (in German, the installation's language). */
export function mailInvitation(context: AppLoadContext, email: string, role: Role, link: string, expiresAt: Date): Promise<boolean> {
  const { t } = createI18n('de')
  const date = new Intl.DateTimeFormat('de', { dateStyle: 'long' }).format(expiresAt)
  return context.services.mailer.send(email, t('invitations.mailSubject'), t('invitations.mailText', { role: t(`roles.${role}`), link, date }))
}

/**
 * Revokes a role held within the course, if the person may grant it; re-checks the member's
 * open connections. 'not_found' when the membership does not belong to this course.
 */
export async function revokeInCourse(context: AppLoadContext, principal: Principal, courseId: string, membershipId: string): Promise<'revoked' | 'not_found' | 'forbidden'> {
  const membership = await memberships.getMembership(context.sql, membershipId)
  const teams = await courses.listTeams(context.sql, courseId)
  const inCourse = membership && (membership.courseId === courseId || teams.some((t) => t.id === membership.municipalityId))
  if (!membership || !inCourse) return 'not_found'
  const { role, municipalityId } = membership
  if (!can(principal, { type: 'membership.grant', role, courseId: membership.courseId, municipalityId })) return 'forbidden'
  await memberships.revoke(context.sql, membership.id, principal.personId)
  await context.services.accessChanged(membership.personId)
  return 'revoked'
}

/** Creates a municipality (with its Systemdesign) and adds its team to the course; null if the name is taken. */
export async function createMunicipalityInCourse(sql: Sql, courseId: string, input: { name: string; kind: courses.MunicipalityKind }) {
  const created = await courses.createMunicipality(sql, input)
  if (created) await courses.addTeam(sql, courseId, created.id)
  return created
}
