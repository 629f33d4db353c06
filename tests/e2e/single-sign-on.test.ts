/**
 * Single sign-on in the browser against a real OpenID provider (oidc-provider, started here):
 * no password is typed into Werkraum; the group claim grants the administrator role; an
 * invitation lets a new person in; someone with neither is refused with a German page;
 * signing out ends the session at both ends; the provider's back-channel logout ends it too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from '../../server/app'
import { createInvitation } from '../../access'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestProvider, type TestProvider } from '../support/oidc-provider'
import { freePort } from '../support/ports'
import { startTestServer } from '../support/server'

describe('single sign-on through an OpenID provider', () => {
  let db: TestDatabase
  let server: RunningServer
  let provider: TestProvider
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    const port = await freePort()
    const werkraumUrl = `http://127.0.0.1:${port}`
    provider = await startTestProvider(werkraumUrl, {
      anna: { email: 'Anna.Amt@kommune.example', email_verified: true, name: 'Anna Amt', groups: ['werkraum-admins', 'alle'] },
      ines: { email: 'ines@kommune.example', email_verified: true, name: 'Ines Eingeladen', groups: [] },
      otto: { email: 'otto@kommune.example', email_verified: true, name: 'Otto Ohnerolle', groups: ['alle'] },
    })
    server = await startTestServer(db, {
      PORT: String(port),
      PUBLIC_URL: werkraumUrl,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_GROUP_ROLES: 'werkraum-admins=administrator',
      OIDC_PROVIDER_NAME: 'Kommunal-IdP',
      PASSWORD_LOGIN: '0',
    })
    browser = await launchBrowser()
  })
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await provider?.close()
    await db?.drop()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' })
    const page = await context.newPage()
    pages.push(page)
    page.on('pageerror', (error) => console.error('page error:', error.message))
    return page
  }

  /** From Werkraum's sign-in page through the provider's own login and consent forms. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto(`${server.url}/anmelden`)
    await page.getByRole('link', { name: 'Mit Kommunal-IdP anmelden' }).click()
    await page.waitForURL((url) => url.href.startsWith(provider.issuer))
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('beim-anbieter-nicht-im-werkraum')
    await page.getByRole('button', { name: 'Sign-in' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL((url) => url.href.startsWith(server.url))
  }

  async function sessionsOf(email: string): Promise<{ ssoSessionId: string | null }[]> {
    return server.db.sql`select s.sso_session_id as "ssoSessionId" from sessions s join people p on p.id = s.person_id where p.email = ${email}`
  }

  it('with password sign-in off, the sign-in page offers only the provider; the group claim makes a new person administrator; signing out ends both sessions', async () => {
    const page = await newPage()
    await page.goto(`${server.url}/anmelden`)
    await page.getByRole('link', { name: 'Mit Kommunal-IdP anmelden' }).waitFor()
    expect(await page.locator('input[type="password"]').count()).toBe(0)

    await signInAtProvider(page, 'anna')
    await page.getByRole('heading', { name: 'Willkommen, Anna Amt' }).waitFor()
    await page.getByRole('link', { name: 'Verwaltung', exact: true }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-sso-signed-in.png' })
    const anna = (await people.findPersonByEmail(server.db.sql, 'anna.amt@kommune.example'))!
    expect(anna.passwordHash).toBeNull()
    const { memberships: roles } = await memberships.loadRoles(server.db.sql, anna.id)
    expect(roles.map((m) => [m.role, m.courseId, m.municipalityId])).toEqual([['administrator', null, null]])
    const [session] = await sessionsOf(anna.email)
    expect(session.ssoSessionId).toBeTruthy()

    // Werkraum ends its session, then the provider asks to confirm its own sign-out.
    await page.getByRole('button', { name: 'Abmelden' }).click()
    await page.waitForURL((url) => url.href.startsWith(provider.issuer))
    expect(await sessionsOf(anna.email)).toEqual([])
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await page.waitForURL(`${server.url}/anmelden?abgemeldet`)
    await page.getByText('Sie sind abgemeldet.').waitFor()

    // The provider's session is gone too: signing in again asks for the login, not straight back in.
    await page.getByRole('link', { name: 'Mit Kommunal-IdP anmelden' }).click()
    await page.locator('input[name="login"]').waitFor()
  })

  it('an open invitation lets a new person in with the invited role; the provider signing them out (back-channel) ends the Werkraum session', async () => {
    const municipality = (await courses.createMunicipality(server.db.sql, { name: 'Sso-Stadt', kind: 'Stadt' }))!
    const admin = (await people.createPerson(server.db.sql, { email: 'einladende@kommune.example', name: 'Einladende', passwordHash: null }))!
    const invitation = await createInvitation(server.db.sql, { email: 'Ines@Kommune.example', role: 'participant', courseId: null, municipalityId: municipality.id }, admin.id)

    // With password sign-in off, the invitation page asks for the provider, not for a password.
    const page = await newPage()
    await page.goto(`${server.url}${invitation.path}`)
    await page.getByText('Melden Sie sich mit Ihrem Dienstkonto an (ines@kommune.example); dabei wird die Einladung angenommen.').waitFor()
    expect(await page.locator('input[type="password"]').count()).toBe(0)
    await signInAtProvider(page, 'ines')
    await page.getByRole('heading', { name: 'Willkommen, Ines Eingeladen' }).waitFor()
    await page.getByRole('link', { name: 'Sso-Stadt' }).waitFor()
    const ines = (await people.findPersonByEmail(server.db.sql, 'ines@kommune.example'))!
    const { memberships: roles } = await memberships.loadRoles(server.db.sql, ines.id)
    expect(roles.map((m) => [m.role, m.municipalityId])).toEqual([['participant', municipality.id]])

    // Signed out at the provider directly (another application's sign-out button, say).
    await page.goto(`${provider.issuer}/session/end`)
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await expect.poll(() => sessionsOf(ines.email), { timeout: 5000 }).toEqual([])
    await page.goto(`${server.url}/`)
    await page.waitForURL(/\/anmelden/)
  })

  it('someone the provider knows but who has neither invitation nor role-granting group is refused with a German page, and no account is made', async () => {
    const page = await newPage()
    await signInAtProvider(page, 'otto')
    await page.waitForURL(/\/anmelden\/abgelehnt/)
    await page.getByRole('heading', { name: 'Anmeldung nicht möglich' }).waitFor()
    await page.getByRole('alert').filter({ hasText: 'weder eine Einladung noch eine Gruppe' }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-sso-refused.png' })
    expect(await people.findPersonByEmail(server.db.sql, 'otto@kommune.example')).toBeNull()
    expect((await page.context().cookies()).some((c) => c.name === 'werkraum_session')).toBe(false)
  })

  it('a return from the provider without the browser that started the sign-in is refused (state bound to a cookie)', async () => {
    const response = await fetch(`${server.url}/anmelden/sso/zurueck?code=abc&state=erfunden`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/anmelden/abgelehnt?grund=state')
  })
})
