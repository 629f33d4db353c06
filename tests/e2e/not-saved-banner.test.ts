/**
 * The board page says when work is not yet saved: while the database is unreachable (a TCP
 * proxy to the real PostgreSQL is cut) and someone edits, Chromium shows the German banner
 * "Änderungen noch nicht gespeichert"; once the database is back and everything is stored the
 * banner goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { connectClient, createBoard, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'
import type { RunningServer } from '../../server/app'

describe('"not yet saved" banner on the board page', () => {
  let db: TestDatabase
  let proxy: TcpProxy
  let server: RunningServer
  let browser: Browser
  let writer: Client | undefined

  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    const url = new URL(db.url!)
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    url.port = String(proxy.port)
    server = await startTestServer({ ...db, url: url.toString() })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    writer?.destroy()
    proxy?.restore()
    await browser?.close()
    await server?.close()
    await proxy?.close()
    await db?.drop()
  })

  it('shows "Änderungen noch nicht gespeichert" while the database is away and hides it once everything is stored', async () => {
    const editor = await makeEditor(server.db.sql)
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Konfliktlandkarte')
    const person = await makePerson(server.db.sql, 'Aylin', [{ role: 'participant', municipalityId: editor.municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    await page.goto(`${server.url}/boards/${boardId}`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('save-state').count()).toBe(0)

    writer = connectClient(server.url, boardId, editor.token)
    await writer.synced
    proxy.cut()
    writer.doc.getMap('werkraum_test').set('während des Ausfalls', true)

    const banner = page.getByTestId('save-state')
    await banner.waitFor({ timeout: 10_000 })
    expect(await banner.textContent()).toContain('Änderungen noch nicht gespeichert')

    proxy.restore()
    await banner.waitFor({ state: 'detached', timeout: 15_000 })
    await context.close()
  })
})
