/**
 * A whiteboard exported as a tldraw snapshot re-imports to the same document: after edits, an
 * import brings back exactly the exported records, live for a connected client, with a
 * "vor Import" snapshot first. Bad input and readers change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as store from '../../db/snapshots.server'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type Exported = { title: string; schema: unknown; records: { id: string }[] }

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

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { SNAPSHOT_EVERY_MINUTES: '0' })
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
    const records = client.doc.getMap<Record<string, unknown>>('tl_records')
    client.doc.transact(() => {
      records.set('page:page', { id: 'page:page', typeName: 'page', index: 'a1', name: 'Seite 1', meta: {} })
      records.set('shape:a', { id: 'shape:a', typeName: 'shape', type: 'geo', parentId: 'page:page', x: 10, y: 20, props: { w: 100, h: 50 } })
      records.set('shape:b', { id: 'shape:b', typeName: 'shape', type: 'note', parentId: 'page:page', x: 300, y: 20, props: {} })
      client.doc.getMap('tl_meta').set('schema', { schemaVersion: 2, sequences: {} })
    })
    await waitFor(async () => (await server.rooms.currentState(world.board.hamm.id)).length > 200, 'stored')

    const res = await call('/export', world.person.guestHamm)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain('.tldraw.json')
    const exported = (await res.json()) as Exported
    expect(exported.records.map((r) => r.id)).toEqual(['page:page', 'shape:a', 'shape:b'])
    expect(exported.schema).toEqual({ schemaVersion: 2, sequences: {} })

    client.doc.transact(() => {
      records.delete('shape:b')
      records.set('shape:a', { ...records.get('shape:a')!, x: 999 })
      records.set('shape:c', { id: 'shape:c', typeName: 'shape', type: 'geo', parentId: 'page:page', x: 0, y: 0, props: {} })
    })
    await waitFor(async () => ((await (await call('/export', world.person.guestHamm)).json()) as Exported).records.length === 3 && !records.has('shape:b'), 'edits stored')

    const imported = await call('/import', world.person.participantHamm, { method: 'POST', body: JSON.stringify({ schema: exported.schema, records: exported.records }) })
    expect(imported.status).toBe(200)
    const result = (await imported.json()) as { records: number; beforeImport: string }
    expect(result.records).toBe(3)
    expect((await store.getSnapshot(server.db.sql, result.beforeImport))).toMatchObject({ kind: 'before_restore', label: 'vor Import in „Konfliktlandkarte Hamm“' })

    await waitFor(() => records.has('shape:b') && !records.has('shape:c'), 'import seen live')
    expect(records.get('shape:a')).toMatchObject({ x: 10 })
    const again = (await (await call('/export', world.person.guestHamm)).json()) as Exported
    expect(again).toEqual(exported)
  })

  it('refuses readers and bad input, and changes nothing', async () => {
    const before = await (await call('/export', world.person.participantHamm)).json()
    const body = JSON.stringify({ records: [] })
    expect((await call('/import', world.person.guestHamm, { method: 'POST', body })).status).toBe(403)
    expect((await call('/import', world.person.participantDuisburg, { method: 'POST', body })).status).toBe(403)
    expect((await call('/export', world.person.participantDuisburg)).status).toBe(403)
    for (const bad of ['{}', '{"records": "x"}', '{"records": [{"id": "no-prefix", "typeName": "shape"}]}', '{"records": [{"typeName": "shape"}]}', '[1,2]']) {
      const res = await call('/import', world.person.participantHamm, { method: 'POST', body: bad })
      expect(res.status, bad).toBe(400)
    }
    expect(await (await call('/export', world.person.participantHamm)).json()).toEqual(before)
  })
})
