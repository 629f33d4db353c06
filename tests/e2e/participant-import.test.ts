/** The CSV import page with a file as Excel saves it in a German office: Windows-1252, semicolons, German headers. */
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { RunningServer } from '../../server/app'
import { seedDemo } from '../../server/demo-data'
import * as memberships from '../../db/memberships.server'
import { launchBrowser } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { signInDirectly } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('participant import of a Windows-1252 file', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let courseId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    ;({ courseId } = await seedDemo(server.db.sql))
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  it('names the detected encoding in the preview, shows "Jürgen Müller" intact, and imports him', async () => {
    const context = await browser.newContext({ locale: 'de-DE' })
    const page = await context.newPage()
    await signInDirectly(page, server.db.sql, server.url, 'dozentin@werkraum.test')
    await page.goto(`${server.url}/kurse/${courseId}/import`)
    const file = iconv.encode('Name;E-Mail;Kommune;Rolle\r\nJürgen Müller;juergen.mueller@soest.example;Soest;Teilnehmer\r\n', 'windows-1252')
    await page.getByLabel('CSV-Datei').setInputFiles({ name: 'Teilnehmende.csv', mimeType: 'text/csv', buffer: file })
    await page.getByRole('button', { name: 'Vorschau prüfen' }).click()
    await page.getByText('Die Datei ist in Ordnung: 1 Zeile.').waitFor()
    expect(await page.getByTestId('import-encoding').textContent()).toContain('Windows-1252 / ISO-8859-1')
    expect(await page.getByTestId('import-row-2').textContent()).toContain('Jürgen Müller')
    await page.screenshot({ path: '/tmp/werkraum-import-windows-1252.png', fullPage: true })
    await page.getByRole('button', { name: 'Jetzt importieren' }).click()
    await page.getByRole('heading', { name: 'Import abgeschlossen.' }).waitFor()
    expect(await page.getByRole('cell', { name: 'Jürgen Müller' }).count()).toBe(1)
    const invitations = await memberships.listCourseInvitations(server.db.sql, courseId)
    expect(invitations.map((i) => i.email)).toContain('juergen.mueller@soest.example')
    await context.close()
  })
})
