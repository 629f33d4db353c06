/**
 * Boards from templates through the JSON API, against the real server, database and Yjs
 * endpoint: a new board is stored filled before anyone opens it; a lecturer saves a frame as a
 * course template, the course's teams (and only they) can start boards from it; bad input and
 * people without the right change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { buildTemplate } from '../../domain/templates/catalogue'
import { richTextToPlain as plainText } from '../../domain/board/text'
import type { RunningServer } from '../../server/app'
import { connectClient, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const silent = { error: () => {}, warn: () => {}, info: () => {} }

describe('templates through the API', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  const call = (token: string, method: string, path: string, body?: unknown, lang = 'de') =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': lang },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const boardCount = async () => Number((await server.db.sql`select count(*)::int as n from boards`)[0].n)
  const storedRecords = async (boardId: string) => {
    const { doc } = await loadBoardDoc(server.db.sql, boardId, silent as never)
    return [...doc.getMap<{ typeName: string; props?: { richText?: unknown; name?: string } }>('tl_records').values()]
  }

  it('a board created from the Glasl template is stored with its frame, the nine stages and the schema, and a client sees them', async () => {
    const token = world.person.participantHamm.token
    const res = await call(token, 'POST', '/boards', { title: 'Eskalation', municipalityId: world.municipality.hamm.id, template: 'builtin:eskalationstreppe' })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    const records = await storedRecords(id)
    expect(records.filter((r) => r.typeName === 'document')).toHaveLength(1)
    expect(records.filter((r) => r.typeName === 'page')).toHaveLength(1)
    const texts = records.map((r) => plainText(r.props?.richText))
    expect(texts).toContain('1 Verhärtung')
    expect(texts).toContain('9 Gemeinsam in den Abgrund')
    expect(records.find((r) => r.props?.name)?.props?.name).toBe('Eskalationstreppe nach Glasl')

    const client = connectClient(server.url, id, token)
    clients.push(client)
    await client.synced
    expect(client.doc.getMap('tl_records').size).toBe(records.length)
    expect(client.doc.getMap('tl_meta').get('schema')).toMatchObject({ schemaVersion: 2 })
  })

  it('labels follow the requested language', async () => {
    const res = await call(world.person.participantHamm.token, 'POST', '/boards', { title: 'Map', municipalityId: world.municipality.hamm.id, template: 'builtin:konfliktlandkarte' }, 'en')
    const { id } = (await res.json()) as { id: string }
    const texts = (await storedRecords(id)).map((r) => plainText(r.props?.richText))
    expect(texts).toContain('Perspective of …')
    expect(texts).not.toContain('Perspektive von …')
  })

  it('an unknown template is refused and creates no board', async () => {
    const before = await boardCount()
    const res = await call(world.person.participantHamm.token, 'POST', '/boards', { title: 'X', municipalityId: world.municipality.hamm.id, template: 'builtin:nope' })
    expect(res.status).toBe(400)
    const unknownCourse = await call(world.person.participantHamm.token, 'POST', '/boards', { title: 'X', municipalityId: world.municipality.hamm.id, template: `course:${crypto.randomUUID()}` })
    expect(unknownCourse.status).toBe(400)
    expect(await boardCount()).toBe(before)
  })

  it('a lecturer saves a frame as a course template; the course teams start boards from it, other courses cannot', async () => {
    const frame = buildTemplate('zukunftswerkstatt', { locale: 'de', idPrefix: 'mine' }).map((r) => ({ ...r, x: r.parentId === 'page:page' ? 900 : r.x }))
    // Only those who manage the course may save into it.
    expect((await call(world.person.participantHamm.token, 'POST', `/courses/${world.course.id}/templates`, { name: 'Warm-up', records: frame })).status).toBe(403)
    const saved = await call(world.person.lecturer.token, 'POST', `/courses/${world.course.id}/templates`, { name: 'Warm-up Modul 2', records: frame })
    expect(saved.status).toBe(201)
    const template = (await saved.json()) as { id: string }

    const choices = (await (await call(world.person.participantDuisburg.token, 'GET', `/boards/${world.board.duisburg.id}/templates`)).json()) as { templates: { value: string; title: string }[] }
    expect(choices.templates.map((t) => t.value)).toContain(`course:${template.id}`)
    expect(choices.templates.filter((t) => t.value.startsWith('builtin:'))).toHaveLength(8)

    const res = await call(world.person.participantDuisburg.token, 'POST', '/boards', { title: 'Aufwärmen', municipalityId: world.municipality.duisburg.id, template: `course:${template.id}` })
    expect(res.status).toBe(201)
    const texts = (await storedRecords(((await res.json()) as { id: string }).id)).map((r) => plainText(r.props?.richText))
    expect(texts).toEqual(expect.arrayContaining(['Kritik', 'Utopie', 'Verwirklichung']))

    // Herne's team is in another course: neither offered nor usable there.
    const herne = await buildHernePerson()
    const herneChoices = (await (await call(herne, 'GET', `/boards/${world.board.herne.id}/templates`)).json()) as { templates: { value: string }[] }
    expect(herneChoices.templates.map((t) => t.value)).not.toContain(`course:${template.id}`)
    const before = await boardCount()
    expect((await call(herne, 'POST', '/boards', { title: 'Y', municipalityId: world.municipality.herne.id, template: `course:${template.id}` })).status).toBe(400)
    expect(await boardCount()).toBe(before)
  })

  it('a frame that fails the tldraw schema, or shapes outside the frame, are refused and nothing is stored', async () => {
    const count = async () => Number((await server.db.sql`select count(*)::int as n from course_templates`)[0].n)
    const before = await count()
    const frame = buildTemplate('akteursanalyse', { locale: 'de', idPrefix: 'bad' })
    const broken = frame.map((r, i) => (i === 1 ? { ...r, props: { ...r.props, geo: 'blob' } } : r))
    const res = await call(world.person.lecturer.token, 'POST', `/courses/${world.course.id}/templates`, { name: 'Kaputt', records: broken })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('props.geo')
    const orphan = [...frame, { ...frame[1], id: 'shape:elsewhere', parentId: 'page:page' }]
    expect((await call(world.person.lecturer.token, 'POST', `/courses/${world.course.id}/templates`, { name: 'Zwei', records: orphan })).status).toBe(400)
    expect((await call(world.person.lecturer.token, 'POST', `/courses/${world.course.id}/templates`, { name: '', records: frame })).status).toBe(400)
    expect(await count()).toBe(before)
  })

  async function buildHernePerson(): Promise<string> {
    const { makePerson } = await import('../support/fixtures')
    const p = await makePerson(server.db.sql, 'Herne', [{ role: 'participant', courseId: world.otherCourse.id, municipalityId: world.municipality.herne.id }])
    return p.token
  }
})
