/**
 * Comments in Debian's Chromium: on the Systemdesign page one person comments on a section
 * and the other sees the thread appear live and resolves it; a guest sees it without forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../support/browser'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import type { Role } from '../../access/policy'

describe('comments in the browser', () => {
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

  async function designPage(name: string, role: Role = 'participant'): Promise<Page> {
    const person = await makePerson(server.db.sql, name, [{ role, municipalityId: editor.municipalityId }])
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' })
    const [cookieName, cookieValue] = person.cookie.split('=')
    await context.addCookies([{ name: cookieName, value: cookieValue, url: server.url }])
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
    await page.goto(`${server.url}/kommunen/${editor.municipalityId}/systemdesign`)
    await page.getByTestId('comments-panel').waitFor({ timeout: 20_000 })
    return page
  }

  it('a comment on a section appears live for the other person, who resolves it; the guest reads without forms', async () => {
    // A thread on one of the municipality's boards is listed on the design page too.
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Konfliktlandkarte Soest')
    const posted = await fetch(`${server.url}/api/v1/boards/${boardId}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anchor: { kind: 'shape', id: 'shape:x', label: 'Moscheeverein' }, body: 'Rolle klären' }),
    })
    expect(posted.status).toBe(201)
    // Bernd first: Aylin's page lists whom she can mention when it opens.
    const bernd = await designPage('Bernd')
    const aylin = await designPage('Aylin')
    expect(await aylin.getByTestId('board-threads').textContent()).toContain('Konfliktlandkarte Soest · Moscheeverein: Rolle klären')
    const gast = await designPage('Gast', 'guest')
    await expect.poll(() => aylin.getByTestId('comments-panel').textContent()).toContain('Keine offenen Kommentare')

    const panel = aylin.getByTestId('comments-panel')
    await panel.getByLabel('Zu').selectOption({ label: '3 Leitbild und Ziele' })
    await panel.getByTestId('comment-body').fill('Ziele messbar formulieren')
    await panel.getByLabel('Erwähnen (@)').first().selectOption({ label: '@Bernd' })
    await panel.getByRole('button', { name: 'Kommentieren' }).click()

    const thread = bernd.getByTestId('comment-thread')
    await thread.first().waitFor({ timeout: 5000 })
    await expect.poll(() => thread.first().textContent()).toContain('Ziele messbar formulieren')
    expect(await thread.first().textContent()).toContain('3 Leitbild und Ziele')
    expect(await thread.first().textContent()).toContain('@Bernd')
    await gast.getByTestId('comment-thread').first().waitFor({ timeout: 5000 })
    expect(await gast.getByRole('button', { name: 'Kommentieren' }).count()).toBe(0)
    expect(await gast.getByRole('button', { name: 'Als erledigt markieren' }).count()).toBe(0)

    await thread.first().getByRole('button', { name: 'Als erledigt markieren' }).click()
    await expect.poll(() => aylin.getByTestId('comment-thread').count(), { timeout: 5000 }).toBe(0)
  }, 90_000)
})
