/** What the dashboard shows a person: their courses, municipalities, roles and recently opened boards. */
import type { Principal } from '../access/policy'
import { can } from '../access/policy'
import type { Sql } from '../db/client.server'
import { recentBoards } from '../db/boards.server'
import { listCourses, listMunicipalities } from '../db/courses.server'

/** The dashboard of one person, everything filtered through the policy. */
export async function dashboardFor(sql: Sql, principal: Principal) {
  const [courses, municipalities, recent] = await Promise.all([listCourses(sql), listMunicipalities(sql), recentBoards(sql, principal.personId)])
  const courseName = new Map(courses.map((c) => [c.id, c.name]))
  const municipalityName = new Map(municipalities.map((m) => [m.id, m.name]))
  return {
    courses: courses
      .filter((c) => can(principal, { type: 'course.view', courseId: c.id }))
      .map((c) => ({ id: c.id, name: c.name, cohort: c.cohort, manage: can(principal, { type: 'course.manage', courseId: c.id }) })),
    municipalities: municipalities.filter((m) => can(principal, { type: 'municipality.view', municipalityId: m.id })).map((m) => ({ id: m.id, name: m.name, kind: m.kind })),
    roles: principal.memberships.map((m) => ({
      id: m.id,
      role: m.role,
      scope: [m.courseId && courseName.get(m.courseId), m.municipalityId && municipalityName.get(m.municipalityId)].filter(Boolean).join(' · '),
    })),
    recentBoards: recent
      .filter((b) => can(principal, { type: 'board.view', board: b }))
      .map((b) => ({
        id: b.id,
        title: b.title,
        where: (b.municipalityId && municipalityName.get(b.municipalityId)) || (b.courseId && courseName.get(b.courseId)) || '',
        openedAt: b.openedAt.toISOString(),
      })),
  }
}
