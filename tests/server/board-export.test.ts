/**
 * A whiteboard exported as a tldraw snapshot re-imports to the same document: after edits, an
 * import (`replace`) brings back exactly the exported records, live for a connected client, with
 * a "vor Import" snapshot first; an `add` import puts the file's shapes next to the board's own
 * under new ids and removes nothing. Files the tldraw schema refuses, bad input, readers and
 * bodies over the import limit change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as store from '../../db/snapshots.server'
import { getBoard } from '../../db/boards.server'
import { importBoard } from '../../collab/features/board-export.server'
import type { RunningServer } from '../../server/app'
import { createBoardSchema } from '../../domain/board/kms-shape'
import { firstPageRecords } from '../../domain/board/first-records'
import { TemplateBuilder } from '../../domain/templates/records'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type Record = { id: string; typeName: string; parentId?: string; [key: string]: unknown }
type Exported = { title: string; schema: unknown; records: Record[] }

const schema = createBoardSchema().serialize()
/** Valid tldraw records: a frame with a rectangle in it and a note on the page, ids from `prefix`. */
function shapes(prefix: string, label = 'Ordnungsamt'): Record[] {
  const b = new TemplateBuilder('de', prefix)
  const frame = b.frame('Akteure', { x: 0, y: 0, w: 400, h: 300 })
  b.geo(frame, { x: 20, y: 20, w: 200, h: 100 }, { label })
  b.note('page:page', { x: 500, y: 0 }, 'Notiz')
  return b.records as unknown as Record[]
}

