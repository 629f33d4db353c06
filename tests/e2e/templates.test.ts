/**
 * Templates in Debian's Chromium: a participant creates a board from the Glasl template on
 * the municipality page and sees it filled; inserting a template at the viewport reaches a
 * second person's browser live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const frames = '.tl-shape[data-shape-type="frame"]'

describe('templates in the browser', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let editor: Awaited<ReturnType<typeof makeEditor>>

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  async function signedInPage(name: string): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role: 'participant', municipalityId: editor.municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
    return page
  }

  it('a board created from the Glasl template opens filled; a template inserted at the viewport appears for the other person too', async () => {
    const aylin = await signedInPage('Aylin')
    await aylin.goto(`${server.url}/kommunen/${editor.municipalityId}`)
    await aylin.getByLabel('Titel des Boards').fill('Eskalation Soest')
    await aylin.getByTestId('template-choice').selectOption({ label: 'Eskalationstreppe nach Glasl' })
    await aylin.getByRole('button', { name: 'Board anlegen' }).click()
    await aylin.waitForURL(/\/boards\//)
    await aylin.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await aylin.locator(frames).first().waitFor({ timeout: 10_000 })
    expect(await aylin.locator(frames).count()).toBe(1)
    await expect.poll(() => aylin.locator('.tl-frame-heading').first().textContent()).toContain('Eskalationstreppe nach Glasl')
    await aylin.locator('.tl-shape', { hasText: 'Verhärtung' }).first().waitFor()
    const boardUrl = aylin.url()

    const bernd = await signedInPage('Bernd')
    await bernd.goto(boardUrl)
    await bernd.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await bernd.locator(frames).first().waitFor({ timeout: 10_000 })

    await aylin.getByText('Vorlage einfügen').click()
    await aylin.getByTestId('insert-template-choice').selectOption({ label: 'Akteursanalyse' })
    await aylin.getByRole('button', { name: 'Einfügen', exact: true }).click()
    await expect.poll(() => aylin.getByTestId('template-message').textContent()).toContain('Akteursanalyse')
    await expect.poll(() => aylin.locator(frames).count(), { timeout: 5000 }).toBe(2)
    await expect.poll(() => bernd.locator(frames).count(), { timeout: 5000 }).toBe(2)
    // Bernd's view stayed where it was; the new frame is on the board all the same.
    const stored = await server.db.sql`select count(*)::int as n from board_updates where board_id = ${boardUrl.split('/').pop()!}`
    expect(Number(stored[0].n)).toBeGreaterThan(0)
  })
})
