/**
 * People, roles and boards for tests, created directly in the database; each person comes
 * with a personal access token and a session cookie, so every channel can be driven as them.
 * Also people with passwords, and signing a browser page in (through the sign-in page or not).
 */
import type { Page } from 'playwright-core'
import { createAccessToken, hashPassword, startSession, type Role } from '../../access'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'

export type TestPerson = { id: string; email: string; token: string; cookie: string }

let counter = 0

/** Creates a person with the given roles; returns their id, a bearer token and a session cookie. */
export async function makePerson(sql: Sql, name: string, grants: { role: Role; courseId?: string | null; municipalityId?: string | null }[] = []): Promise<TestPerson> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${++counter}.${Date.now()}@test.werkraum`
  const person = (await people.createPerson(sql, { email, name, passwordHash: null }))!
  for (const g of grants) {
    await memberships.grant(sql, { personId: person.id, role: g.role, courseId: g.courseId ?? null, municipalityId: g.municipalityId ?? null })
  }
  const { token } = await createAccessToken(sql, person.id, 'test')
  const setCookie = await startSession(sql, person.id, { secure: false })
  return { id: person.id, email, token, cookie: setCookie.split(';')[0] }
}

export type World = Awaited<ReturnType<typeof buildWorld>>

/**
 * A course with two municipal teams (Hamm, Duisburg), a third municipality outside it
 * (Herne), their boards, a course board, and one person per role.
 */
export async function buildWorld(sql: Sql) {
  const course = await courses.createCourse(sql, { name: 'Pilotrunde', cohort: '2017', format: 'full' })
  const otherCourse = await courses.createCourse(sql, { name: 'Zweite Runde', cohort: '2018', format: 'shortened' })
  const hamm = (await courses.createMunicipality(sql, { name: `Hamm ${counter}-${Date.now()}`, kind: 'Stadt' }))!
  const duisburg = (await courses.createMunicipality(sql, { name: `Duisburg ${counter}-${Date.now()}`, kind: 'Stadt' }))!
  const herne = (await courses.createMunicipality(sql, { name: `Herne ${counter}-${Date.now()}`, kind: 'Stadt' }))!
  await courses.addTeam(sql, course.id, hamm.id)
  await courses.addTeam(sql, course.id, duisburg.id)
  await courses.addTeam(sql, otherCourse.id, herne.id)
  const boardsById = {
    hamm: await boards.createBoard(sql, { title: 'Konfliktlandkarte Hamm', municipalityId: hamm.id }),
    duisburg: await boards.createBoard(sql, { title: 'Konfliktlandkarte Duisburg', municipalityId: duisburg.id }),
    herne: await boards.createBoard(sql, { title: 'Konfliktlandkarte Herne', municipalityId: herne.id }),
    plenum: await boards.createBoard(sql, { title: 'Plenum', courseId: course.id }),
  }
  const person = {
    administrator: await makePerson(sql, 'Admin', [{ role: 'administrator' }]),
    coordinator: await makePerson(sql, 'Koordination', [{ role: 'coordinator' }]),
    courseCoordinator: await makePerson(sql, 'Kurskoordination', [{ role: 'coordinator', courseId: course.id }]),
    lecturer: await makePerson(sql, 'Dozentin', [{ role: 'lecturer', courseId: course.id }]),
    mediatorHamm: await makePerson(sql, 'Mediator Hamm', [{ role: 'mediator', courseId: course.id, municipalityId: hamm.id }]),
    participantHamm: await makePerson(sql, 'Teilnehmerin Hamm', [{ role: 'participant', courseId: course.id, municipalityId: hamm.id }]),
    participantDuisburg: await makePerson(sql, 'Teilnehmer Duisburg', [{ role: 'participant', courseId: course.id, municipalityId: duisburg.id }]),
    guestHamm: await makePerson(sql, 'Gast Hamm', [{ role: 'guest', municipalityId: hamm.id }]),
    outsider: await makePerson(sql, 'Niemand'),
  }
  return { course, otherCourse, municipality: { hamm, duisburg, herne }, board: boardsById, person }
}

/** A municipality with a board-editing participant, for tests that need one writer quickly. */
export async function makeEditor(sql: Sql): Promise<{ token: string; municipalityId: string; person: TestPerson }> {
  const municipality = (await courses.createMunicipality(sql, { name: `Kommune ${++counter}-${Date.now()}`, kind: 'Gemeinde' }))!
  const person = await makePerson(sql, 'Bearbeiterin', [{ role: 'participant', municipalityId: municipality.id }])
  return { token: person.token, municipalityId: municipality.id, person }
}

/** Opens a test database directly (no server running on it), runs `fn`, closes it again. */
export async function withDatabase<T>(testDb: { url: string | undefined; dataDir: string }, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const { openDatabase, migrate } = await import('../../db')
  const db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir, maxConnections: 1 })
  try {
    await migrate(db.sql)
    return await fn(db.sql)
  } finally {
    await db.close()
  }
}

/** Creates a person with a password (or reuses the one with that email); returns their id. */
export async function addPerson(sql: Sql, input: { email: string; name?: string; password?: string }): Promise<string> {
  const passwordHash = input.password ? await hashPassword(input.password) : null
  const created = await people.createPerson(sql, { email: input.email, name: input.name ?? input.email.split('@')[0], passwordHash })
  return (created ?? (await people.findPersonByEmail(sql, input.email))!).id
}

/** Grants a role in a scope (installation, course, municipality). */
export function grantRole(sql: Sql, personId: string, role: Role, scope: { courseId?: string; municipalityId?: string } = {}): Promise<string> {
  return memberships.grant(sql, { personId, role, courseId: scope.courseId ?? null, municipalityId: scope.municipalityId ?? null })
}

/** The id of a municipality by name (e.g. one of the demo data's). */
export async function municipalityId(sql: Sql, name: string): Promise<string> {
  const municipality = await courses.findMunicipalityByName(sql, name)
  if (!municipality) throw new Error(`no municipality ${name}`)
  return municipality.id
}

/** Signs in through the sign-in page and waits until the browser has left it. */
export async function signInWithBrowser(page: Page, serverUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${serverUrl}/anmelden`)
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(password)
  await Promise.all([page.waitForURL((url) => url.pathname !== '/anmelden'), page.locator('form.stack-form button[type="submit"]').click()])
}

/**
 * Signs the page's browser context in as the person with `email` through a session written
 * straight to the database (no sign-in page, no password check), for tests about something else.
 */
export async function signInDirectly(page: Page, sql: Sql, serverUrl: string, email: string): Promise<void> {
  const person = await people.findPersonByEmail(sql, email)
  if (!person) throw new Error(`no person ${email}`)
  const cookie = (await startSession(sql, person.id, { secure: false })).split(';')[0]!
  const at = cookie.indexOf('=')
  await page.context().addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: serverUrl }])
}
