/**
 * The participant import as German offices' files arrive: Excel's "CSV (Trennzeichen-getrennt)"
 * in Windows-1252 with German headers, "CSV UTF-8" with BOM, plain UTF-8 — decoded correctly,
 * the encoding named in the preview; through `POST /api/v1/courses/:id/participants/import`
 * with the page's preview/commit semantics and absolute invitation links (PUBLIC_URL).
 */
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { decodeCsv } from '../../access/participant-import.server'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('decoding uploaded CSV files', () => {
  it.each([
    ['Windows-1252 (Excel "CSV (Trennzeichen-getrennt)")', iconv.encode('Name;E-Mail\r\nJürgen Müller;j@x.de\r\nÄnne Öztürk-Weiß;a@x.de', 'windows-1252'), 'windows-1252'],
    ['ISO-8859-1', iconv.encode('Name;E-Mail\nJürgen Müller;j@x.de\nÄnne Öztürk-Weiß;a@x.de', 'latin1'), 'windows-1252'],
    ['UTF-8 with BOM (Excel "CSV UTF-8")', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name;E-Mail\nJürgen Müller;j@x.de\nÄnne Öztürk-Weiß;a@x.de')]), 'utf-8-bom'],
    ['UTF-8 without BOM', Buffer.from('Name;E-Mail\nJürgen Müller;j@x.de\nÄnne Öztürk-Weiß;a@x.de'), 'utf-8'],
    ['UTF-16 LE with BOM (Excel "Unicode-Text")', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('Name;E-Mail\nJürgen Müller;j@x.de\nÄnne Öztürk-Weiß;a@x.de', 'utf-16le')]), 'utf-16'],
  ])('%s is read with its umlauts', (_name, bytes, encoding) => {
    const decoded = decodeCsv(bytes)
    expect(decoded.encoding).toBe(encoding)
    expect(decoded.text).toContain('Jürgen Müller')
    expect(decoded.text).toContain('Änne Öztürk-Weiß')
    expect(decoded.text).not.toContain('\uFFFD')
    expect(decoded.text.startsWith('Name')).toBe(true)
  })
})

describe('POST /api/v1/courses/:id/participants/import', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { PUBLIC_URL: 'https://werkraum.kommune.example' })
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const post = (token: string, body: Buffer, commit = false) =>
    fetch(`${server.url}/api/v1/courses/${world.course.id}/participants/import${commit ? '?commit=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: new Uint8Array(body),
    })

  it('a Windows-1252 file with German headers is previewed as such, writes nothing, and is then imported with "Jürgen Müller" intact and an absolute link', async () => {
    const hamm = world.municipality.hamm.name
    const file = iconv.encode(`Name;E-Mail;Kommune;Rolle\r\nJürgen Müller;juergen.mueller@kommune.example;${hamm};Teilnehmer\r\n`, 'windows-1252')
    expect(file.includes(0xfc)).toBe(true) // ü as one Windows-1252 byte, invalid as UTF-8

    const preview = await post(world.person.lecturer.token, file)
    expect(preview.status).toBe(200)
    const body = await preview.json()
    expect(body).toMatchObject({ ok: true, fileError: null, encoding: 'windows-1252' })
    expect(body.rows).toEqual([{ line: 2, name: 'Jürgen Müller', email: 'juergen.mueller@kommune.example', municipality: hamm, role: 'participant', errors: [], existing: false }])
    expect(await server.db.sql`select 1 from invitations where email = 'juergen.mueller@kommune.example'`).toHaveLength(0)

    const done = await post(world.person.lecturer.token, file, true)
    expect(done.status).toBe(201)
    const result = await done.json()
    expect(result.granted).toBe(0)
    expect(result.invited).toHaveLength(1)
    expect(result.invited[0]).toMatchObject({ email: 'juergen.mueller@kommune.example', name: 'Jürgen Müller' })
    expect(result.invited[0].link).toMatch(/^https:\/\/werkraum\.kommune\.example\/einladung\/[^?]+\?name=J%C3%BCrgen%20M%C3%BCller$/)
    expect(await server.db.sql`select 1 from invitations where email = 'juergen.mueller@kommune.example' and role = 'participant'`).toHaveLength(1)
  })

  it('an invalid file answers 422 with the row errors for preview and commit alike, and writes nothing', async () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name,E-Mail,Kommune,Rolle\nÄnne Öztürk,keine-adresse,Nirgendwo,Chefin\n')])
    for (const commit of [false, true]) {
      const res = await post(world.person.lecturer.token, file, commit)
      expect(res.status).toBe(422)
      const body = await res.json()
      expect(body).toMatchObject({ ok: false, encoding: 'utf-8-bom' })
      expect(body.rows[0].name).toBe('Änne Öztürk')
      expect(body.rows[0].errors).toEqual(expect.arrayContaining(['email_invalid', 'municipality_unknown', 'role_invalid']))
    }
    expect(await server.db.sql`select 1 from invitations where email = 'keine-adresse'`).toHaveLength(0)
  })

  it('only those who manage the course may import; a missing header is a file error', async () => {
    const file = Buffer.from(`name,email,municipality,role\nA,a@x.de,${world.municipality.hamm.name},participant\n`)
    expect((await post(world.person.participantHamm.token, file)).status).toBe(403)
    expect((await post(world.person.lecturer.token, Buffer.from('Vorname;Mail\nA;a@x.de\n'))).status).toBe(422)
    expect(await (await post(world.person.lecturer.token, Buffer.from('Vorname;Mail\nA;a@x.de\n'))).json()).toMatchObject({ fileError: 'columns' })
  })
})
