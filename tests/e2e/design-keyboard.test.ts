/**
 * The Systemdesign's outline — every typed list as a table — operated by keyboard alone in
 * Debian's Chromium: the tab order through a list, the accessible names of every control, and
 * adding, editing, reordering and removing entries without a mouse (focus never drops to the page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('the Systemdesign outline by keyboard', () => {
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
    await expect.poll(() => page.getByTestId('list-konfliktfelder').locator('tbody tr[data-entry-id]').count()).toBe(9)
    return page
  }

  /** The accessible name of the focused element: aria-label, its <label>, or its text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return '(page)'
      const labelled = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent
      return (labelled ?? el.textContent ?? '').trim()
    })
  async function tab(page: Page, expected: string, key = 'Tab') {
    await page.keyboard.press(key)
    await expect.poll(() => focused(page)).toBe(expected)
  }

  it('every control of every list has a name, and a list is added to, edited, reordered and emptied by keyboard alone', async () => {
    const page = await openDesign('Kim')

    // Each list is a table named by its caption; no control is without a name.
    for (const caption of ['Akteure', 'Konfliktfelder', 'Konflikte', 'Verfahren', 'Maßnahmen', 'Anlaufstellen', 'Konfliktbearbeiter:innen und Netzwerkpartner', 'Steuerungsgruppe', 'Beschlüsse']) {
      await page.getByRole('table', { name: caption }).waitFor()
    }
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-testid^="list-"] :is(input, select, button, fieldset)'))
        .filter((el) => !(el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? (el.tagName === 'BUTTON' ? el.textContent : ''))?.trim())
        .map((el) => el.outerHTML.slice(0, 120)),
    )
    expect(unnamed).toEqual([])

    // From the section heading: its comment button, its text, then (the list being empty) the add field.
    await page.getByRole('button', { name: /^\W*11 Steuerung und Koordination$/ }).focus()
    await tab(page, 'Kommentare (0): 11 Steuerung und Koordination')
    await tab(page, 'Text des Abschnitts „Steuerung und Koordination“')
    await tab(page, 'Name des Mitglieds')
    for (const name of ['Dezernentin', 'Kämmerer']) {
      await page.keyboard.type(name)
      await page.keyboard.press('Enter')
      await page.getByRole('textbox', { name: `Name: ${name}` }).waitFor()
      // Focus stays in the emptied add field, ready for the next one.
      expect(await focused(page)).toBe('Name des Mitglieds')
      expect(await page.getByLabel('Name des Mitglieds').inputValue()).toBe('')
    }

    // Tab order through the rows: fields left to right, then the row's actions (a disabled move skipped), then its comments.
    await page.getByRole('button', { name: /^\W*11 Steuerung und Koordination$/ }).focus()
    await tab(page, 'Kommentare (0): 11 Steuerung und Koordination')
    await tab(page, 'Text des Abschnitts „Steuerung und Koordination“')
    await tab(page, 'Name: Dezernentin')
    await tab(page, 'Funktion: Dezernentin')
    await page.keyboard.type('Vorsitz')
    await tab(page, 'Organisation: Dezernentin')
    await tab(page, '„Dezernentin“ nach unten')
    await tab(page, '„Dezernentin“ entfernen')
    await tab(page, 'Kommentare (0): Dezernentin')
    await tab(page, 'Name: Kämmerer')
    await tab(page, 'Funktion: Kämmerer')
    await tab(page, 'Organisation: Kämmerer')
    // The last row's "nach unten" is disabled: after "nach oben" comes "entfernen", and Shift+Tab goes back.
    await tab(page, '„Kämmerer“ nach oben')
    await tab(page, '„Kämmerer“ entfernen')
    await tab(page, '„Kämmerer“ nach oben', 'Shift+Tab')

    // Moving up: the row moves, and focus stays on the row (on "nach unten", as "nach oben" is now disabled).
    await page.keyboard.press('Enter')
    const names = () =>
      page
        .getByTestId('list-steuerungsgruppe')
        .locator('tbody tr[data-entry-id] td:first-child input')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
    await expect.poll(names).toEqual(['Kämmerer', 'Dezernentin'])
    await expect.poll(() => focused(page)).toBe('„Kämmerer“ nach unten')

    // Removing: focus goes to the row that took its place.
    await tab(page, '„Kämmerer“ entfernen')
    await page.keyboard.press('Space')
    await expect.poll(names).toEqual(['Dezernentin'])
    await expect.poll(() => focused(page)).toBe('Name: Dezernentin')
    expect(await page.getByRole('textbox', { name: 'Funktion: Dezernentin' }).inputValue()).toBe('Vorsitz')

    // Removing the last entry leaves focus in the add field.
    await page.getByRole('button', { name: '„Dezernentin“ entfernen' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(names).toEqual([])
    await expect.poll(() => focused(page)).toBe('Name des Mitglieds')

    // Choices by keyboard: a Konflikt's Glasl stage with the arrow keys, its Akteure as checkboxes with Space.
    await page.getByLabel('Name des Akteurs').focus()
    await page.keyboard.type('Moscheegemeinde')
    await page.keyboard.press('Enter')
    await page.getByLabel('Titel des Konflikts').focus()
    await page.keyboard.type('Moscheebau')
    await page.keyboard.press('Enter')
    const stage = page.getByRole('combobox', { name: 'Eskalationsstufe (Glasl): Moscheebau' })
    await stage.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => stage.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe('3 – Taten statt Worte')
    const actors = page.getByRole('group', { name: 'Akteure: Moscheebau' })
    await actors.getByRole('checkbox', { name: 'Moscheegemeinde' }).focus()
    await page.keyboard.press('Space')
    await expect.poll(() => actors.getByRole('checkbox', { name: 'Moscheegemeinde' }).isChecked()).toBe(true)
    // The change is in the shared document: it survives a reload.
    await page.reload()
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => page.getByRole('group', { name: 'Akteure: Moscheebau' }).getByRole('checkbox', { name: 'Moscheegemeinde' }).isChecked()).toBe(true)
    expect(await page.getByRole('combobox', { name: 'Eskalationsstufe (Glasl): Moscheebau' }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe('3 – Taten statt Worte')
  }, 120_000)
})
