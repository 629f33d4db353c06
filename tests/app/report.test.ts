/**
 * The Systemdesign-Bericht: the print page and the PDF printed from it by real headless
 * Chromium hold the section titles, the prose and the typed entries written live by a real
 * client; HTML in the prose is escaped; access follows the design document's rules.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addEntry, sectionFragment } from '../../domain/design/model'
import { getDesignDocument } from '../../db/boards.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { readPdf, wordsOutsidePages } from '../support/pdf'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('Systemdesign-Bericht', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []
  const get = (pathname: string, cookie?: string) => fetch(server.url + pathname, { headers: cookie ? { cookie } : {}, redirect: 'manual' })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    const documentId = (await getDesignDocument(server.db.sql, world.municipality.hamm.id))!.id
    const writer = connectClient(server.url, documentId, world.person.mediatorHamm.token)
    clients.push(writer)
    await writer.synced
    writer.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      sectionFragment(writer.doc, 'auftrag').insert(0, [paragraph])
      text.insert(0, 'Der Rat beauftragt die Koordinierungsstelle <script>alert(1)</script> mit dem Aufbau.')
      text.format(4, 3, { bold: {} })
      addEntry(writer.doc, 'akteure', { name: 'Ordnungsamt Hamm', sector: 'Verwaltung', influence: 4, concern: 'Sicherheit im Quartier' })
      addEntry(writer.doc, 'verfahren', { name: 'Mediation inkl. Gemeinwesenmediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 })
    })
    const board = connectClient(server.url, world.board.hamm.id, world.person.mediatorHamm.token)
    clients.push(board)
    await board.synced
    board.doc.getMap('tl_records').set('page:page', { id: 'page:page', typeName: 'page', name: 'Seite 1', index: 'a1', meta: {} })
    board.doc.getMap('tl_records').set('shape:a', { id: 'shape:a', typeName: 'shape', type: 'geo', parentId: 'page:page', index: 'a1', x: 0, y: 0, props: { w: 300, h: 100 } })
    await waitFor(
      async () => (await get(`/kommunen/${world.municipality.hamm.id}/bericht`, world.person.mediatorHamm.cookie).then((r) => r.text())).includes('Ordnungsamt Hamm'),
      'entry reached the report',
      10_000,
    )
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('prints sections, prose (escaped) and entries on the report page', async () => {
    const response = await get(`/kommunen/${world.municipality.hamm.id}/bericht`, world.person.participantHamm.cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('Auftrag und Mandat')
    expect(html).toContain('15 Evaluation und Lernen')
    expect(html).toContain('Der <strong>Rat</strong> beauftragt')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('Ordnungsamt Hamm')
    expect(html).toContain('Sicherheit im Quartier')
    expect(html).toContain('Konfliktlandkarte Hamm')
    expect(html).toMatch(/<svg[^>]*aria-label="Konfliktlandkarte Hamm"/)
  })

  it('prints the PDF in headless Chromium with the section titles and an entry', async () => {
    const response = await get(`/kommunen/${world.municipality.hamm.id}/bericht.pdf`, world.person.participantHamm.cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-report-'))
    try {
      await fs.writeFile(path.join(dir, 'bericht.pdf'), bytes)
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'bericht.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
      expect(text).toContain('Auftrag und Mandat')
      expect(text).toContain('Akteursanalyse')
      expect(text).toContain('Ordnungsamt Hamm')
      expect(text).toContain('Mediation inkl. Gemeinwesenmediation')
      expect(text).toContain('Der Rat beauftragt die Koordinierungsstelle')
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('prints a tagged PDF: a cover with the responsible office, contents with the right page numbers, every word on its page', async () => {
    const hamm = world.municipality.hamm.id
    clients[0]!.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      sectionFragment(clients[0]!.doc, 'steckbrief').insert(0, [paragraph])
      text.insert(0, 'Federführung: Amt für Integration, Tel. 02381 17-0')
    })
    await waitFor(async () => (await get(`/kommunen/${hamm}/bericht`, world.person.mediatorHamm.cookie).then((r) => r.text())).includes('Amt für Integration'), 'Steckbrief stored')
    const response = await get(`/kommunen/${hamm}/bericht.pdf`, world.person.mediatorHamm.cookie)
    expect(response.status).toBe(200)
    const { info, pages } = await readPdf(Buffer.from(await response.arrayBuffer()))
    expect(info.Tagged).toBe('yes')
    expect(info.Title).toBe(`Konfliktmanagementsystem ${world.municipality.hamm.name}`)
    if (process.env.DUMP_PDF) console.log(pages.map((p, i) => `${i + 1} [${p.width}x${p.height}] ${p.text.slice(0, 160)}`).join('\n'))
    expect(wordsOutsidePages(pages)).toEqual([])

    // Page 1: the cover — municipality, status, a German date, the office from the Steckbrief; no chapter yet.
    const cover = pages[0]!.text
    expect(cover).toContain(world.municipality.hamm.name)
    expect(cover).toContain('Entwurf')
    expect(cover).toMatch(/\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}/)
    expect(cover).toContain('Federführung: Amt für Integration')
    expect(cover).not.toContain('Auftrag und Mandat')
    // Page 2: the contents; each entry's number is the page its chapter starts on.
    const contents = pages[1]!.text
    expect(contents).toContain('Inhalt')
    for (const [title, words] of [
      ['1 Auftrag und Mandat', 'Auftrag und Mandat'],
      ['Boards', 'Konfliktlandkarte Hamm'],
    ] as const) {
      const number = Number(new RegExp(`${title.replace(/ /g, '\\s+')}\\s+(\\d+)`).exec(contents)?.[1])
      expect(number, title).toBeGreaterThan(2)
      expect(pages[number - 1]!.text, `${title} on page ${number}`).toContain(words)
    }
  })

  it('prints every whiteboard by default; the team leaves boards out and reorders them, remembered for the municipality', async () => {
    const hamm = world.municipality.hamm.id
    const second = await createBoard(server.url, world.person.mediatorHamm.token, hamm, 'Akteurslandkarte Hamm')
    const figures = async () =>
      [...(await (await get(`/kommunen/${hamm}/bericht`, world.person.participantHamm.cookie)).text()).matchAll(/<figure class="board[^"]*"><h3 id="[^"]+">([^<]+)</g)].map((m) => m[1])
    expect(await figures()).toEqual(['Konfliktlandkarte Hamm', 'Akteurslandkarte Hamm'])
    const form = (entries: [string, boolean, number][]) => {
      const body = new URLSearchParams()
      for (const [id, included, position] of entries) {
        body.append('board', id)
        body.append('position', String(position))
        if (included) body.append('include', id)
      }
      return body
    }
    const post = (cookie: string, body: URLSearchParams) =>
      fetch(`${server.url}/kommunen/${hamm}/bericht`, { method: 'POST', body, headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })
    expect(
      (
        await post(
          world.person.mediatorHamm.cookie,
          form([
            [world.board.hamm.id, true, 2],
            [second, true, 1],
          ]),
        )
      ).status,
    ).toBe(303)
    expect(await figures()).toEqual(['Akteurslandkarte Hamm', 'Konfliktlandkarte Hamm'])
    expect(
      (
        await post(
          world.person.mediatorHamm.cookie,
          form([
            [world.board.hamm.id, false, 1],
            [second, true, 2],
          ]),
        )
      ).status,
    ).toBe(303)
    expect(await figures()).toEqual(['Akteurslandkarte Hamm'])
    // A guest may read the report but not change what it prints.
    expect((await post(world.person.guestHamm.cookie, form([[world.board.hamm.id, true, 1]]))).status).toBe(403)
    expect(await figures()).toEqual(['Akteurslandkarte Hamm'])
    expect(
      (
        await post(
          world.person.mediatorHamm.cookie,
          form([
            [world.board.hamm.id, true, 1],
            [second, true, 2],
          ]),
        )
      ).status,
    ).toBe(303)
  })

  it('prints a chosen snapshot: its entries, not what was added later; only for those who see the municipality’s snapshots', async () => {
    const hamm = world.municipality.hamm.id
    const taken = await fetch(`${server.url}/api/v1/municipalities/${hamm}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.person.mediatorHamm.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'Vor dem Ratsbeschluss' }),
    })
    expect(taken.status).toBe(201)
    const { id } = (await taken.json()) as { id: string }
    addEntry(clients[0]!.doc, 'akteure', { name: 'Seniorenbeirat', sector: 'Zivilgesellschaft', influence: 2, concern: '' })
    await waitFor(async () => (await get(`/kommunen/${hamm}/bericht`, world.person.mediatorHamm.cookie).then((r) => r.text())).includes('Seniorenbeirat'), 'later entry stored')
    const frozen = await (await get(`/kommunen/${hamm}/bericht?stand=${id}`, world.person.guestHamm.cookie)).text()
    expect(frozen).toContain('Vor dem Ratsbeschluss')
    expect(frozen).toContain('Ordnungsamt Hamm')
    expect(frozen).not.toContain('Seniorenbeirat')
    expect((await get(`/kommunen/${hamm}/bericht.pdf?stand=${id}`, world.person.mediatorHamm.cookie)).headers.get('content-type')).toBe('application/pdf')
    expect((await get(`/kommunen/${hamm}/bericht?stand=${id}`, world.person.participantDuisburg.cookie)).status).toBe(403)
    expect((await get(`/kommunen/${world.municipality.duisburg.id}/bericht?stand=${id}`, world.person.administrator.cookie)).status).toBe(404)
    expect((await get(`/kommunen/${hamm}/bericht?stand=kaputt`, world.person.mediatorHamm.cookie)).status).toBe(404)
  })

  it('follows the design document’s access rules', async () => {
    const hamm = world.municipality.hamm.id
    expect((await get(`/kommunen/${hamm}/bericht`, world.person.guestHamm.cookie)).status).toBe(200)
    expect((await get(`/kommunen/${hamm}/bericht`, world.person.participantDuisburg.cookie)).status).toBe(403)
    expect((await get(`/kommunen/${hamm}/bericht.pdf`, world.person.outsider.cookie)).status).toBe(403)
    expect((await get(`/kommunen/${hamm}/bericht.pdf`)).status).toBeGreaterThanOrEqual(300)
    expect((await get(`/kommunen/${hamm}/bericht.pdf`)).status).not.toBe(200)
    expect((await get(`/kommunen/not-an-id/bericht`, world.person.administrator.cookie)).status).toBe(404)
    const english = await fetch(`${server.url}/kommunen/${hamm}/bericht`, { headers: { cookie: `${world.person.participantHamm.cookie}; lang=en` } })
    expect(await english.text()).toContain('Mandate')
  })
})

describe('Systemdesign-Bericht without Chromium', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { CHROMIUM_PATH: '/nonexistent/chromium' })
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  it('answers 503 with the reason in German instead of failing with a server error', async () => {
    const response = await fetch(`${server.url}/kommunen/${world.municipality.hamm.id}/bericht.pdf`, { headers: { cookie: world.person.participantHamm.cookie } })
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(text).toContain('Der PDF-Bericht konnte nicht erstellt werden')
    expect(text).toContain('/nonexistent/chromium')
  })
})
