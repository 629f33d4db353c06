/**
 * The "Prüfungen" panel on the Systemdesign page in Debian's Chromium: a problem another person
 * creates appears live, selecting the finding focuses the place to fix it (opening a collapsed
 * section), and fixing it removes the finding for everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('the checks panel on the Systemdesign page', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let municipalityId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
    municipalityId = (await makeEditor(server.db.sql)).municipalityId
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  async function openDesign(name: string): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role: 'participant', municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
    await page.goto(`${server.url}/kommunen/${municipalityId}/systemdesign`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.getByTestId('checks-panel').waitFor()
    return page
  }

  it('shows a finding created in another browser, focuses its place when selected, and drops it once fixed', async () => {
    const aylin = await openDesign('Aylin')
    const bernd = await openDesign('Bernd')
    const panel = (p: Page) => p.getByTestId('checks-panel')

    // An empty design: "Keine Anlaufstelle" and stages 5–7 without Verfahren, with their German texts.
    await panel(bernd).getByRole('button', { name: 'Warnung: Keine Anlaufstelle' }).waitFor()
    await panel(bernd).getByRole('button', { name: 'Warnung: Eskalationsstufe 6 (Drohstrategien) ohne zugeordnetes Verfahren' }).waitFor()

    const konflikte = aylin.getByTestId('list-konflikte')
    await konflikte.getByLabel('Titel des Konflikts').fill('Lärm am Spielplatz')
    await konflikte.getByRole('button', { name: 'Hinzufügen' }).click()
    const finding = panel(bernd).getByRole('button', { name: 'Warnung: Konflikt „Lärm am Spielplatz“ ohne Konfliktfeld' })
    await finding.waitFor({ timeout: 10_000 })

    // Bernd collapsed the section; selecting the finding opens it and focuses the Konflikt's first field.
    await bernd.getByRole('button', { name: /^\W*4 Konfliktlandkarte und Konfliktfelder$/ }).click()
    await expect.poll(() => bernd.getByTestId('list-konflikte').isVisible()).toBe(false)
    await finding.click()
    await expect.poll(() => bernd.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Titel: Lärm am Spielplatz')

    await bernd.keyboard.press('Tab')
    expect(await bernd.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Konfliktfeld: Lärm am Spielplatz')
    await bernd.getByRole('combobox', { name: 'Konfliktfeld: Lärm am Spielplatz' }).selectOption({ label: 'Öffentlicher Raum' })
    await expect.poll(() => finding.count()).toBe(0)
    await expect
      .poll(
        () =>
          panel(aylin)
            .getByRole('button', { name: /Lärm am Spielplatz“ ohne Konfliktfeld/ })
            .count(),
        { timeout: 10_000 },
      )
      .toBe(0)

    // A finding pointing at a whole list focuses its add field.
    await panel(aylin).getByRole('button', { name: 'Warnung: Keine Anlaufstelle' }).click()
    await expect.poll(() => aylin.evaluate(() => document.activeElement?.id && document.querySelector(`label[for="${document.activeElement.id}"]`)?.textContent)).toBe('Name der Anlaufstelle')
    await aylin.keyboard.type('Konfliktanlaufstelle Rathaus')
    await aylin.keyboard.press('Enter')
    await expect.poll(() => panel(bernd).getByRole('button', { name: 'Warnung: Keine Anlaufstelle' }).count(), { timeout: 10_000 }).toBe(0)
  })
})
