/** The "Zugangstoken" page in the browser: issue a named token (secret shown once, and it works), then revoke it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { RunningServer } from '../../server/app'
import { launchBrowser, signedInPage } from '../support/browser'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('personal access tokens page', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
  })

  it('issues a token with a name and expiry, shows its secret once, lists it, and revokes it so it stops working', async () => {
    const person = await makePerson(server.db.sql, 'Fachamt')
    const page = await signedInPage(browser, server.url, person.cookie)
    await page.goto(`${server.url}/`)
    await page.getByRole('link', { name: 'Zugangstoken' }).click()
    await page.getByRole('heading', { name: 'Persönliche Zugangstoken' }).waitFor()
    await page.getByLabel('Name').fill('Fachverfahren Beteiligung')
    await page.getByLabel('Gültig für').selectOption('30')
    await page.getByRole('button', { name: 'Token erzeugen' }).click()
    const secret = await page.getByTestId('new-token').inputValue()
    expect(secret).toMatch(/^wr_pat_/)
    const row = page.getByRole('row').filter({ hasText: 'Fachverfahren Beteiligung' })
    await row.getByText('gültig').waitFor()
    await page.screenshot({ path: '/tmp/werkraum-tokens.png', fullPage: true })
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200)

    await row.getByRole('button', { name: 'Token „Fachverfahren Beteiligung“ widerrufen' }).click()
    await row.getByText('widerrufen', { exact: true }).waitFor()
    expect(await page.getByTestId('new-token').count()).toBe(0)
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401)
    await page.context().close()
  })
})
