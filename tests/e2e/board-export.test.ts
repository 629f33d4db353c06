/**
 * Board export, import and presentation in Debian's Chromium: SVG and PNG from tldraw's
 * exporter hold the board's text, the PDF has one page per frame (printed by the server's
 * headless Chromium), the JSON (.tldr) file imports into another board through the server
 * (a "vor Import" Stand first, the shapes added to what is there and arriving live for a
 * second client; a file the tldraw schema refuses changes nothing), and the presentation steps
 * through the frames with the keyboard.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Download, Page } from 'playwright-core'
import * as snapshots from '../../db/snapshots.server'
import { launchBrowser, openBoardPage } from '../support/browser'
import { connectClient, createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('board export, import and presentation', () => {
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let editor: Awaited<ReturnType<typeof makeEditor>>
  let dir: string

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    browser = await launchBrowser()
    editor = await makeEditor(server.db.sql)
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-export-'))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const openBoard = (boardId: string) => openBoardPage(browser, server.url, editor.person.cookie, boardId, { acceptDownloads: true })

  async function drag(page: Page, tool: string, from: [number, number], to: [number, number], selector: string) {
    const before = await page.locator(selector).count()
    for (let attempt = 0; attempt < 3; attempt++) {
      // The frame tool sits in the toolbar's overflow: its keyboard shortcut (F, R) reaches it either way.
      await page.locator('.tl-canvas').focus()
      await page.keyboard.press(tool === 'frame' ? 'f' : 'r')
      await page.waitForTimeout(100)
      await page.mouse.move(...from)
      await page.mouse.down()
      await page.mouse.move((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, { steps: 6 })
      await page.mouse.move(...to, { steps: 6 })
      await page.mouse.up()
      const drawn = await expect
        .poll(() => page.locator(selector).count(), { timeout: 3000 })
        .toBeGreaterThan(before)
        .then(
          () => true,
          () => false,
        )
      if (drawn) return
    }
    throw new Error(`no ${tool} appeared`)
  }

  async function exported(page: Page, testId: string): Promise<string> {
    await page.getByTestId('board-export').click()
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(testId).click()])
    const file = path.join(dir, `${testId}-${(download as Download).suggestedFilename()}`)
    await download.saveAs(file)
    return file
  }

  it('exports SVG, PNG, PDF per frame and JSON; the JSON re-imports; the presentation walks the frames', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Konfliktlandkarte Soest')
    const page = await openBoard(boardId)
    await drag(page, 'frame', [150, 200], [500, 550], '.tl-shape[data-shape-type="frame"]')
    await page.keyboard.press('Escape')
    await drag(page, 'frame', [650, 200], [1000, 550], '.tl-shape[data-shape-type="frame"]')
    await page.keyboard.press('Escape')
    await drag(page, 'rectangle', [200, 300], [420, 420], '.tl-shape[data-shape-type="geo"]')
    await page.keyboard.press('Enter')
    // Type only once the label editor has focus, or the first letters land before it opens.
    await page.locator('.tl-shape[data-shape-type="geo"] [contenteditable="true"]').waitFor({ timeout: 10_000 })
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('contenteditable'))).toBe('true')
    await page.keyboard.type('Ordnungsamt')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('.tl-shape[data-shape-type="geo"]').textContent()).toContain('Ordnungsamt')

    const svg = await fs.readFile(await exported(page, 'export-svg'), 'utf8')
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('Ordnungsamt')

    const png = await fs.readFile(await exported(page, 'export-png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(2000)

    const pdfFile = await exported(page, 'export-pdf')
    expect(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' })).toMatch(/Pages:\s+2\b/)
    expect(execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' })).toContain('Ordnungsamt')

    const tldrFile = await exported(page, 'export-json')
    const file = JSON.parse(await fs.readFile(tldrFile, 'utf8')) as { records: { typeName: string; type?: string }[] }
    const shapesIn = (records: { typeName: string; type?: string }[]) =>
      records
        .filter((r) => r.typeName === 'shape')
        .map((r) => r.type)
        .sort()
    expect(shapesIn(file.records)).toEqual(['frame', 'frame', 'geo'])
    expect(JSON.stringify(file.records)).toContain('Ordnungsamt')

    // Import into another board through the server: a "vor Import" Stand first, then the shapes
    // arrive live, in the importing page and for a second client.
    const otherId = await createBoard(server.url, editor.token, editor.municipalityId, 'Import')
    const other = await openBoard(otherId)
    const reader = connectClient(server.url, otherId, editor.token)
    await reader.synced
    const readerShapes = () => shapesIn([...reader.doc.getMap('tl_records').values()] as { typeName: string; type?: string }[])
    await other.getByTestId('board-export').click()
    await other.getByTestId('import-file').setInputFiles(tldrFile)
    await other.getByTestId('board-tools-message').filter({ hasText: '3 Formen importiert' }).waitFor({ timeout: 10_000 })
    await expect.poll(readerShapes, { timeout: 10_000 }).toEqual(['frame', 'frame', 'geo'])
    expect(JSON.stringify(reader.doc.getMap('tl_records').toJSON())).toContain('Ordnungsamt')
    await expect.poll(() => other.locator('.tl-shape').count(), { timeout: 10_000 }).toBe(3)
    const stände = await snapshots.listSnapshots(server.db.sql, editor.municipalityId)
    expect(stände.filter((s) => s.label === 'vor Import in „Import“').map((s) => s.kind)).toEqual(['before_restore'])

    // Importing again adds the shapes once more; nothing of the board's is removed.
    await other.getByTestId('board-export').click()
    await other.getByTestId('import-file').setInputFiles(tldrFile)
    await expect.poll(readerShapes, { timeout: 10_000 }).toEqual(['frame', 'frame', 'frame', 'frame', 'geo', 'geo'])

    // A file that is not JSON, and one with a record the tldraw schema refuses, are refused with a German message and change nothing.
    const broken = path.join(dir, 'broken.tldr')
    await fs.writeFile(broken, '{"tldrawFileFormatVersion":1,"records":[{"typeName":')
    await other.getByTestId('import-file').setInputFiles(broken)
    await other.getByTestId('board-tools-message').filter({ hasText: 'keine gültige tldraw-Datei' }).waitFor({ timeout: 10_000 })
    const invalid = path.join(dir, 'invalid.tldr')
    const geo = (file.records as { typeName: string; type?: string; props?: object }[]).find((r) => r.type === 'geo')!
    await fs.writeFile(invalid, JSON.stringify({ ...file, records: [...file.records.filter((r) => r !== geo), { ...geo, props: { ...geo.props, w: 'breit' } }] }))
    const ständeBefore = (await snapshots.listSnapshots(server.db.sql, editor.municipalityId)).length
    await other.getByTestId('import-file').setInputFiles(invalid)
    await other.getByTestId('board-tools-message').filter({ hasText: 'Die Datei ist keine gültige tldraw-Datei; am Board wurde nichts geändert.' }).waitFor({ timeout: 10_000 })
    expect(readerShapes()).toEqual(['frame', 'frame', 'frame', 'frame', 'geo', 'geo'])
    expect((await snapshots.listSnapshots(server.db.sql, editor.municipalityId)).length).toBe(ständeBefore)
    reader.destroy()

    // Presentation: two frames in reading order, keyboard to step, Esc to end.
    await page.getByTestId('present').click()
    await expect.poll(() => page.getByTestId('presentation-position').textContent()).toContain('Folie 1 von 2')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.getByTestId('presentation-position').textContent()).toContain('Folie 2 von 2')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.getByTestId('presentation-position').textContent()).toContain('Folie 2 von 2')
    await page.keyboard.press('Home')
    await expect.poll(() => page.getByTestId('presentation-position').textContent()).toContain('Folie 1 von 2')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('presentation').count()).toBe(0)
  }, 180_000)

  it('refuses a PDF export for someone without access and a body that is not SVG', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Geheim')
    const other = await makeEditor(server.db.sql)
    const post = (cookie: string, body: unknown) =>
      fetch(`${server.url}/boards/${boardId}/export.pdf`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post(other.person.cookie, { pages: [{ title: 'x', svg: '<svg></svg>' }] })).status).toBe(403)
    const bad = await post(editor.person.cookie, { pages: [{ title: 'x', svg: '<html><script>1</script></html>' }] })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('beschädigt')
  })
})
