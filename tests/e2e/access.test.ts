/**
 * Signing in and access in the browser (Debian's Chromium, real server, fresh database with the
 * demo round): sign-in errors, sign-out, the German 403 page, read-only boards for guests,
 * invitations and the CSV import.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from '../../server/app'
import { DEMO_PASSWORD, seedDemo } from '../../server/demo-data'
import * as boards from '../../db/boards.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'
import { boardReady, launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { addPerson, grantRole, municipalityId, signInDirectly } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('access in the browser', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let courseId: string
  const pages: Page[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    ;({ courseId } = await seedDemo(server.db.sql))
    browser = await launchBrowser()
  })
  // Board pages left open keep tldraw rendering and their sockets busy: each test closes its own.
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' })
    const page = await context.newPage()
    pages.push(page)
    page.on('pageerror', (error) => console.error('page error:', error.message))
    return page
  }
  /** A page signed in as `email` without the sign-in page (these tests are about what comes after it). */
  async function pageOf(email: string): Promise<Page> {
    const page = await newPage()
    await signInDirectly(page, server.db.sql, server.url, email)
    return page
  }

  async function boardOf(name: string): Promise<string> {
    const [board] = await boards.listBoards(server.db.sql, { municipalityIds: [await municipalityId(server.db.sql, name)] })
    return board.id
  }

  it('a wrong password shows the German error; the right one opens the dashboard; signing out ends the session so the old cookie no longer works', async () => {
    const page = await newPage()
    await page.goto(`${server.url}/anmelden`)
    await page.getByLabel('E-Mail-Adresse').fill('hamm@werkraum.test')
    await page.getByLabel('Passwort').fill('falsches-passwort')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort stimmen nicht' }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-signin-error.png' })

    await page.getByLabel('Passwort').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('heading', { name: 'Willkommen, Hanna Hamm' }).waitFor()
    await page.getByRole('heading', { name: 'Meine Kommunen' }).waitFor()
    await page.getByRole('link', { name: 'Hamm' }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-dashboard.png', fullPage: true })
    const cookie = (await page.context().cookies()).find((c) => c.name === 'werkraum_session')!
    expect(cookie.httpOnly).toBe(true)

    await page.getByRole('button', { name: 'Abmelden' }).click()
    await page.waitForURL(/\/anmelden/)
    await page.getByText('Sie sind abgemeldet.').waitFor()
    const withOldCookie = await fetch(`${server.url}/`, { headers: { cookie: `werkraum_session=${cookie.value}` }, redirect: 'manual' })
    expect(withOldCookie.status).toBe(302)
    expect(withOldCookie.headers.get('location')).toMatch(/^\/anmelden\?weiter=/)
  })

  it('after too many wrong passwords the sign-in page says how many minutes to wait, even for the right password', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await fetch(`${server.url}/anmelden`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'koordination@werkraum.test', password: `falsch-${attempt}` }),
      })
      expect(response.status).toBe(401)
    }
    const page = await newPage()
    await page.goto(`${server.url}/anmelden`)
    await page.getByLabel('E-Mail-Adresse').fill('koordination@werkraum.test')
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    // The wait starts at a minute and doubles with each further failure from this address (decision 0036).
    await page.getByRole('alert').filter({ hasText: 'Zu viele Fehlversuche. Bitte warten Sie 1 Minute ' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/anmelden')
  })

  it('a signed-out visitor asking for a board is sent to the sign-in page and lands on that board afterwards', async () => {
    const boardId = await boardOf('Hamm')
    const page = await newPage()
    await page.goto(`${server.url}/boards/${boardId}`)
    await page.waitForURL(/\/anmelden\?weiter=/)
    await page.getByLabel('E-Mail-Adresse').fill('hamm@werkraum.test')
    await page.getByLabel('Passwort').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.waitForURL(`${server.url}/boards/${boardId}`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
  })

  it("a participant of Hamm opening Duisburg's board URL sees the German 403 page, and the English one when English is chosen", async () => {
    const page = await pageOf('hamm@werkraum.test')
    const response = await page.goto(`${server.url}/boards/${await boardOf('Duisburg')}`)
    expect(response?.status()).toBe(403)
    await page.getByRole('heading', { name: 'Kein Zugriff' }).waitFor()
    await page.getByRole('link', { name: 'Zur Übersicht' }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-403.png' })
    await page.getByRole('button', { name: 'Sprache' }).click()
    await page.getByRole('heading', { name: 'No access' }).waitFor()
  })

  it('a guest sees the board read-only: the badge is shown and drawing creates no shape', async () => {
    const page = await pageOf('gast.hamm@werkraum.test')
    await page.goto(`${server.url}/boards/${await boardOf('Hamm')}`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.getByText('Nur lesen').waitFor()
    await page.locator('.tl-canvas').waitFor()
    expect(await page.locator('[data-testid="tools.rectangle"]').count()).toBe(0)
    await page.keyboard.press('r')
    await page.mouse.move(400, 300)
    await page.mouse.down()
    await page.mouse.move(600, 450, { steps: 8 })
    await page.mouse.up()
    await page.screenshot({ path: '/tmp/werkraum-guest-board.png' })
    expect(await page.locator('.tl-shape').count()).toBe(0)
  })

  it('an invitation link lets the invitee set name and password, signs them in, and they open their own municipality board live; the link then no longer works', async () => {
    const lecturer = await pageOf('dozentin@werkraum.test')
    await lecturer.goto(`${server.url}/kurse/${courseId}`)
    const invite = lecturer.locator('section', { has: lecturer.getByRole('heading', { name: 'Einladen' }) })
    await invite.getByLabel('E-Mail-Adresse').fill('nora.neu@hamm.example')
    await invite.getByLabel('Rolle').selectOption('participant')
    await invite.getByLabel('Kommune').selectOption({ label: 'Hamm' })
    await invite.getByRole('button', { name: 'Einladung erzeugen' }).click()
    const link = await lecturer.getByTestId('invitation-link').inputValue()
    expect(link).toMatch(new RegExp(`^${server.url}/einladung/[A-Za-z0-9_-]+$`))
    await lecturer.getByRole('cell', { name: 'nora.neu@hamm.example' }).waitFor()
    await lecturer.screenshot({ path: '/tmp/werkraum-course.png', fullPage: true })

    const invitee = await newPage()
    await invitee.goto(link)
    await invitee.getByRole('heading', { name: 'Einladung annehmen' }).waitFor()
    await invitee.getByLabel('Ihr Name').fill('Nora Neu')
    await invitee.getByLabel('Passwort', { exact: true }).fill('kurz')
    await invitee.getByLabel('Passwort wiederholen').fill('kurz')
    await invitee.locator('#password').evaluate((el) => el.removeAttribute('minLength'))
    await invitee.locator('#passwordRepeat').evaluate((el) => el.removeAttribute('minLength'))
    await invitee.getByRole('button', { name: 'Konto anlegen und anmelden' }).click()
    await invitee.getByRole('alert').filter({ hasText: 'mindestens 10 Zeichen' }).waitFor()
    await invitee.getByLabel('Passwort', { exact: true }).fill('ein-gutes-passwort')
    await invitee.getByLabel('Passwort wiederholen').fill('ein-gutes-passwort')
    await invitee.screenshot({ path: '/tmp/werkraum-invitation.png' })
    await invitee.getByRole('button', { name: 'Konto anlegen und anmelden' }).click()
    await invitee.getByRole('heading', { name: 'Willkommen, Nora Neu' }).waitFor()

    await invitee.getByRole('link', { name: 'Hamm' }).click()
    await invitee.getByRole('heading', { name: 'Hamm', level: 1 }).waitFor()
    await invitee.screenshot({ path: '/tmp/werkraum-municipality.png', fullPage: true })
    await invitee.getByRole('link', { name: 'Konfliktlandkarte Hamm' }).click()
    await boardReady(invitee)
    expect(await invitee.getByTestId('read-only').count()).toBe(0)

    const again = await newPage()
    const response = await again.goto(link)
    expect(response?.status()).toBe(410)
    await again.getByRole('heading', { name: 'Einladung nicht gültig' }).waitFor()
  })

  it('the CSV import lists per-row errors in its preview and writes nothing for a bad file; a good file imports and shows the invitation links', async () => {
    const page = await pageOf('dozentin@werkraum.test')
    await page.goto(`${server.url}/kurse/${courseId}`)
    await page.getByRole('link', { name: 'Teilnehmende aus CSV importieren' }).click()
    await page.getByRole('heading', { name: 'Teilnehmende importieren' }).waitFor()
    const invitationsBefore = (await memberships.listCourseInvitations(server.db.sql, courseId)).length

    const bad = 'name;email;municipality;role\nPaula Prüfer;paula@soest.example;Soest;Teilnehmende\nBert Falsch;bert@nirgendwo.example;Nirgendwo;Teilnehmende\n'
    await page.getByLabel('CSV-Datei').setInputFiles({ name: 'teilnehmende.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.getByRole('button', { name: 'Vorschau prüfen' }).click()
    await page.getByText('1 Zeile hat Fehler. Es wurde nichts gespeichert.').waitFor()
    await page.getByTestId('import-row-3').getByText('Kommune ist nicht in diesem Kurs').waitFor()
    await page.screenshot({ path: '/tmp/werkraum-import-bad.png', fullPage: true })
    expect(await page.getByRole('button', { name: 'Jetzt importieren' }).count()).toBe(0)
    expect((await memberships.listCourseInvitations(server.db.sql, courseId)).length).toBe(invitationsBefore)
    expect(await people.findPersonByEmail(server.db.sql, 'paula@soest.example')).toBeNull()

    const good = 'name,email,municipality,role\nPaula Prüfer,paula@soest.example,Soest,Teilnehmende\nMarta Mittler,marta@herne.example,Herne,Mediator:in\n'
    await page.getByLabel('CSV-Datei').setInputFiles({ name: 'teilnehmende.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await page.getByRole('button', { name: 'Vorschau prüfen' }).click()
    await page.getByText('Die Datei ist in Ordnung: 2 Zeilen.').waitFor()
    await page.getByRole('button', { name: 'Jetzt importieren' }).click()
    await page.getByRole('heading', { name: 'Import abgeschlossen.' }).waitFor()
    const links = await page.getByTestId('invitation-link').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
    expect(links).toHaveLength(2)
    for (const link of links) expect(link).toMatch(new RegExp(`^${server.url}/einladung/[A-Za-z0-9_-]+\\?name=`))
    await page.screenshot({ path: '/tmp/werkraum-import-done.png', fullPage: true })
    expect((await memberships.listCourseInvitations(server.db.sql, courseId)).length).toBe(invitationsBefore + 2)
  })

  it("an administrator's reset link sets a new password, ends the person's other sessions and signs them in; non-administrators get 403 on /verwaltung", async () => {
    const oldDevice = await pageOf('duisburg@werkraum.test')
    expect((await oldDevice.goto(`${server.url}/verwaltung`))?.status()).toBe(403)
    await oldDevice.getByRole('heading', { name: 'Kein Zugriff' }).waitFor()

    const admin = await pageOf('admin@werkraum.test')
    await admin.goto(`${server.url}/`)
    await admin.getByRole('link', { name: 'Verwaltung', exact: true }).click()
    await admin.getByRole('heading', { name: 'Personen' }).waitFor()
    await admin.getByRole('button', { name: 'Link zum Zurücksetzen für duisburg@werkraum.test erzeugen' }).click()
    const link = await admin.getByTestId('reset-link').inputValue()
    expect(link).toMatch(new RegExp(`^${server.url}/passwort/[A-Za-z0-9_-]+$`))
    await admin.screenshot({ path: '/tmp/werkraum-admin.png', fullPage: true })

    const newDevice = await newPage()
    await newDevice.goto(link)
    await newDevice.getByRole('heading', { name: 'Neues Passwort festlegen' }).waitFor()
    await newDevice.getByLabel('Neues Passwort', { exact: true }).fill('duisburg-neu-2024')
    await newDevice.getByLabel('Neues Passwort wiederholen').fill('duisburg-neu-2024')
    await newDevice.getByRole('button', { name: 'Passwort speichern und anmelden' }).click()
    await newDevice.getByRole('heading', { name: 'Willkommen, Dirk Duisburg' }).waitFor()

    await oldDevice.goto(`${server.url}/`)
    await oldDevice.waitForURL(/\/anmelden\?weiter=/)
    expect((await newDevice.goto(link))?.status()).toBe(410)
  })

  it('an open board follows role changes: write → read reloads it read-only (4409), a withdrawn role reloads it to the 403 page (4403)', async () => {
    const hamm = await municipalityId(server.db.sql, 'Hamm')
    const rita = await addPerson(server.db.sql, { email: 'rita@hamm.example', name: 'Rita Rückzug' })
    await grantRole(server.db.sql, rita, 'participant', { courseId, municipalityId: hamm })
    await grantRole(server.db.sql, rita, 'guest', { courseId, municipalityId: hamm })

    const page = await pageOf('rita@hamm.example')
    await page.goto(`${server.url}/boards/${await boardOf('Hamm')}`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('read-only').count()).toBe(0)

    const lecturer = await pageOf('dozentin@werkraum.test')
    await lecturer.goto(`${server.url}/kurse/${courseId}`)
    await lecturer.getByRole('button', { name: 'Rolle Teilnehmende von Rita Rückzug entziehen' }).click()
    await lecturer.getByText('Die Rolle wurde entzogen.').waitFor()
    await page.getByTestId('read-only').waitFor({ timeout: 10_000 })
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })

    await lecturer.getByRole('button', { name: 'Rolle Gast (nur lesen) von Rita Rückzug entziehen' }).click()
    await lecturer.getByText('Die Rolle wurde entzogen.').waitFor()
    await page.getByRole('heading', { name: 'Kein Zugriff' }).waitFor({ timeout: 10_000 })
  })
})
