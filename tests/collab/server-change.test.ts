/** Changes the server makes itself (restore, scrubbing, reveal) follow the same rule as clients' edits: stored, then seen. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const silent = { error: () => {} }

describe('server-side changes through the room', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('a change reaches connected clients only after it is stored', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
    const a = connectClient(server.url, boardId, editor.token)
    clients.push(a)
    await a.synced
    a.doc.getMap('tl_records').set('shape:a', { x: 1 })
    await waitFor(async () => (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').has('shape:a'), 'client edit stored')

    let storedWhenSeen: boolean | null = null
    const seen = new Promise<void>((resolve) =>
      a.doc.getMap('tl_records').observe(async (event) => {
        if (!event.keysChanged.has('shape:server')) return
        const { doc } = await loadBoardDoc(server.db.sql, boardId, silent)
        storedWhenSeen = doc.getMap('tl_records').has('shape:server')
        resolve()
      }),
    )
    const update = await server.rooms.edit(boardId, (doc) => {
      doc.getMap('tl_records').set('shape:server', { by: 'server' })
      doc.getMap('tl_records').delete('shape:a')
    })
    expect(update.length).toBeGreaterThan(2)
    await seen
    expect(storedWhenSeen).toBe(true)
    expect(a.doc.getMap('tl_records').has('shape:a')).toBe(false)
  })

  it('edits a board nobody has open, and a change that changes nothing stores nothing', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
    await server.rooms.edit(boardId, (doc) => doc.getMap('tl_records').set('shape:x', { x: 1 }))
    const before = await server.rooms.currentState(boardId)
    const empty = await server.rooms.edit(boardId, () => {})
    expect(empty.length).toBeLessThanOrEqual(2)
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, before)
    expect(fresh.getMap('tl_records').get('shape:x')).toEqual({ x: 1 })
    const later = connectClient(server.url, boardId, editor.token)
    clients.push(later)
    await later.synced
    expect(later.doc.getMap('tl_records').get('shape:x')).toEqual({ x: 1 })
  })
})
