/**
 * Demo data: the pilot round of the NRW programme (2017) with its six municipalities, and one
 * person per role, so that a newcomer can sign in and try every role at once. Created by
 * `npm run seed:demo` and on the first start of an empty embedded database.
 */
import { hashPassword, verifyPassword } from '../access'
import type { Role } from '../access'
import { asSql, type Sql } from '../db/client.server'
import * as boards from '../db/boards.server'
import * as courses from '../db/courses.server'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'

export const DEMO_PASSWORD = 'werkraum-demo'

/** The demo accounts (all with DEMO_PASSWORD); the README lists them. */
export const demoPeople: { email: string; name: string; role: Role; municipalities?: string[] }[] = [
  { email: 'admin@werkraum.test', name: 'Alex Administrator', role: 'administrator' },
  { email: 'koordination@werkraum.test', name: 'Karin Koordination', role: 'coordinator' },
  { email: 'dozentin@werkraum.test', name: 'Dr. Dora Dozentin', role: 'lecturer' },
  { email: 'mediator@werkraum.test', name: 'Mehmet Mediator', role: 'mediator', municipalities: ['Hamm', 'Soest'] },
  { email: 'hamm@werkraum.test', name: 'Hanna Hamm', role: 'participant', municipalities: ['Hamm'] },
  { email: 'duisburg@werkraum.test', name: 'Dirk Duisburg', role: 'participant', municipalities: ['Duisburg'] },
  { email: 'gast.hamm@werkraum.test', name: 'Gisela Gast (Verwaltungsspitze Hamm)', role: 'guest', municipalities: ['Hamm'] },
]

const pilotMunicipalities: { name: string; kind: courses.MunicipalityKind }[] = [
  { name: 'Soest', kind: 'Stadt' },
  { name: 'Hamm', kind: 'Stadt' },
  { name: 'Duisburg', kind: 'Stadt' },
  { name: 'Solingen', kind: 'Stadt' },
  { name: 'Herne', kind: 'Stadt' },
  { name: 'Oberbergischer Kreis', kind: 'Kreis' },
]

const pilotModules = [
  { number: 1, title: 'Grundlagen: Konflikte und Konfliktmanagementsysteme' },
  { number: 2, title: 'Konfliktanalyse und Akteure' },
  { number: 3, title: 'Systemdesign: Anlaufstellen und Verfahren' },
  { number: 4, title: 'Steuerung, Netzwerk und Qualifizierung' },
  { number: 5, title: 'Umsetzung, Evaluation und Präsentation' },
]

/** True when the database has no course and no person yet. */
export async function isEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select (select count(*) from people) + (select count(*) from courses) as n`
  return Number(row.n) === 0
}

const pilotCourse = { name: 'Integrationsmanagement und Systemdesign — Pilotrunde', cohort: '2017', format: 'full' } as const

/**
 * Creates the pilot course round, its municipalities, teams, boards and demo people — or
 * completes it: run again, it adds only what is missing (`created: false` when the round was there).
 * Passwords of demo accounts that exist already are left alone.
 */
export async function seedDemo(sql: Sql): Promise<{ courseId: string; created: boolean }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return sql.begin(async (t) => {
    const tx = asSql(t)
    const existing = (await courses.listCourses(tx)).find((c) => c.name === pilotCourse.name && c.cohort === pilotCourse.cohort)
    const course = existing ?? (await courses.createCourse(tx, pilotCourse))
    for (const m of pilotModules) await courses.upsertModule(tx, course.id, { ...m, startsOn: null, endsOn: null, place: 'Bochum' })
    const municipalityIds = new Map<string, string>()
    for (const m of pilotMunicipalities) {
      const created = (await courses.createMunicipality(tx, m)) ?? (await courses.findMunicipalityByName(tx, m.name))!
      municipalityIds.set(m.name, created.id)
      await courses.addTeam(tx, course.id, created.id)
      const title = `Konfliktlandkarte ${m.name}`
      if (!(await boards.listBoards(tx, { municipalityIds: [created.id] })).some((b) => b.title === title)) {
        await boards.createBoard(tx, { title, municipalityId: created.id })
      }
    }
    if (!(await boards.listBoards(tx, { courseIds: [course.id] })).some((b) => b.title === 'Plenum' && b.courseId === course.id)) {
      await boards.createBoard(tx, { title: 'Plenum', courseId: course.id })
    }
    for (const p of demoPeople) {
      const person = (await people.createPerson(tx, { email: p.email, name: p.name, passwordHash })) ?? (await people.findPersonByEmail(tx, p.email))!
      if (p.role === 'administrator' || p.role === 'coordinator') {
        await memberships.grant(tx, { personId: person.id, role: p.role, courseId: null, municipalityId: null })
      } else if (p.role === 'lecturer') {
        await memberships.grant(tx, { personId: person.id, role: p.role, courseId: course.id, municipalityId: null })
      } else {
        for (const name of p.municipalities ?? []) {
          await memberships.grant(tx, { personId: person.id, role: p.role, courseId: course.id, municipalityId: municipalityIds.get(name)! })
        }
      }
    }
    return { courseId: course.id, created: !existing }
  })
}

/** Whether any demo account still signs in with the published demo password. */
export async function demoPasswordsActive(sql: Sql): Promise<boolean> {
  const admin = await people.findPersonByEmail(sql, demoPeople[0].email)
  return !!admin && (await verifyPassword(admin.passwordHash, DEMO_PASSWORD))
}
