/**
 * Snapshots in Debian's Chromium: a participant draws on a live board, saves a Stand from the
 * timeline, draws more, compares the Stand with now (one added shape, outlined), opens the Stand
 * read-only in the real tldraw editor, and restores it — a second browser on the live board sees
 * the restore without reloading; afterwards the comparison finds no difference. A guest sees the
 * timeline without the form and the restore button.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { boardReady, launchBrowser, signedInPage as signedInAs } from '../support/browser'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const geoShapes = '.tl-shape[data-shape-type="geo"]'

describe('snapshots in the browser', () => {
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

  async function signedInPage(name: string, role: 'participant' | 'guest' = 'participant'): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role, municipalityId: editor.municipalityId }])
    const page = await signedInAs(browser, server.url, person.cookie, { name })
    pages.push(page)
    page.setDefaultTimeout(15_000)
    return page
  }

  async function openBoard(page: Page, boardId: string) {
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
  }

  /** Draws a rectangle with the mouse and waits for one more shape (retrying when the tool switch lags). */
  async function drawRectangle(page: Page, x: number, y: number) {
    const before = await page.locator(geoShapes).count()
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.bringToFront()
      await page.locator('[data-testid="tools.rectangle"]').click()
      await page.waitForTimeout(100)
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x + 100, y + 60, { steps: 8 })
      await page.mouse.move(x + 200, y + 150, { steps: 8 })
      await page.mouse.up()
      await page.keyboard.press('Escape')
      const drawn = await expect
        .poll(() => page.locator(geoShapes).count(), { timeout: 3000 })
        .toBeGreaterThan(before)
        .then(
          () => true,
          () => false,
        )
      if (drawn) return
    }
    throw new Error(`no rectangle appeared at ${x},${y}`)
  }

  it('take → timeline → compare → view read-only → restore, seen live on the board', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Konfliktlandkarte')
    const drawer = await signedInPage('Aylin')
    await openBoard(drawer, boardId)
    await drawRectangle(drawer, 300, 300)

    // Timeline, reached from the municipality page: save a Stand with a label.
    const timeline = await signedInPage('Bernd')
    await timeline.goto(`${server.url}/kommunen/${editor.municipalityId}`)
    await timeline.getByTestId('snapshots-link').click()
    await timeline.waitForURL(`**/kommunen/${editor.municipalityId}/staende`)
    await timeline.getByLabel('Bezeichnung').fill('Modul 1')
    await timeline.getByRole('button', { name: 'Stand speichern' }).click()
    await timeline.getByText('Stand „Modul 1“ gespeichert.').waitFor()
    const item = timeline.getByTestId('snapshot').filter({ hasText: 'Modul 1' })
    await item.waitFor()
    expect(await item.innerText()).toContain('von Bernd')
    // The first picture after a start opens the picture page in Chromium (decision 0041): a few seconds.
    await expect.poll(() => item.locator('img.snapshot-thumb').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true)

    // An empty label is refused by the form itself (required) — nothing is stored.
    await timeline.getByLabel('Bezeichnung').fill('')
    await timeline.getByRole('button', { name: 'Stand speichern' }).click()
    expect(await timeline.getByTestId('snapshot').count()).toBe(1)

    // Draw more, then compare the Stand with now.
    await drawRectangle(drawer, 700, 300)
    await item.getByRole('link', { name: 'Mit jetzt vergleichen' }).click()
    await timeline.waitForURL('**/staende/vergleich?**')
    await expect.poll(() => timeline.getByTestId('difference-count').innerText()).toBe('1 Unterschied')
    expect(await timeline.getByTestId('change').innerText()).toContain('Hinzugefügt: Form')
    expect(await timeline.locator('.compare-svg [data-change="added"]').count()).toBe(1)
    // tldraw's own export (decision 0041): one shape group before, two after.
    const shapeGroups = 'svg > g[transform^="matrix("][opacity]'
    expect(await timeline.locator('.compare-svg').nth(0).locator(shapeGroups).count()).toBe(1)
    expect(await timeline.locator('.compare-svg').nth(1).locator(shapeGroups).count()).toBe(2)

    // The Stand opened read-only in the real editor shows its one rectangle.
    await timeline.goto(`${server.url}/kommunen/${editor.municipalityId}/staende`)
    await timeline.getByTestId('snapshot').filter({ hasText: 'Modul 1' }).getByRole('link', { name: 'Ansehen' }).click()
    const download = await timeline.getByRole('link', { name: 'Als tldraw-JSON herunterladen' }).getAttribute('href')
    const json = (await (await timeline.request.get(`${server.url}${download}`)).json()) as { records: { typeName: string; type?: string }[] }
    expect(json.records.filter((r) => r.typeName === 'shape' && r.type === 'geo')).toHaveLength(1)
    await timeline.getByRole('link', { name: 'Im Editor ansehen (nur lesen)' }).click()
    await timeline.getByTestId('snapshot-editor').locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await expect.poll(() => timeline.getByTestId('snapshot-editor').locator(geoShapes).count()).toBe(1)
    // The Stand can be presented too (no frames: the whole page is the one slide); Esc ends it.
    await timeline.getByTestId('present').click()
    await expect.poll(() => timeline.getByTestId('presentation-position').textContent()).toContain('Folie 1 von 1')
    await timeline.keyboard.press('Escape')
    await expect.poll(() => timeline.getByTestId('presentation').count()).toBe(0)

    // Restore with confirmation; the live board in the other browser follows without a reload.
    expect(await drawer.locator(geoShapes).count()).toBe(2)
    await timeline.getByText('Diesen Stand wiederherstellen…').click()
    await timeline.getByTestId('restore-confirm').click()
    await timeline.getByTestId('restored').waitFor()
    await expect.poll(() => drawer.locator(geoShapes).count(), { timeout: 10_000 }).toBe(1)

    // Nothing differs from the Stand now; the way back ("vor Wiederherstellung") is on the timeline.
    await timeline.getByRole('link', { name: 'Mit jetzt vergleichen' }).click()
    await expect.poll(() => timeline.getByTestId('difference-count').innerText()).toBe('Keine Unterschiede.')
    await timeline.goto(`${server.url}/kommunen/${editor.municipalityId}/staende`)
    expect(await timeline.getByTestId('snapshot').count()).toBe(2)
    expect(await timeline.getByTestId('snapshot').first().innerText()).toContain('vor Wiederherstellung')
  }, 180_000)

  it('shows a guest the timeline and a Stand, but no form and no restore', async () => {
    const guest = await signedInPage('Gast', 'guest')
    await guest.goto(`${server.url}/kommunen/${editor.municipalityId}/staende`)
    await guest.getByTestId('timeline').waitFor()
    expect(await guest.getByRole('button', { name: 'Stand speichern' }).count()).toBe(0)
    await guest.getByTestId('snapshot').last().getByRole('link', { name: 'Ansehen' }).click()
    await guest.getByTestId('snapshot-board').first().waitFor()
    expect(await guest.getByText('Diesen Stand wiederherstellen…').count()).toBe(0)
  }, 60_000)
})
