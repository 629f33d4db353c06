/**
 * The Content-Security-Policy runs no inline script without this response's nonce (issue 16):
 * the header names a fresh nonce per response and no 'unsafe-inline' for scripts, every inline
 * script of a page carries it, and in Chromium the pages still hydrate and a board still works,
 * with no CSP violation reported.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { RunningServer } from '../../server/app'
import { boardReady, launchBrowser, signedInPage } from '../support/browser'
import { createBoard, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const scriptSrc = (csp: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src')) ?? ''

describe('CSP with per-response nonces', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  const pages: Page[] = []
  const violations: string[] = []
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.context().close()))
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  const watch = (page: Page) => {
    pages.push(page)
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    return page
  }

  it('names a fresh nonce per response, no unsafe-inline for scripts, and puts it on every inline script', async () => {
    const [first, second] = await Promise.all([fetch(`${server.url}/anmelden`), fetch(`${server.url}/anmelden`)])
    const nonces = [first, second].map((res) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc(res.headers.get('content-security-policy') ?? ''))?.[1])
    expect(nonces[0]).toBeTruthy()
    expect(nonces[0]).not.toBe(nonces[1])
    expect(scriptSrc(first.headers.get('content-security-policy') ?? '')).not.toContain('unsafe-inline')
    const html = await first.text()
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonces[0]}"`)
  })

  it('the sign-in page hydrates, and a board loads and takes an edit, without a CSP violation', async () => {
    const page = watch(await signedInPage(browser, server.url, 'x=y'))
    await page.goto(`${server.url}/anmelden`)
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined, undefined, { timeout: 15_000 })

    const editor = await makeEditor(server.db.sql)
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
    const board = watch(await signedInPage(browser, server.url, editor.person.cookie))
    await board.goto(`${server.url}/boards/${boardId}`)
    await boardReady(board)
    // Draw a rectangle with the keyboard shortcut and a drag: the editor runs, the edit is stored.
    await board.locator('.tl-canvas').click({ position: { x: 400, y: 300 } })
    await board.keyboard.press('r')
    await board.mouse.move(400, 300)
    await board.mouse.down()
    await board.mouse.move(600, 450, { steps: 5 })
    await board.mouse.up()
    await waitFor(
      async () => [...(await loadBoardDoc(server.db.sql, boardId, { error: () => {} })).doc.getMap<{ typeName: string }>('tl_records').values()].some((r) => r.typeName === 'shape'),
      'the drawn shape is stored',
      15_000,
    )
    expect(violations).toEqual([])
  })
})
