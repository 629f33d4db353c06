/**
 * Board ↔ Systemdesign in Debian's Chromium: a KMS shape created on a board appears as an entry
 * on the design page (and once only, with two board clients open); an entry's edits on the design
 * page show on the shape; an entry from the design page can be placed on the board; deleting the
 * shape asks whether to delete the entry too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { boardReady, launchBrowser, signedInPage } from '../support/browser'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const kmsShapes = '.tl-shape[data-shape-type="kms"]'

describe('KMS shapes linked to the Systemdesign in the browser', () => {
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
  const pages: Page[] = []
  // Each test's pages are closed after it, so that their editors do not keep rendering through the next.
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  let boardId: string

  async function signedIn(name: string, role: 'participant' | 'guest' = 'participant'): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role, municipalityId: editor.municipalityId }])
    const page = await signedInPage(browser, server.url, person.cookie, { name, viewport: { width: 1400, height: 900 } })
    pages.push(page)
    return page
  }
  async function openBoard(boardId: string, name: string, role: 'participant' | 'guest' = 'participant') {
    const page = await signedIn(name, role)
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
    await page.getByTestId('design-link-toggle').click()
    await page.getByRole('link', { name: 'Systemdesign öffnen' }).waitFor({ timeout: 20_000 })
    return page
  }
  async function openDesign(name: string) {
    const page = await signedIn(name)
    await page.goto(`${server.url}/kommunen/${editor.municipalityId}/systemdesign`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.getByTestId('list-konflikte').waitFor()
    return page
  }

  it('a shape created on the board becomes an entry, edits flow both ways, an entry is placed on the board, and deleting asks', async () => {
    boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Eskalationstreppe')
    const aylin = await openBoard(boardId, 'Aylin')
    const carla = await openBoard(boardId, 'Carla')
    const bernd = await openDesign('Bernd')
    const konflikte = bernd.getByTestId('list-konflikte')

    // Board → document: the Konflikt button creates the entry and its shape, once, for everyone.
    await aylin.getByTestId('kms-create-konflikte').click()
    await aylin.locator(kmsShapes).first().waitFor({ timeout: 10_000 })
    const title = konflikte.getByRole('textbox', { name: 'Titel: Neuer Konflikt' })
    await title.waitFor({ timeout: 10_000 })
    await carla.locator(kmsShapes).first().waitFor({ timeout: 10_000 })
    await bernd.waitForTimeout(1000)
    expect(await konflikte.locator('tbody tr[data-entry-id]').count()).toBe(1)
    expect(await carla.locator(kmsShapes).count()).toBe(1)
    expect(await aylin.locator(kmsShapes).count()).toBe(1)

    // Document → board: a new title and Glasl stage show on the shape in both board clients.
    await title.fill('Lärm am Spielplatz')
    await konflikte.getByRole('combobox', { name: 'Eskalationsstufe (Glasl): Lärm am Spielplatz' }).selectOption({ label: '6 – Drohstrategien' })
    for (const page of [aylin, carla]) {
      await expect.poll(() => page.locator(kmsShapes).first().innerText(), { timeout: 10_000 }).toContain('Lärm am Spielplatz')
      await expect.poll(() => page.locator(kmsShapes).first().innerText()).toContain('Stufe 6 – Drohstrategien')
    }

    // Board → document: editing the selected shape's name changes the entry.
    const selected = aylin.getByTestId('kms-selected')
    await selected.getByLabel('Titel').fill('Lärm am Spielplatz Nord')
    await konflikte.getByRole('textbox', { name: 'Titel: Lärm am Spielplatz Nord' }).waitFor({ timeout: 10_000 })

    // An Akteur added on the design page is offered on the board and placed there, linked.
    const akteure = bernd.getByTestId('list-akteure')
    await akteure.getByLabel('Name des Akteurs').fill('Ordnungsamt')
    await akteure.getByRole('button', { name: 'Hinzufügen' }).click()
    await aylin.getByRole('button', { name: 'Akteur „Ordnungsamt“ auf das Board legen' }).click({ timeout: 10_000 })
    const akteurShape = aylin.locator(`${kmsShapes}`).filter({ hasText: 'Ordnungsamt' })
    await akteurShape.waitFor({ timeout: 10_000 })
    await carla.locator(kmsShapes).filter({ hasText: 'Ordnungsamt' }).waitFor({ timeout: 10_000 })
    // Placed by one person, the entry is no longer offered to the other.
    await expect.poll(() => carla.getByRole('button', { name: 'Akteur „Ordnungsamt“ auf das Board legen' }).count(), { timeout: 10_000 }).toBe(0)

    // Deleting the (selected) Akteur shape asks; "Eintrag löschen" removes the entry from the document.
    await aylin.locator('.tl-canvas').focus()
    await aylin.keyboard.press('Delete')
    await expect.poll(() => aylin.locator(kmsShapes).filter({ hasText: 'Ordnungsamt' }).count(), { timeout: 10_000 }).toBe(0)
    const confirm = aylin.getByRole('alertdialog')
    await confirm.getByText('„Ordnungsamt“ wurde vom Board entfernt. Auch den Eintrag im Systemdesign löschen?').waitFor()
    await confirm.getByRole('button', { name: 'Eintrag löschen' }).click()
    await expect.poll(() => akteure.getByRole('textbox', { name: 'Name: Ordnungsamt' }).count(), { timeout: 10_000 }).toBe(0)
    // The Konflikt's shape and entry are untouched.
    expect(await konflikte.getByRole('textbox', { name: 'Titel: Lärm am Spielplatz Nord' }).count()).toBe(1)
    expect(await aylin.locator(kmsShapes).count()).toBe(1)
  }, 120_000)

  it('a guest sees the linked shapes with their entries’ names and Glasl stage, but no way to create, place or edit', async () => {
    const gast = await openBoard(boardId, 'Gast', 'guest')
    const shape = gast.locator(kmsShapes)
    await expect.poll(() => shape.first().innerText(), { timeout: 10_000 }).toContain('Lärm am Spielplatz Nord')
    expect(await shape.first().innerText()).toContain('Stufe 6 – Drohstrategien')
    expect(await gast.getByTestId('kms-create-konflikte').count()).toBe(0)
    expect(await gast.getByTestId('kms-selected').count()).toBe(0)
    await gast.getByTestId('checks-panel').waitFor()
  }, 60_000)
})
