/** Two or more real y-websocket clients against the real server, on PGlite and (when configured) PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { countLogRows } from '../../db/board-documents.server'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import { makeEditor } from '../support/fixtures'

const silent = { error: () => {} }

describe.each(databaseKinds())('sync on %s', (kind) => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const clients: Client[] = []
  const client = (boardId: string) => {
    const c = connectClient(server.url, boardId, editor.token)
    clients.push(c)
    return c
  }
  const newBoard = () => createBoard(server.url, editor.token, editor.municipalityId)

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('two clients converge and a third joining later receives the full state', async () => {
    const boardId = await newBoard()
    const a = client(boardId)
    const b = client(boardId)
    await Promise.all([a.synced, b.synced])

    a.doc.getMap('tl_records').set('shape:a', { id: 'shape:a', x: 1 })
    b.doc.getMap('tl_records').set('shape:b', { id: 'shape:b', x: 2 })
    await waitFor(() => a.doc.getMap('tl_records').size === 2 && b.doc.getMap('tl_records').size === 2, 'both clients see both shapes')
    a.doc.getMap('tl_records').delete('shape:b')
    await waitFor(() => !b.doc.getMap('tl_records').has('shape:b'), 'delete reaches b')

    const c = client(boardId)
    await c.synced
    expect(c.doc.getMap('tl_records').toJSON()).toEqual({ 'shape:a': { id: 'shape:a', x: 1 } })
    expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(a.doc))
  })

  it('stores every edit before it reaches another client', async () => {
    const boardId = await newBoard()
    const a = client(boardId)
    const b = client(boardId)
    await Promise.all([a.synced, b.synced])
    const checks: Promise<{ seen: number; stored: number }>[] = []
    b.doc.getMap('tl_records').observe(() => {
      // At the moment b sees an edit, the database must already hold it.
      const seen = b.doc.getMap('tl_records').size
      checks.push(loadBoardDoc(server.db.sql, boardId, silent).then(({ doc }) => ({ seen, stored: doc.getMap('tl_records').size })))
    })
    for (let i = 0; i < 20; i++) {
      a.doc.getMap('tl_records').set(`shape:${i}`, { i })
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 5))
    }
    await waitFor(() => b.doc.getMap('tl_records').size === 20, 'b receives 20 edits')
    const results = await Promise.all(checks)
    expect(results.length).toBeGreaterThan(0)
    for (const { seen, stored } of results) expect(stored).toBeGreaterThanOrEqual(seen)
  })

  it('relays awareness between clients without storing it', async () => {
    const boardId = await newBoard()
    const a = client(boardId)
    const b = client(boardId)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('presence', { name: 'Aylin', cursor: { x: 10, y: 20 } })
    await waitFor(() => [...b.provider.awareness.getStates().values()].some((s) => s.presence?.name === 'Aylin'), 'b sees a’s presence')
    expect(await countLogRows(server.db.sql, boardId)).toBe(0)
    a.destroy()
    await waitFor(() => ![...b.provider.awareness.getStates().values()].some((s) => s.presence?.name === 'Aylin'), 'a’s presence disappears when a leaves')
  })

  it('compaction keeps the state identical and empties the log', async () => {
    const boardId = await newBoard()
    const a = client(boardId)
    await a.synced
    const map = a.doc.getMap('tl_records')
    for (let i = 0; i < 50; i++) map.set(`shape:${i % 7}`, { i })
    map.delete('shape:3')
    await waitFor(async () => (await countLogRows(server.db.sql, boardId)) >= 51, 'all updates stored', 10_000)
    const before = await loadBoardDoc(server.db.sql, boardId, silent)
    await server.rooms.compact(boardId)
    expect(await countLogRows(server.db.sql, boardId)).toBe(0)
    const after = await loadBoardDoc(server.db.sql, boardId, silent)
    expect(after.doc.getMap('tl_records').toJSON()).toEqual(before.doc.getMap('tl_records').toJSON())
    expect(after.doc.getMap('tl_records').toJSON()).toEqual(map.toJSON())
    // The room keeps working after compaction, and a newcomer gets everything.
    map.set('shape:new', { i: 99 })
    const late = client(boardId)
    await late.synced
    await waitFor(() => late.doc.getMap('tl_records').has('shape:new'), 'newcomer gets the post-compaction edit')
    expect(late.doc.getMap('tl_records').toJSON()).toEqual(map.toJSON())
  })

  it('refuses the upgrade for an unknown or malformed board id with 404', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', '..%2F..']) {
      const res = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${id}`, { headers: { authorization: `Bearer ${editor.token}` } })
        ws.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => {})
      })
      expect(res, id).toBe(404)
    }
  })
})

describe('room life', () => {
  it('unloads an empty room after the grace period and compacts its log', async () => {
    const db = await createTestDatabase()
    const server = await startTestServer(db, { ROOM_UNLOAD_GRACE_MS: '100' })
    try {
      const { token, municipalityId } = await makeEditor(server.db.sql)
      const boardId = await createBoard(server.url, token, municipalityId)
      const a = connectClient(server.url, boardId, token)
      await a.synced
      for (let i = 0; i < 5; i++) a.doc.getMap('tl_records').set(`shape:${i}`, { i })
      await waitFor(async () => (await countLogRows(server.db.sql, boardId)) === 5, 'edits stored')
      expect(await server.rooms.stats()).toEqual({ rooms: 1, connections: 1 })
      a.destroy()
      await waitFor(async () => (await server.rooms.stats()).rooms === 0, 'room unloaded')
      expect(await countLogRows(server.db.sql, boardId)).toBe(0)
      const { doc } = await loadBoardDoc(server.db.sql, boardId, silent)
      expect(doc.getMap('tl_records').size).toBe(5)
      // Coming back loads it again from the compacted state.
      const b = connectClient(server.url, boardId, token)
      await b.synced
      expect(b.doc.getMap('tl_records').size).toBe(5)
      b.destroy()
    } finally {
      await server.close()
      await db.drop()
    }
  })

  it('a client joining during the grace period keeps the room loaded past it', async () => {
    const db = await createTestDatabase()
    const server = await startTestServer(db, { ROOM_UNLOAD_GRACE_MS: '2000' })
    try {
      const { token, municipalityId } = await makeEditor(server.db.sql)
      const boardId = await createBoard(server.url, token, municipalityId)
      const a = connectClient(server.url, boardId, token)
      await a.synced
      a.doc.getMap('tl_records').set('shape:x', { x: 1 })
      await waitFor(async () => (await countLogRows(server.db.sql, boardId)) === 1, 'edit stored')
      a.destroy()
      await waitFor(async () => (await server.rooms.stats()).connections === 0, 'a left')
      const b = connectClient(server.url, boardId, token)
      await b.synced
      expect(b.doc.getMap('tl_records').get('shape:x')).toEqual({ x: 1 })
      await new Promise((r) => setTimeout(r, 2200))
      expect(await server.rooms.stats()).toEqual({ rooms: 1, connections: 1 })
      b.destroy()
    } finally {
      await server.close()
      await db.drop()
    }
  })
})