describe('board export and import', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []
  const call = (path: string, person: TestPerson, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1/boards/${world.board.hamm.id}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${person.token}`, 'content-type': 'application/json' },
    })
  const exportNow = async () => (await (await call('/export', world.person.participantHamm)).json()) as Exported
  const snapshotCount = async () => (await store.listSnapshots(server.db.sql, world.municipality.hamm.id)).length

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { SNAPSHOT_EVERY_MINUTES: '0', MAX_DOCUMENT_BYTES: String(4 * 1024 * 1024) })
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('re-imports an export to the same document, live for a connected client', async () => {
    const client = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    clients.push(client)
    await client.synced
    const records = client.doc.getMap<Record>('tl_records')
    const [a, b] = shapes('a')
    client.doc.transact(() => {
      for (const r of [...firstPageRecords('Seite 1'), ...shapes('a')] as Record[]) records.set(r.id, r)
      client.doc.getMap('tl_meta').set('schema', schema)
    })
    await waitFor(async () => (await exportNow()).records.length === 5, 'stored')

    const res = await call('/export', world.person.guestHamm)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain('.tldraw.json')
    const exported = (await res.json()) as Exported
    expect(exported.records.map((r) => r.id)).toEqual(['document:document', 'page:page', 'shape:a-1', 'shape:a-2', 'shape:a-3'])
    expect(exported.schema).toEqual(schema)

    client.doc.transact(() => {
      records.delete(b!.id)
      records.set(a!.id, { ...records.get(a!.id)!, x: 999 })
      records.set('shape:c', { ...shapes('c')[2]!, id: 'shape:c' })
    })
    await waitFor(async () => (await exportNow()).records.some((r) => r.id === 'shape:c') && !records.has(b!.id), 'edits stored')

    const imported = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ schema: exported.schema, records: exported.records }) })
    expect(imported.status).toBe(200)
    const result = (await imported.json()) as { records: number; shapes: number; beforeImport: string }
    expect(result).toMatchObject({ records: 5, shapes: 3 })
    expect(await store.getSnapshot(server.db.sql, result.beforeImport)).toMatchObject({ kind: 'before_restore', label: 'vor Import in „Konfliktlandkarte Hamm“' })

    await waitFor(() => records.has(b!.id) && !records.has('shape:c'), 'import seen live')
    expect(records.get(a!.id)).toMatchObject({ x: 0 })
    expect(await exportNow()).toEqual(exported)
  })

  it('adds a file’s shapes under new ids next to the board’s own, removing nothing', async () => {
    const before = await exportNow()
    const file = { tldrawFileFormatVersion: 1, schema, records: [...firstPageRecords('Andere Seite'), ...shapes('a', 'Jugendamt')] }
    const res = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ ...file, mode: 'add' }) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ records: 3, shapes: 3, beforeImport: expect.any(String) })
    const after = await exportNow()
    expect(after.records.filter((r) => before.records.some((o) => o.id === r.id))).toEqual(before.records)
    const added = after.records.filter((r) => !before.records.some((o) => o.id === r.id))
    expect(added.map((r) => r.type).sort()).toEqual(['frame', 'geo', 'note'])
    const frame = added.find((r) => r.type === 'frame')!
    expect(added.find((r) => r.type === 'geo')).toMatchObject({ parentId: frame.id })
    expect(JSON.stringify(added)).toContain('Jugendamt')
    // On the board's page, above its shapes.
    const top = before.records.filter((r) => r.parentId === 'page:page').map((r) => String(r.index)).sort().at(-1)!
    for (const r of added.filter((r) => r.parentId === 'page:page')) expect(String(r.index) > top).toBe(true)
  })

  it('refuses a record the tldraw schema refuses with a German message, and changes nothing', async () => {
    const before = await exportNow()
    const snapshots = await snapshotCount()
    const [frame, geo] = shapes('x')
    for (const mode of ['add', 'replace']) {
      const broken = { schema, mode, records: [frame, { ...geo, props: { ...(geo!.props as object), w: 'breit' } }] }
      const res = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify(broken) })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string; details: string[] } }
      expect(body.error).toMatchObject({ code: 'invalid_board_file', message: 'Die Datei ist keine gültige tldraw-Datei; am Board wurde nichts geändert.' })
      expect(body.error.details[0]).toContain('shape:x-2')
    }
    const unknown = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ schema, records: [{ id: 'virus:x', typeName: 'virus' }] }) })
    expect(unknown.status).toBe(400)
    expect(await exportNow()).toEqual(before)
    expect(await snapshotCount()).toBe(snapshots)
  })

  it('takes a file above the API’s 1 MB body limit, and refuses one above MAX_DOCUMENT_BYTES with 413', async () => {
    const [frame] = shapes('big', 'x')
    // 1.5 MB over 100 frames: one record may hold at most MAX_TEXT_CHARS of text (decision 0040).
    const big = Array.from({ length: 100 }, (_, i) => ({ ...frame!, id: `${frame!.id}-${i}`, props: { ...(frame!.props as object), name: 'G'.repeat(15_000) } }))
    const res = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ schema, mode: 'add', records: big }) })
    expect(res.status).toBe(200)
    const before = await exportNow()
    const huge = { ...frame!, props: { ...(frame!.props as object), name: 'G'.repeat(5 * 1024 * 1024) } }
    const tooLarge = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ schema, mode: 'add', records: [huge] }) })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'import_too_large', message: 'Die Datei ist zu groß für einen Import (höchstens 4 MB).' } })
    expect(await exportNow()).toEqual(before)
    // The other routes keep their 1 MB limit.
    expect((await call('/templates', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ x: 'G'.repeat(1_100_000) }) })).status).toBe(413)
  })

  it('refuses readers and bad input, and changes nothing', async () => {
    const before = await exportNow()
    const body = JSON.stringify({ records: [] })
    expect((await call('/import', world.person.guestHamm, { method: 'POST', body })).status).toBe(403)
    expect((await call('/import', world.person.participantDuisburg, { method: 'POST', body })).status).toBe(403)
    expect((await call('/export', world.person.participantDuisburg)).status).toBe(403)
    for (const bad of ['{}', '{"records": "x"}', '{"records": [{"id": "no-prefix", "typeName": "shape"}]}', '{"records": [{"typeName": "shape"}]}', '[1,2]', '{"records": [], "mode": "merge"}']) {
      const res = await call('/import', world.person.participantHamm, { method: 'POST', body: bad })
      expect(res.status, bad).toBe(400)
    }
    expect(await exportNow()).toEqual(before)
  })

  it('one record with a broken index on the board does not make later add imports fail (each answers 200)', async () => {
    const boardId = world.board.duisburg.id
    await server.rooms.edit(boardId, (doc) => {
      const map = doc.getMap<Record>('tl_records')
      doc.transact(() => {
        for (const r of firstPageRecords('Seite 1') as Record[]) map.set(r.id, r)
        const [broken] = shapes('kaputt')
        map.set('shape:kaputt', { ...broken!, id: 'shape:kaputt', parentId: 'page:page', index: 'kein Index!' })
        doc.getMap('tl_meta').set('schema', schema)
      })
    })
    for (const prefix of ['eins', 'zwei']) {
      const res = await fetch(`${server.url}/api/v1/boards/${boardId}/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.person.participantDuisburg.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ schema, mode: 'add', records: shapes(prefix) }),
      })
      expect(res.status, prefix).toBe(200)
      expect(((await res.json()) as { shapes: number }).shapes).toBe(3)
    }
  })

  it('takes at most one "vor Import" Stand per municipality in the window, and keeps only the newest ones', async () => {
    const sql = server.db.sql
    const board = (await getBoard(sql, world.board.herne.id))!
    const importOnce = (prefix: string, beforeImport: { everyMinutes: number; keep: number }) =>
      importBoard({ sql, rooms: server.rooms, board, records: shapes(prefix) as never, schema, mode: 'add', personId: world.person.administrator.id, beforeImport })
    const beforeImports = async () => (await store.listSnapshots(sql, world.municipality.herne.id)).filter((s) => s.label.startsWith('vor Import'))

    // Within the window: three imports share one Stand.
    const within = [await importOnce('w1', { everyMinutes: 10, keep: 3 }), await importOnce('w2', { everyMinutes: 10, keep: 3 }), await importOnce('w3', { everyMinutes: 10, keep: 3 })]
    expect(new Set(within.map((r) => r.beforeImport)).size).toBe(1)
    expect(await beforeImports()).toHaveLength(1)

    // Without a window each import takes one, and only the newest three are kept.
    const taken: string[] = []
    for (let i = 0; i < 5; i++) taken.push((await importOnce(`k${i}`, { everyMinutes: 0, keep: 3 })).beforeImport!)
    expect((await beforeImports()).map((s) => s.id).sort()).toEqual(taken.slice(-3).sort())
    // Other Stände of the municipality are never touched by this retention.
    const manual = await store.insertSnapshot(sql, { municipalityId: world.municipality.herne.id, kind: 'manual', label: 'Eigener Stand', note: '', takenBy: null, boards: [], tldrawSchema: null })
    await importOnce('k9', { everyMinutes: 0, keep: 3 })
    expect(await store.getSnapshot(sql, manual.id)).not.toBeNull()
  })
})
