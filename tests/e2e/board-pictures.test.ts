/**
 * One faithful board picture (decision 0041): the Konfliktlandkarte template with a KMS card,
 * printed through the report path, is structurally the picture tldraw's own export draws in the
 * live editor for the same records — the same paths, every label as text, the template's colours.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Download } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate } from '../../domain/templates/catalogue'
import { richTextToPlain as plainText } from '../../domain/board/text'
import type { RunningServer } from '../../server/app'
import { launchBrowser, openBoardPage, signedInPage } from '../support/browser'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const KMS_LABEL = 'Ordnungsamt Quartiersbüro'

/** What a picture is made of: its elements by name, the words of its text, and its colours. */
function structure(svg: string) {
  const count = (name: string) => (svg.match(new RegExp(`<${name}[\\s>/]`, 'g')) ?? []).length
  const text = svg
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
  const colours = new Set([...svg.matchAll(/(?:fill|stroke|color|background-color)[=:]\s*"?(#[0-9a-f]{6}|#[0-9a-f]{3}|rgba?\([^)]*\))/gi)].map((m) => m[1]!.toLowerCase()))
  return { paths: count('path'), ellipses: count('ellipse'), rects: count('rect'), text, colours: [...colours] }
}

/** True for a colour whose channels differ (not grey, black or white). */
function isColourful(colour: string): boolean {
  let rgb: number[]
  if (colour.startsWith('#')) {
    const hex = colour.length === 4 ? [...colour.slice(1)].map((c) => c + c).join('') : colour.slice(1)
    rgb = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
  } else
    rgb = colour
      .replace(/[^\d.,]/g, '')
      .split(',')
      .slice(0, 3)
      .map(Number)
  return Math.max(...rgb) - Math.min(...rgb) > 40
}

describe('board pictures', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let browser: Browser
  let boardId: string
  let dir: string
  const clients: Client[] = []
  const labels = buildTemplate('konfliktlandkarte', { locale: 'de', idPrefix: 'x' })
    .map((r) => plainText((r.props as { richText?: unknown }).richText))
    .filter(Boolean)

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    browser = await launchBrowser()
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-pictures-'))
    const res = await fetch(`${server.url}/api/v1/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.person.mediatorHamm.token}` },
      body: JSON.stringify({ title: 'Konfliktlandkarte Test', municipalityId: world.municipality.hamm.id, template: 'builtin:konfliktlandkarte' }),
    })
    expect(res.status).toBe(201)
    boardId = ((await res.json()) as { id: string }).id
    const client = connectClient(server.url, boardId, world.person.mediatorHamm.token)
    clients.push(client)
    await client.synced
    client.doc.getMap('tl_records').set('shape:kmscard', {
      id: 'shape:kmscard',
      typeName: 'shape',
      type: 'kms',
      parentId: 'page:page',
      index: 'a9',
      x: 1700,
      y: 200,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: {},
      props: { w: 220, h: 120, kind: 'akteure', entryId: 'e1', designId: 'd1', label: KMS_LABEL, glaslStage: 0, linked: true },
    })
    await waitFor(async () => (await server.rooms.currentState(boardId)).length > 0, 'card stored')
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await browser?.close()
    await server?.close()
    await db?.drop()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('the report draws the Konfliktlandkarte as tldraw’s own export does', async () => {
    // tldraw's own export of the records, from the live editor's SVG export button.
    const page = await openBoardPage(browser, server.url, world.person.mediatorHamm.cookie, boardId, { acceptDownloads: true })
    await page.locator('.tl-shape[data-shape-type="kms"]').waitFor({ state: 'attached', timeout: 20_000 })
    await page.getByTestId('board-export').click()
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export-svg').click()])
    const file = path.join(dir, 'reference.svg')
    await (download as Download).saveAs(file)
    const reference = structure(await fs.readFile(file, 'utf8'))
    await page.context().close()

    // The report's picture of the same board (the HTML the PDF is printed from), read out of its figure.
    const reportPage = await signedInPage(browser, server.url, world.person.mediatorHamm.cookie)
    await reportPage.goto(`${server.url}/kommunen/${world.municipality.hamm.id}/bericht`)
    const svg = await reportPage
      .locator('figure.board svg[aria-label="Konfliktlandkarte Test"]')
      .first()
      .evaluate((e) => e.outerHTML)
    await reportPage.context().close()
    expect(svg).toContain('data-renderer="tldraw"')
    const picture = structure(svg)

    expect(reference.paths).toBeGreaterThan(10)
    expect(picture.paths).toBe(reference.paths)
    expect(picture.ellipses).toBe(reference.ellipses)
    for (const label of [...labels, KMS_LABEL]) {
      for (const word of label.split(/\s+/).filter((w) => w.length > 2)) {
        expect(reference.text, `reference has "${word}"`).toContain(word)
        expect(picture.text, `picture has "${word}"`).toContain(word)
      }
    }
    expect(picture.colours.filter(isColourful).length).toBeGreaterThan(1)
    expect(picture.colours.filter(isColourful).sort()).toEqual(reference.colours.filter(isColourful).sort())
  }, 120_000)
})
