/** The municipality page's server side: its Systemdesign status, boards, team and courses — as far as the policy lets this person see them. */
import { can, type Principal } from '../../access/policy'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'

/** Everything the municipality page shows this person. */
export async function municipalityPage(sql: Sql, principal: Principal, municipality: courses.Municipality) {
  const owner = { municipalityId: municipality.id, courseId: null }
  const [design, municipalBoards, members, itsCourses] = await Promise.all([
    courses.getDesign(sql, municipality.id),
    boards.listBoards(sql, { municipalityIds: [municipality.id] }),
    memberships.listMunicipalityMembers(sql, municipality.id),
    courses.coursesOfMunicipality(sql, municipality.id),
  ])
  const showEmails = can(principal, { type: 'municipality.manage', municipalityId: municipality.id })
  return {
    municipality: { id: municipality.id, name: municipality.name, kind: municipality.kind },
    design: { status: design?.status ?? 'Entwurf', updatedAt: design?.updatedAt.toISOString() ?? null },
    statuses: courses.designStatuses,
    canSetStatus: can(principal, { type: 'design.status', municipalityId: municipality.id }),
    boards: municipalBoards.map((b) => ({ id: b.id, title: b.title, updatedAt: b.updatedAt.toISOString() })),
    canCreateBoard: can(principal, { type: 'board.create', board: owner }),
    readOnly: !can(principal, { type: 'board.edit', board: owner }),
    team: members.map((m) => ({ id: m.id, name: m.name || m.email, email: showEmails ? m.email : null, role: m.role })),
    courses: itsCourses.filter((c) => can(principal, { type: 'course.view', courseId: c.id })).map((c) => ({ id: c.id, name: c.name, cohort: c.cohort })),
  }
}
