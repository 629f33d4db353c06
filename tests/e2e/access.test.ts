/**
 * Signing in and access in the browser (Debian's Chromium, real server, fresh database with the
 * demo round): sign-in errors, sign-out, the German 403 page, read-only boards for guests,
 * invitations and the CSV import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../../server/app'
import { DEMO_PASSWORD, seedDemo } from '../../server/demo-data'
import * as boards from '../../db/boards.server'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { municipalityId, signInWithBrowser } from '../support/people'
import { startTestServer } from '../support/server'

describe('access in the browser', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let courseId: string
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    ;({ courseId } = await seedDemo(server.db.sql))
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  async function newPage(locale = 'de-DE'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale })
    contexts.push(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
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
    const page = await newPage()
    await signInWithBrowser(page, server.url, 'hamm@werkraum.test', DEMO_PASSWORD)
    const response = await page.goto(`${server.url}/boards/${await boardOf('Duisburg')}`)
    expect(response?.status()).toBe(403)
    await page.getByRole('heading', { name: 'Kein Zugriff' }).waitFor()
    await page.getByRole('link', { name: 'Zur Übersicht' }).waitFor()
    await page.screenshot({ path: '/tmp/werkraum-403.png' })
    await page.getByRole('button', { name: 'Sprache' }).click()
    await page.getByRole('heading', { name: 'No access' }).waitFor()
  })

  it('a guest sees the board read-only: the badge is shown and drawing creates no shape', async () => {
    const page = await newPage()
    await signInWithBrowser(page, server.url, 'gast.hamm@werkraum.test', DEMO_PASSWORD)
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
})
