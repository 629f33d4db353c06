/**
 * Renders the screenshots of the outputs in docs/screenshots from the real PDFs: starts the
 * server on a throw-away embedded database with the demo data, fills Hamm's Systemdesign and a
 * Konfliktlandkarte board, publishes it, prints the report and the handbook as the app does,
 * and turns the cover, a board page and the handbook's comparison page into PNGs with pdftoppm.
 * Run: `npx tsx scripts/screenshots-outputs.ts` (needs the build, Chromium and poppler-utils).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import * as Y from 'yjs'
import { startSession } from '../access'
import { createBoard, getDesignDocument } from '../db/boards.server'
import { setDesignStatus } from '../db/courses.server'
import { setPublished } from '../db/publication.server'
import { writeFirstRecords } from '../domain/board/first-records'
import { addEntry, sectionFragment } from '../domain/design/model'
import { buildTemplate } from '../domain/templates/catalogue'
import { startServer } from '../server/app'
import { readEnv } from '../server/env.server'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = path.join(root, 'docs', 'screenshots')

function paragraph(doc: Y.Doc, section: Parameters<typeof sectionFragment>[1], lines: string[]) {
  for (const line of lines) {
    const element = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    element.insert(0, [text])
    sectionFragment(doc, section).push([element])
    text.insert(0, line)
  }
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-screens-'))
const server = await startServer(readEnv({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: '1', LOG_LEVEL: 'warn' }), pino({ level: 'warn' }))
try {
  const sql = server.db.sql
  const [hamm] = await sql<{ id: string; name: string }[]>`select id, name from municipalities where name = 'Hamm'`
  const [coordinator] = await sql<{ id: string }[]>`select id from people where email = 'koordination@werkraum.test'`
  if (!hamm || !coordinator) throw new Error('demo data missing')
  const cookie = (await startSession(sql, coordinator.id, { secure: false })).split(';')[0]!
  const design = (await getDesignDocument(sql, hamm.id))!
  await server.rooms.edit(design.id, (doc) => {
    paragraph(doc, 'steckbrief', [
      'Stadt Hamm, rund 180 000 Einwohnerinnen und Einwohner.',
      'Federführung: Amt für Integration und Vielfalt',
      'Kontakt: Koordinierungsstelle Konfliktmanagement, konflikt@hamm.example, Tel. 02381 17-0',
    ])
    paragraph(doc, 'auftrag', ['Der Rat beauftragt die Koordinierungsstelle, ein kommunales Konfliktmanagementsystem aufzubauen und jährlich zu berichten.'])
    addEntry(doc, 'akteure', { name: 'Ordnungsamt Hamm', sector: 'Verwaltung', influence: 4, concern: 'Sicherheit im Quartier' })
    addEntry(doc, 'akteure', { name: 'Moscheegemeinde Hamm-Mitte', sector: 'Zivilgesellschaft', influence: 3, concern: 'Neubau und Parkplätze' })
    addEntry(doc, 'verfahren', { name: 'Mediation inkl. Gemeinwesenmediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 })
    addEntry(doc, 'verfahren', { name: 'Runder Tisch Quartier', type: 'Interessen', glaslFrom: 1, glaslTo: 4 })
  })
  const board = await createBoard(sql, { title: 'Konfliktlandkarte Nordmarkt', municipalityId: hamm.id })
  await server.rooms.edit(board.id, (doc) => writeFirstRecords(doc, buildTemplate('konfliktlandkarte', { locale: 'de', idPrefix: 'k' }), 'Seite 1'))
  await setDesignStatus(sql, hamm.id, 'Abgestimmt')
  await setPublished(sql, hamm.id, true, coordinator.id)

  const fetchPdf = async (pathname: string) => {
    const response = await fetch(server.url + pathname, { headers: { cookie, 'accept-language': 'de' } })
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`)
    const file = path.join(dataDir, `${pathname.replace(/\W+/g, '_')}.pdf`)
    await fs.writeFile(file, Buffer.from(await response.arrayBuffer()))
    return file
  }
  const pageOf = (file: string, needle: string, after = 0) => {
    const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f')
    const index = pages.findIndex((p, i) => i >= after && p.includes(needle))
    if (index < 0) throw new Error(`"${needle}" not found in ${file}`)
    return index + 1
  }
  const png = (file: string, page: number, name: string) => {
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(out, name)])
    console.log(`docs/screenshots/${name}.png (page ${page})`)
  }
  await fs.mkdir(out, { recursive: true })
  const report = await fetchPdf(`/kommunen/${hamm.id}/bericht.pdf`)
  png(report, 1, 'report-cover')
  png(report, 2, 'report-contents')
  png(report, pageOf(report, 'Konfliktlandkarte Nordmarkt', 2), 'report-board')
  const handbook = await fetchPdf('/handbuch.pdf')
  png(handbook, pageOf(handbook, 'Vergleich der Komponenten'), 'handbook-comparison')
} finally {
  await server.close()
  await fs.rm(dataDir, { recursive: true, force: true })
}
