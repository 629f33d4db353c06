/**
 * Two participants of one municipality on its Systemdesign page in Debian's Chromium: prose
 * typed in one appears in the other with the writer's caret and name, an Akteur added in one
 * appears in the other and survives a reload; a guest reads without controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('Systemdesign in the browser', () => {
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

  /** A page signed in as a new member of the municipality with the given role. */
  async function signedInPage(name: string, role: 'participant' | 'guest' = 'participant'): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role, municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
    return page
  }

  async function waitLive(page: Page) {
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.getByTestId('section-editor-steckbrief').waitFor()
  }

  it('text typed into a section and an Akteur added in one browser appear live in the other, and both survive a reload', async () => {
    const aylin = await signedInPage('Aylin')
    await aylin.goto(`${server.url}/kommunen/${municipalityId}`)
    await aylin.getByTestId('design-link').click()
    await aylin.waitForURL(`**/kommunen/${municipalityId}/systemdesign`)
    await waitLive(aylin)
    const bernd = await signedInPage('Bernd')
    await bernd.goto(`${server.url}/kommunen/${municipalityId}/systemdesign`)
    await waitLive(bernd)

    // All 17 sections and the Anhang with their German headings; the Konfliktfelder are seeded once.
    await expect.poll(() => bernd.locator('.design-section h2').count()).toBe(18)
    expect(await bernd.locator('#section-heading-bestandsaufnahme').innerText()).toBe('6 Bestandsaufnahme: bestehende Strukturen und Verfahren')
    await expect.poll(() => bernd.getByTestId('list-konfliktfelder').locator('tbody tr').count()).toBe(9)

    const auftrag = 'Der Rat hat die Verwaltung mit dem Aufbau beauftragt.'
    await aylin.getByRole('textbox', { name: 'Text des Abschnitts „Auftrag und Mandat“' }).click()
    await aylin.keyboard.type(auftrag)
    await expect.poll(() => bernd.getByTestId('section-editor-auftrag').innerText(), { timeout: 10_000 }).toContain(auftrag)
    // Aylin's caret, with her name, is shown in Bernd's editor.
    await expect.poll(() => bernd.getByTestId('section-editor-auftrag').locator('.ProseMirror-yjs-cursor').innerText()).toContain('Aylin')

    const akteure = aylin.getByTestId('list-akteure')
    await akteure.getByLabel('Name des Akteurs').fill('Ordnungsamt')
    await akteure.getByRole('button', { name: 'Hinzufügen' }).click()
    const berndsName = bernd.getByTestId('list-akteure').getByRole('textbox', { name: 'Name: Ordnungsamt' })
    await berndsName.waitFor({ timeout: 10_000 })
    expect(await berndsName.inputValue()).toBe('Ordnungsamt')
    await aylin.getByTestId('list-akteure').getByRole('combobox', { name: 'Sektor: Ordnungsamt' }).selectOption({ label: 'Polizei/Justiz' })
    await expect
      .poll(() =>
        bernd
          .getByTestId('list-akteure')
          .getByRole('combobox', { name: 'Sektor: Ordnungsamt' })
          .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
      )
      .toBe('Polizei/Justiz')

    await bernd.reload()
    await waitLive(bernd)
    expect(await bernd.getByTestId('list-akteure').getByRole('textbox', { name: 'Name: Ordnungsamt' }).inputValue()).toBe('Ordnungsamt')
    expect(await bernd.getByTestId('section-editor-auftrag').innerText()).toContain(auftrag)
    await expect.poll(() => bernd.getByTestId('list-konfliktfelder').locator('tbody tr').count()).toBe(9)
  })

  it('a guest sees the design read-only: badge, no editable text, no controls to add or change entries', async () => {
    const gast = await signedInPage('Gast', 'guest')
    await gast.goto(`${server.url}/kommunen/${municipalityId}/systemdesign`)
    await waitLive(gast)
    await gast.getByTestId('read-only').waitFor()
    expect(await gast.getByTestId('section-editor-auftrag').getAttribute('contenteditable')).toBe('false')
    expect(await gast.getByTestId('list-akteure').getByRole('textbox').count()).toBe(0)
    // Its only buttons open the comments on an entry.
    expect(
      await gast
        .getByTestId('list-akteure')
        .getByRole('button')
        .filter({ hasNotText: /^Kommentare \(\d+\)$/ })
        .count(),
    ).toBe(0)
    expect(await gast.getByTestId('list-akteure').innerText()).toContain('Ordnungsamt')
  })
})
