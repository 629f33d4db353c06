/** The administration page's server side: everyone with their roles, and reset links issued by an administrator. */
import type { AppLoadContext } from '@remix-run/node'
import { issuePasswordReset } from '../../access/password-reset.server'
import type { Sql } from '../../db/client.server'
import * as courses from '../../db/courses.server'
import { loadRoles } from '../../db/memberships.server'
import * as people from '../../db/people.server'

/** Every person with their roles (role and scope name). */
export async function peopleWithRoles(sql: Sql) {
  const [everyone, allCourses, municipalities] = await Promise.all([people.listPeople(sql), courses.listCourses(sql), courses.listMunicipalities(sql)])
  const names = new Map([...allCourses.map((c) => [c.id, c.name] as const), ...municipalities.map((m) => [m.id, m.name] as const)])
  return Promise.all(
    everyone.map(async (person) => ({
      id: person.id,
      name: person.name,
      email: person.email,
      createdAt: person.createdAt.toISOString(),
      roles: (await loadRoles(sql, person.id)).memberships.map((m) => ({
        id: m.id,
        role: m.role,
        scope: [m.municipalityId && names.get(m.municipalityId), m.courseId && names.get(m.courseId)].filter(Boolean).join(' · '),
      })),
    })),
  )
}

/** Issues a reset link for a person; returns the absolute link to pass on, or null for an unknown person. */
export async function resetLinkFor(context: AppLoadContext, personId: string, issuedBy: string) {
  const person = await people.getPerson(context.sql, personId)
  if (!person) return null
  const reset = await issuePasswordReset(context.sql, person.id, issuedBy)
  return { email: person.email, link: new URL(reset.path, context.services.publicUrl).toString() }
}
