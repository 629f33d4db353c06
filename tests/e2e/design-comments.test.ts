/**
 * Comments on the Systemdesign's entries in Debian's Chromium: the mediator comments on an
 * Akteur from its row, a colleague's page shows the count and the thread live and focuses the
 * row from the thread's anchor, the guest reads without a form, and a newly granted team
 * member can be mentioned after reopening the panel, without reloading the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, signedInPage } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, makePerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('comments on Systemdesign entries in the browser', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let world: World

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  /** Hamm's Systemdesign page for `cookie`, once the document is live. */
  async function designPage(cookie: string, name: string): Promise<Page> {
    const page = await signedInPage(browser, server.url, cookie, { name, viewport: { width: 1280, height: 900 } })
    await page.goto(`${server.url}/kommunen/${world.municipality.hamm.id}/systemdesign`)
    await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await page.getByTestId('list-akteure').waitFor()
    await page.getByTestId('comments-panel').waitFor()
    return page
  }

  /** The labels of the options in the new-thread mention picker. */
  const mentionable = (page: Page) => page.getByTestId('comments-panel').locator('form.comment-new select[multiple] option').allTextContents()

  it('a comment on an entry shows its count and thread live elsewhere, its anchor focuses the row, the guest gets no form', async () => {
    const mediator = await designPage(world.person.mediatorHamm.cookie, 'Mediator')
    const colleague = await designPage(world.person.participantHamm.cookie, 'Teilnehmerin')
    const guest = await designPage(world.person.guestHamm.cookie, 'Gast')

    await mediator.getByLabel('Name des Akteurs').fill('Moscheeverein')
    await mediator.getByTestId('list-akteure').getByRole('button', { name: 'Hinzufügen' }).click()
    const row = (page: Page) => page.getByTestId('list-akteure').locator('tr[data-entry-id]').first()
    await row(colleague).waitFor({ timeout: 5000 })
    const entryId = (await row(mediator).getAttribute('data-entry-id'))!

    // Keyboard: the row's comment button opens the panel on that entry with focus in the form.
    const button = mediator.getByRole('button', { name: 'Kommentare (0): Moscheeverein' })
    await button.focus()
    await mediator.keyboard.press('Enter')
    const panel = mediator.getByTestId('comments-panel')
    expect(await panel.getByTestId('comments-filter').textContent()).toContain('Nur Kommentare zu: Moscheeverein')
    await expect.poll(() => mediator.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('comment-body')
    await mediator.keyboard.type('Rolle im Beirat klären')
    await panel.getByRole('button', { name: 'Kommentieren' }).click()
    await expect.poll(() => panel.getByTestId('comment-thread').count()).toBe(1)
    await mediator.getByRole('button', { name: 'Kommentare (1): Moscheeverein' }).waitFor({ timeout: 5000 })

    // Live at the colleague's: the row's count and the thread with its anchor, which focuses the row.
    await colleague.getByRole('button', { name: 'Kommentare (1): Moscheeverein' }).waitFor({ timeout: 5000 })
    const thread = colleague.getByTestId('comment-thread').filter({ hasText: 'Rolle im Beirat klären' })
    await thread.waitFor({ timeout: 5000 })
    await thread.getByRole('button', { name: 'Moscheeverein' }).click()
    await expect.poll(() => colleague.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-entry-id') ?? null)).toBe(entryId)

    // The guest sees the count and the thread, but no form to write.
    await guest.getByRole('button', { name: 'Kommentare (1): Moscheeverein' }).click({ timeout: 5000 })
    await guest.getByTestId('comment-thread').filter({ hasText: 'Rolle im Beirat klären' }).waitFor({ timeout: 5000 })
    expect(await guest.getByRole('button', { name: 'Kommentieren' }).count()).toBe(0)
    expect(await guest.getByTestId('comment-body').count()).toBe(0)
    expect(await guest.getByRole('button', { name: 'Antwort senden' }).count()).toBe(0)
  }, 120_000)

  it('a team member granted while the page is open can be mentioned after reopening the panel', async () => {
    const mediator = await designPage(world.person.mediatorHamm.cookie, 'Mediator')
    await expect.poll(() => mentionable(mediator)).toContain('@Teilnehmerin Hamm')
    expect(await mentionable(mediator)).not.toContain('@Neue Kollegin')

    await makePerson(server.db.sql, 'Neue Kollegin', [{ role: 'participant', courseId: world.course.id, municipalityId: world.municipality.hamm.id }])
    await mediator.getByRole('button', { name: /^Kommentare \(\d+\): 0 / }).click()
    await expect.poll(() => mentionable(mediator), { timeout: 5000 }).toContain('@Neue Kollegin')
  }, 60_000)
})
