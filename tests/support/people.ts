/** People, roles and sign-in for tests: written straight through the db and access modules, plus a browser sign-in. */
import type { Page } from 'playwright-core'
import { hashPassword, startSession, type Role } from '../../access'
import type { Sql } from '../../db/client.server'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'

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
