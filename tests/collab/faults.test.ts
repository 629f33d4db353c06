/**
 * Faults many clients live through: kill -9 while 50 clients edit, a client offline for a long
 * time merging without overwriting newer work, and a reconnect storm of 300 clients.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, withDatabase } from '../support/fixtures'
import { freePort } from '../support/ports'
import { startChildServer, startTestServer, type ChildServer } from '../support/server'

describe('faults', () => {
  let db: TestDatabase | undefined
  let clients: Client[] = []
  let children: ChildServer[] = []

  afterEach(async () => {
    for (const c of clients) c.destroy()
    for (const s of children) if (s.process.exitCode === null) s.process.kill('SIGKILL')
    await Promise.all(children.map((s) => s.exited))
    await db?.drop()
    clients = []
    children = []
    db = undefined
  })

  it('kill -9 while 50 clients edit: every edit another client received is there after restart, and the clients’ unsent edits arrive after they reconnect', { timeout: 120_000 }, async () => {
    db = await createTestDatabase()
    const { token, municipalityId } = await withDatabase(db, makeEditor)
    const port = await freePort()
    const first = await startChildServer(db, { PORT: String(port) })
    children.push(first)
    const boardId = await createBoard(first.url, token, municipalityId)
    for (let i = 0; i < 50; i++) clients.push(connectClient(first.url, boardId, token))
    await Promise.all(clients.map((c) => c.synced))
    const observer = clients[0]

    // Everyone edits; the server dies in the middle of it.
    let editing = true
    const editLoop = (async () => {
      for (let round = 0; editing; round++) {
        for (const [i, c] of clients.entries()) c.doc.getMap('tl_records').set(`shape:${i}:${round}`, { i, round })
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    await waitFor(() => observer.doc.getMap('tl_records').size > 500, 'observer received many edits', 30_000)
    first.process.kill('SIGKILL')
    await first.exited
    editing = false
    await editLoop
    // What the observer (another client) had received from the server before the crash:
    const seenByObserver = new Set<string>()
    for (const key of observer.doc.getMap('tl_records').keys()) if (!key.startsWith('shape:0:')) seenByObserver.add(key)
    const allEdits = new Set<string>()
    for (const c of clients) for (const key of c.doc.getMap('tl_records').keys()) allEdits.add(key)

    const second = await startChildServer(db, { PORT: String(port) })
    children.push(second)
    // A fresh reader, before the old clients reconnect, sees everything the observer had seen.
    const reader = connectClient(second.url, boardId, token)
    clients.push(reader)
    await reader.synced
    const stored = new Set(reader.doc.getMap('tl_records').keys())
    const lost = [...seenByObserver].filter((k) => !stored.has(k))
    expect(lost).toEqual([])
    // The old clients reconnect by themselves and their unsent edits arrive.
    await waitFor(() => reader.doc.getMap('tl_records').size === allEdits.size, 'all edits of all clients arrive', 60_000)
  })

  it('a client offline for a long time merges without overwriting newer work', async () => {
    db = await createTestDatabase()
    const server = await startTestServer(db)
    try {
      const { token, municipalityId } = await makeEditor(server.db.sql)
      const boardId = await createBoard(server.url, token, municipalityId)
      const online = connectClient(server.url, boardId, token)
      const traveller = connectClient(server.url, boardId, token)
      clients.push(online, traveller)
      await Promise.all([online.synced, traveller.synced])
      online.doc.getMap('tl_records').set('shape:shared', { label: 'Ausgangslage' })
      await waitFor(() => traveller.doc.getMap('tl_records').has('shape:shared'), 'traveller has the shared shape')

      traveller.provider.disconnect()
      // While offline: the traveller edits its own shapes and an old field; the others do newer work meanwhile.
      traveller.doc.getMap('tl_records').set('shape:offline', { label: 'im Zug notiert' })
      traveller.doc.getText('notes').insert(0, 'Offline-Notiz. ')
      online.doc.getMap('tl_records').set('shape:newer', { label: 'im Workshop ergänzt' })
      online.doc.getText('notes').insert(0, 'Workshop-Notiz. ')
      online.doc.getMap('tl_records').delete('shape:shared')
      await new Promise((r) => setTimeout(r, 200))

      traveller.provider.connect()
      await waitFor(() => online.doc.getMap('tl_records').has('shape:offline') && traveller.doc.getMap('tl_records').has('shape:newer'), 'both sides have both sides’ shapes')
      for (const c of [online, traveller]) {
        const records = c.doc.getMap('tl_records')
        expect(records.get('shape:newer')).toEqual({ label: 'im Workshop ergänzt' })
        expect(records.get('shape:offline')).toEqual({ label: 'im Zug notiert' })
        // The deletion made online while the traveller was away is not undone by the stale copy.
        expect(records.has('shape:shared')).toBe(false)
        expect(c.doc.getText('notes').toString()).toContain('Offline-Notiz.')
        expect(c.doc.getText('notes').toString()).toContain('Workshop-Notiz.')
      }
      expect(Y.encodeStateVector(online.doc)).toEqual(Y.encodeStateVector(traveller.doc))
    } finally {
      await server.close()
    }
  })

  it('a reconnect storm of 300 clients resyncs, with memory figures printed', { timeout: 180_000 }, async () => {
    db = await createTestDatabase()
    const port = await freePort()
    const server = await startTestServer(db, { PORT: String(port) })
    let restarted = server
    try {
      const { token, municipalityId } = await makeEditor(server.db.sql)
      const boardId = await createBoard(server.url, token, municipalityId)
      const storm: Client[] = []
      for (let i = 0; i < 300; i++) storm.push(connectClient(server.url, boardId, token))
      clients.push(...storm)
      await Promise.all(storm.map((c) => c.synced))
      storm[0].doc.getMap('tl_records').set('shape:before', { n: 1 })
      await waitFor(() => storm.every((c) => c.doc.getMap('tl_records').has('shape:before')), 'all 300 synced', 60_000)
      const rssBefore = process.memoryUsage().rss

      // Drop everyone at once (the server restarts), then let them all come back.
      await server.close()
      restarted = await startTestServer(db, { PORT: String(port) })
      const started = Date.now()
      storm[1].doc.getMap('tl_records').set('shape:after', { n: 2 })
      await waitFor(() => storm.every((c) => c.provider.synced && c.doc.getMap('tl_records').has('shape:after')), 'all 300 resynced', 120_000)
      const seconds = (Date.now() - started) / 1000
      const rssAfter = process.memoryUsage().rss
      console.log(`reconnect storm: 300 clients resynced in ${seconds.toFixed(1)} s; test process RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB`)
      expect((await restarted.rooms.stats()).connections).toBe(300)
    } finally {
      await restarted.close()
    }
  })
})
