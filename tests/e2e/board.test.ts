/**
 * Two people in two browser contexts on one board, in Debian's Chromium: a rectangle drawn
 * with the mouse in one appears in the other, survives a server restart and a reload, and
 * each sees the other's cursor and name.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { boardReady, launchBrowser, signedInPage } from '../support/browser'
import { connectClient, createBoard, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { freePort } from '../support/ports'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import { makeEditor, makePerson } from '../support/fixtures'

const geoShapes = '.tl-shape[data-shape-type="geo"]'

describe('board in the browser', () => {
  let db: TestDatabase
  let server: RunningServer
  let port: number
  let browser: Browser
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const requested: string[] = []
  const pages: Page[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    port = await freePort()
    server = await startTestServer(db, { PORT: String(port) })
    browser = await launchBrowser()
    editor = await makeEditor(server.db.sql)
  })
  // A test that restarts the server leaves one running for the next, even when it fails; its
  // pages are closed, so that their editors do not keep rendering through the next tests.
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()))
    const alive = await fetch(`${server.url}/healthz`).then(
      () => true,
      () => false,
    )
    if (!alive) server = await startTestServer(db, { PORT: String(port) })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  /** A page signed in as a new participant of the editor's municipality (closed after the test). */
  async function participantPage(name: string): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role: 'participant', municipalityId: editor.municipalityId }])
    const page = await signedInPage(browser, server.url, person.cookie, { name })
    pages.push(page)
    return page
  }

  async function openBoard(boardId: string, name: string): Promise<Page> {
    const page = await participantPage(name)
    page.on('request', (request) => requested.push(request.url()))
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
    // No name box: the cursor carries the signed-in name (issue 16).
    expect(await page.getByTestId('user-name').count()).toBe(0)
    return page
  }

  /**
   * Draws a rectangle with the mouse, starting at (x, y), and waits until the page shows one
   * more shape; on a loaded machine the tool switch can lag behind the drag, so it tries again.
   */
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

  it('a rectangle drawn in one browser appears in the other, edits made offline arrive on reconnect, and all stay after restart and reload', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Akteursanalyse Soest')
    const aylin = await openBoard(boardId, 'Aylin')
    const bernd = await openBoard(boardId, 'Bernd')

    await drawRectangle(aylin, 400, 300)
    await expect.poll(() => aylin.locator(geoShapes).count()).toBe(1)

    const started = Date.now()
    await bernd.locator(geoShapes).first().waitFor({ timeout: 2000 })
    expect(Date.now() - started).toBeLessThan(2000)

    // Aylin's cursor, with her name, is visible to Bernd.
    await aylin.mouse.move(700, 500, { steps: 5 })
    await bernd.locator('.tl-collaborator__cursor', { hasText: 'Aylin' }).waitFor({ timeout: 5000 })

    // The server goes away; Bernd keeps drawing offline, and the state says so.
    await server.close()
    await expect.poll(() => bernd.getByTestId('connection-state').textContent(), { timeout: 10_000 }).toContain('offline')
    await drawRectangle(bernd, 700, 200)
    await expect.poll(() => bernd.locator(geoShapes).count()).toBe(2)

    // It comes back on the same port: both reconnect by themselves, and the offline edit reaches Aylin.
    server = await startTestServer(db, { PORT: String(port) })
    await bernd.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => aylin.locator(geoShapes).count(), { timeout: 20_000 }).toBe(2)

    // After a reload both rectangles are still there.
    await bernd.reload()
    await bernd.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => bernd.locator(geoShapes).count(), { timeout: 5000 }).toBe(2)

    // Data protection: fonts, icons, translations and code all came from this installation.
    const origin = new URL(server.url).origin
    const elsewhere = requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
    expect(requested.length).toBeGreaterThan(10)
    expect(elsewhere).toEqual([])
  })

  it('speaks German by default, tldraw included, and English when chosen', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Sprachtest')
    const page = await participantPage('Sprachtest')
    const selectTool = page.locator('[data-testid="tools.select"]')
    await page.goto(`${server.url}/boards/${boardId}`)
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de')
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => selectTool.getAttribute('aria-label'), { timeout: 10_000 }).toContain('Auswählen')

    await page.getByRole('button', { name: 'Sprache' }).click()
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    await expect.poll(() => selectTool.getAttribute('aria-label'), { timeout: 10_000 }).toContain('Select')
  })

  it('a broken shape written by a raw Yjs client does not reach the editor, which keeps working', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Robustheit')
    const page = await openBoard(boardId, 'Robust')
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const raw = connectClient(server.url, boardId, editor.token)
    await raw.synced
    await drawRectangle(page, 400, 300)
    await expect.poll(() => page.locator(geoShapes).count()).toBe(1)
    const records = raw.doc.getMap('tl_records')
    await waitFor(() => [...records.values()].some((r) => (r as { type?: string }).type === 'geo'), 'the drawn rectangle reaches the raw client')
    const drawn = [...records.values()].find((r) => (r as { type?: string }).type === 'geo') as Record<string, unknown>
    // One transaction with a valid copy and a broken shape: the copy must arrive, the broken one must not.
    raw.doc.transact(() => {
      records.set('shape:copy', { ...drawn, id: 'shape:copy', x: (drawn.x as number) + 300, index: 'a9' })
      records.set('shape:broken', { ...drawn, id: 'shape:broken', x: 'weit weg', props: null })
    })
    await expect.poll(() => page.locator(geoShapes).count(), { timeout: 5000 }).toBe(2)
    await drawRectangle(page, 400, 500)
    await expect.poll(() => page.locator(geoShapes).count()).toBe(3)
    expect(errors).toEqual([])
    raw.destroy()
  })

  it('a shape with crafted rich text written over the raw socket never reaches another editor: no "Something went wrong", the writer’s next shape arrives', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Präpariert')
    const page = await openBoard(boardId, 'Beobachterin')
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const raw = connectClient(server.url, boardId, editor.token)
    await raw.synced
    await drawRectangle(page, 400, 300)
    const records = raw.doc.getMap('tl_records')
    await waitFor(() => [...records.values()].some((r) => (r as { type?: string }).type === 'geo'), 'the drawn rectangle reaches the raw client')
    const drawn = [...records.values()].find((r) => (r as { type?: string }).type === 'geo') as Record<string, unknown>
    const crafted = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }, null, { type: 'text', text: 7 }] }] }
    records.set('shape:crafted', { ...drawn, id: 'shape:crafted', x: (drawn.x as number) + 300, index: 'a8', props: { ...(drawn.props as object), richText: crafted } })
    records.set('shape:next', { ...drawn, id: 'shape:next', x: (drawn.x as number) + 600, index: 'a9' })
    await expect.poll(() => page.locator(geoShapes).count(), { timeout: 5000 }).toBe(2)
    await waitFor(() => !records.has('shape:crafted'), 'the writer’s own copy is corrected')
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    await drawRectangle(page, 400, 500)
    await expect.poll(() => page.locator(geoShapes).count()).toBe(3)
    expect(errors).toEqual([])
    raw.destroy()
  })

  it('edits made offline survive a page reload (IndexedDB outbox) and reach the others when the connection returns', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Ausgang')
    const aylin = await openBoard(boardId, 'Aylin')
    const bernd = await openBoard(boardId, 'Bernd')
    // Bernd's websocket is cut (the page itself still loads): he draws, and reloads the page.
    let blocked = true
    await bernd.routeWebSocket(/\/yjs\//, (ws) => {
      if (blocked) return ws.close({ code: 1006 })
      ws.connectToServer()
    })
    await bernd.reload()
    await expect.poll(() => bernd.getByTestId('connection-state').textContent(), { timeout: 10_000 }).toContain('offline')
    await drawRectangle(bernd, 500, 300)
    await expect.poll(() => bernd.locator(geoShapes).count()).toBe(1)
    await new Promise((r) => setTimeout(r, 500))
    await bernd.reload()
    // Still offline: the board opens from this browser's copy, with the unsent rectangle.
    await expect.poll(() => bernd.locator(geoShapes).count(), { timeout: 10_000 }).toBe(1)
    expect(await aylin.locator(geoShapes).count()).toBe(0)
    // The connection returns: the rectangle is sent and Aylin sees it.
    blocked = false
    await expect.poll(() => aylin.locator(geoShapes).count(), { timeout: 20_000 }).toBe(1)
  })
})
