/**
 * The handbook: a coordinator publishes designs; the handbook holds a chapter per published
 * design and none for the others, redacts conflicts marked anonymised, compares components,
 * and prints as a PDF in real headless Chromium. Others get 403.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addEntry } from '../../domain/design/model'
import { getDesignDocument } from '../../db/boards.server'
import { listPublications } from '../../db/publication.server'
import { setDesignStatus } from '../../db/courses.server'
import { createI18n } from '../../app/i18n'
import { readPdf, wordsOutsidePages } from '../support/pdf'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('handbook across municipalities', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []
  const get = (pathname: string, cookie: string) => fetch(server.url + pathname, { headers: { cookie }, redirect: 'manual' })
  const publish = (cookie: string, municipalityId: string, on: boolean) =>
    fetch(`${server.url}/handbuch`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ municipalityId, publish: on ? '1' : '0' }),
      redirect: 'manual',
    })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    const write = async (municipalityId: string, token: string, fill: (c: Client) => void) => {
      const c = connectClient(server.url, (await getDesignDocument(server.db.sql, municipalityId))!.id, token)
      clients.push(c)
      await c.synced
      fill(c)
    }
    await write(world.municipality.hamm.id, world.person.mediatorHamm.token, (c) => {
      addEntry(c.doc, 'konflikte', { title: 'Lärm am Nordmarkt (Familie K.)', glaslStage: 5, anonymisiert: true })
      addEntry(c.doc, 'konflikte', { title: 'Nutzung des Jugendzentrums', glaslStage: 3, anonymisiert: false })
      addEntry(c.doc, 'verfahren', { name: 'Runder Tisch', type: 'Interessen', glaslFrom: 1, glaslTo: 4 })
    })
    await write(world.municipality.duisburg.id, world.person.participantDuisburg.token, (c) => {
      addEntry(c.doc, 'akteure', { name: 'Quartiersmanagement Marxloh', sector: 'Zivilgesellschaft', influence: 3, concern: '' })
    })
    const coordinator = world.person.coordinator.cookie
    await waitFor(async () => (await get(`/kommunen/${world.municipality.duisburg.id}/bericht`, coordinator).then((r) => r.text())).includes('Marxloh'), 'entries stored', 10_000)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('only a coordinator publishes; bad input changes nothing', async () => {
    expect((await publish(world.person.lecturer.cookie, world.municipality.hamm.id, true)).status).toBe(403)
    expect((await publish(world.person.coordinator.cookie, 'kein-uuid', true)).status).toBe(400)
    // A design still in "Entwurf" is refused with the reason; from "Abgestimmt" on it may be published.
    const draft = await publish(world.person.coordinator.cookie, world.municipality.hamm.id, true)
    expect(draft.status).toBe(409)
    expect(await draft.text()).toContain('Abgestimmt')
    for (const m of [world.municipality.hamm, world.municipality.duisburg, world.municipality.herne]) await setDesignStatus(server.db.sql, m.id, 'Abgestimmt')
    expect((await listPublications(server.db.sql)).every((p) => p.publishedAt === null)).toBe(true)
    expect((await publish(world.person.coordinator.cookie, world.municipality.hamm.id, true)).status).toBe(200)
    expect((await publish(world.person.coordinator.cookie, world.municipality.duisburg.id, true)).status).toBe(200)
    expect((await publish(world.person.coordinator.cookie, world.municipality.herne.id, true)).status).toBe(200)
    expect((await publish(world.person.coordinator.cookie, world.municipality.herne.id, false)).status).toBe(200)
    const published = (await listPublications(server.db.sql)).filter((p) => p.publishedAt).map((p) => p.municipalityId)
    expect(published.sort()).toEqual([world.municipality.hamm.id, world.municipality.duisburg.id].sort())
  })

  it('holds a chapter per published design, redacts anonymised conflicts and compares components', async () => {
    const response = await get('/handbuch/dokument', world.person.coordinator.cookie)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(world.municipality.hamm.name)
    expect(html).toContain(world.municipality.duisburg.name)
    expect(html).not.toContain(world.municipality.herne.name)
    expect(html).toContain('Vergleich der Komponenten')
    expect(html).toContain('Nutzung des Jugendzentrums')
    expect(html).not.toContain('Nordmarkt')
    expect(html).toContain('(anonymisiert)')
    expect(html).toContain('Quartiersmanagement Marxloh')
  })

  it('prints the handbook as a PDF', async () => {
    const response = await get('/handbuch.pdf', world.person.coordinator.cookie)
    expect(response.status).toBe(200)
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-handbook-'))
    try {
      await fs.writeFile(path.join(dir, 'h.pdf'), Buffer.from(await response.arrayBuffer()))
      const text = execFileSync('pdftotext', [path.join(dir, 'h.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
      expect(text).toContain('Konfliktmanagement in Kommunen')
      expect(text).toContain(world.municipality.duisburg.name)
      expect(text).toContain('Quartiersmanagement Marxloh')
      expect(text).not.toContain('Nordmarkt')
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('prints the handbook as a tagged PDF: the comparison on a landscape page, every word on its page, plurals right', async () => {
    const response = await get('/handbuch.pdf', world.person.coordinator.cookie)
    expect(response.status).toBe(200)
    const { info, pages } = await readPdf(Buffer.from(await response.arrayBuffer()))
    expect(info.Tagged).toBe('yes')
    expect(info.Title).toBe('Konfliktmanagement in Kommunen – Handbuch')
    expect(wordsOutsidePages(pages)).toEqual([])
    const comparison = pages.find((p) => p.text.includes('Vergleich der Komponenten'))!
    expect(comparison.width).toBeGreaterThan(comparison.height)
    expect(comparison.text).toContain('Verfahrensangebot')
    expect(pages[0]!.text).toContain('von 2 Kommunen')
    const t = createI18n('de').t
    expect(t('handbook.intro', { count: 1 })).toContain('von 1 Kommune,')
    expect(createI18n('en').t('handbook.intro', { count: 1 })).toContain('of 1 municipality ')
  })

  it('runs the handbook PDF as a background export with progress, for the person who started it only', async () => {
    const started = await fetch(`${server.url}/handbuch`, {
      method: 'POST',
      headers: { cookie: world.person.coordinator.cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'export' }),
    })
    expect(started.status).toBe(200)
    const [job] = await server.db.sql<{ id: string; total: number }[]>`select id, total from export_jobs where requested_by = ${world.person.coordinator.id} order by created_at desc limit 1`
    expect(job!.total).toBe(3)
    let state: { status: string; progress: number; total: number; download: string | null } | null = null
    await waitFor(
      async () => {
        state = await (await get(`/exporte/${job!.id}`, world.person.coordinator.cookie)).json()
        return state!.status !== 'running'
      },
      'export finished',
      60_000,
    )
    expect(state!.status).toBe('done')
    expect(state!.progress).toBe(3)
    expect(state!.download).toBe(`/exporte/${job!.id}/datei`)
    const file = await get(state!.download!, world.person.coordinator.cookie)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    // Someone else, even another coordinator, sees neither the job nor its file.
    expect((await get(`/exporte/${job!.id}`, world.person.administrator.cookie)).status).toBe(404)
    expect((await get(`/exporte/${job!.id}/datei`, world.person.administrator.cookie)).status).toBe(404)
    expect((await get(`/exporte/kein-job`, world.person.coordinator.cookie)).status).toBe(404)
  })

  it('records publishing, exports and role changes in the audit log shown to coordinators', async () => {
    expect((await get(`/kommunen/${world.municipality.hamm.id}/bericht.pdf`, world.person.mediatorHamm.cookie)).status).toBe(200)
    const granted = await fetch(`${server.url}/api/v1/memberships`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.person.lecturer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: world.person.outsider.email, role: 'guest', courseId: world.course.id, municipalityId: world.municipality.hamm.id }),
    })
    expect(granted.status).toBe(201)
    const { id } = (await granted.json()) as { id: string }
    const revoked = await fetch(`${server.url}/api/v1/memberships/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${world.person.lecturer.token}` } })
    expect(revoked.status).toBe(204)
    const rows = await server.db.sql<{ action: string; personId: string | null; municipalityId: string | null; subjectId: string | null }[]>`
      select action, person_id as "personId", municipality_id as "municipalityId", subject_id as "subjectId" from audit_log order by id`
    const has = (action: string, personId: string, municipalityId: string | null) => rows.some((r) => r.action === action && r.personId === personId && r.municipalityId === municipalityId)
    expect(has('design.publish', world.person.coordinator.id, world.municipality.hamm.id)).toBe(true)
    expect(has('design.withdraw', world.person.coordinator.id, world.municipality.herne.id)).toBe(true)
    expect(has('export.handbook', world.person.coordinator.id, null)).toBe(true)
    expect(has('export.report', world.person.mediatorHamm.id, world.municipality.hamm.id)).toBe(true)
    expect(has('role.grant', world.person.lecturer.id, world.municipality.hamm.id)).toBe(true)
    expect(rows.find((r) => r.action === 'role.revoke')).toMatchObject({ personId: world.person.lecturer.id, subjectId: world.person.outsider.id })
    const page = await (await get('/handbuch', world.person.coordinator.cookie)).text()
    expect(page).toContain('Protokoll')
    expect(page).toContain('Systemdesign veröffentlicht')
    expect(page).toContain('Rolle entzogen')
  })

  it('is for coordinators only', async () => {
    const refused = await fetch(`${server.url}/handbuch`, {
      method: 'POST',
      headers: { cookie: world.person.lecturer.cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'export' }),
      redirect: 'manual',
    })
    expect(refused.status).toBe(403)
    for (const who of ['lecturer', 'mediatorHamm', 'guestHamm', 'outsider'] as const) {
      expect((await get('/handbuch', world.person[who].cookie)).status).toBe(403)
      expect((await get('/handbuch/dokument', world.person[who].cookie)).status).toBe(403)
      expect((await get('/handbuch.pdf', world.person[who].cookie)).status).toBe(403)
    }
  })
})
