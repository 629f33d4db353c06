/**
 * Pictures in Debian's Chromium: a picture dropped onto the board in one browser is uploaded
 * to the server and appears — loaded from the server, not as a data URL — in the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

/** A real 4×3 PNG (red). */
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEklEQVR4nGP4z8CAgRlIEwQAd5sL9ZLwgbsAAAAASUVORK5CYII='
const images = '.tl-shape[data-shape-type="image"]'

describe('pictures in the browser', () => {
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

  async function openBoard(boardId: string, name: string): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role: 'participant', municipalityId: editor.municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
    await page.goto(`${server.url}/boards/${boardId}`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.locator('.tl-canvas').waitFor()
    return page
  }

  it('a picture dropped in one browser is stored on the server and shown in the other', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Pinnwand')
    const aylin = await openBoard(boardId, 'Aylin')
    const bernd = await openBoard(boardId, 'Bernd')

    await aylin.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const file = new File([bytes], 'pinnwand.png', { type: 'image/png' })
      const data = new DataTransfer()
      data.items.add(file)
      const target = document.querySelector('.tl-canvas')!
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data, clientX: 640, clientY: 400 }))
      }
    }, png)

    await expect.poll(async () => Number((await server.db.sql`select count(*)::int as n from board_images where board_id = ${boardId}`)[0].n), { timeout: 10_000 }).toBe(1)
    await bernd.locator(images).first().waitFor({ timeout: 10_000 })
    await expect
      .poll(
        () =>
          bernd
            .locator(`${images} img`)
            .first()
            .getAttribute('src')
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toMatch(/\/api\/v1\/images\/[0-9a-f-]{36}/)
    await expect
      .poll(
        () =>
          bernd
            .locator(`${images} img`)
            .first()
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
        { timeout: 10_000 },
      )
      .toBe(4)
  }, 90_000)
})
