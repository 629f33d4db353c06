/**
 * The promises of `BoardStorage` (collab/storage.ts, decision 0029), one suite run against every
 * implementation: in memory, PostgreSQL on PGlite, and the PostgreSQL server when one answers
 * (DATABASE_URL, else the local one). A room relies on exactly these.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import * as Y from 'yjs'
import { MemoryStorage, StorageUnreachable, type BoardStorage } from '../../collab/storage'
import { PostgresStorage } from '../../collab/storage-postgres.server'
import { boards, migrate, openDatabase, type Database } from '../../db'
import { createTestDatabase, localPostgresUrl, type TestDatabase } from '../support/database'
import { freePort } from '../support/ports'

const silent = { error: () => {} }

/** One implementation under test: a storage, a way to make a new board in it, and a storage that cannot reach its store. */
type Subject = { storage: BoardStorage; newBoard(): Promise<string>; unreachable(): Promise<BoardStorage>; close(): Promise<void> }

async function postgresReachable(): Promise<boolean> {
  const probe = postgres(process.env.DATABASE_URL || localPostgresUrl, { max: 1, connect_timeout: 2, onnotice: () => {} })
  try {
    await probe`select 1`
    return true
  } catch {
    return false
  } finally {
    await probe.end({ timeout: 1 })
  }
}

async function memorySubject(): Promise<Subject> {
  const storage = new MemoryStorage()
  let boardCount = 0
  return {
    storage,
    newBoard: async () => `memory-board-${++boardCount}`,
    async unreachable() {
      const cut = new MemoryStorage()
      cut.unreachable = true
      return cut
    },
    close: async () => {},
  }
}

async function postgresSubject(kind: 'pglite' | 'postgres'): Promise<Subject> {
  const testDb: TestDatabase = await createTestDatabase(kind)
  const db: Database = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
  await migrate(db.sql)
  const clients: postgres.Sql[] = []
  return {
    storage: new PostgresStorage(db.sql, silent),
    newBoard: async () => (await boards.createBoard(db.sql, { title: 'Vertrag' })).id,
    async unreachable() {
      // Nothing listens on a port just freed: every connection attempt is refused.
      const nowhere = postgres(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1, connect_timeout: 2, onnotice: () => {} })
      clients.push(nowhere)
      return new PostgresStorage(nowhere, silent)
    },
    async close() {
      for (const client of clients) await client.end({ timeout: 1 })
      await db.close()
      await testDb.drop()
    },
  }
}

const subjects: [string, () => Promise<Subject>][] = [
  ['memory', memorySubject],
  ['PostgreSQL on PGlite', () => postgresSubject('pglite')],
]
if (await postgresReachable()) subjects.push(['the PostgreSQL server', () => postgresSubject('postgres')])

/** A document that records its updates: each change made through `edit` yields the update a client would send. */
function author() {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return {
    doc,
    /** Makes one change and returns its update. */
    edit(change: (doc: Y.Doc) => void): Uint8Array {
      const before = updates.length
      doc.transact(() => change(doc))
      return Y.mergeUpdates(updates.slice(before))
    },
  }
}

const shapes = (doc: Y.Doc) => doc.getMap<{ i: number }>('tl_records').toJSON()
const items = (doc: Y.Doc) => doc.getArray<number>('items').toArray()

describe.each(subjects)('board storage contract on %s', (_name, make) => {
  let subject: Subject
  let storage: BoardStorage

  beforeAll(async () => {
    subject = await make()
    storage = subject.storage
  })
  afterAll(async () => {
    await subject?.close()
  })

  it('loads a board that was never written as an empty document with no log', async () => {
    const { doc, logRows } = await storage.load(await subject.newBoard())
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()))
    expect(logRows).toBe(0)
  })

  it('loads what was appended, each update one log entry, and a fresh document each time', async () => {
    const boardId = await subject.newBoard()
    const a = author()
    await storage.append(boardId, [a.edit((d) => d.getMap('tl_records').set('shape:1', { i: 1 }))])
    await storage.append(boardId, [a.edit((d) => d.getMap('tl_records').set('shape:2', { i: 2 })), a.edit((d) => d.getMap('tl_records').delete('shape:1'))])

    const first = await storage.load(boardId)
    expect(shapes(first.doc)).toEqual({ 'shape:2': { i: 2 } })
    expect(first.logRows).toBe(3)
    first.doc.getMap('tl_records').set('shape:9', { i: 9 })
    const second = await storage.load(boardId)
    expect(shapes(second.doc)).toEqual({ 'shape:2': { i: 2 } })
  })

  it('commits appends in call order: each resolves only after every earlier one', async () => {
    const boardId = await subject.newBoard()
    const a = author()
    const resolved: number[] = []
    const appends = Array.from({ length: 40 }, (_, i) => {
      const update = a.edit((d) => d.getArray('items').push([i]))
      return storage.append(boardId, [update]).then(() => resolved.push(i))
    })
    await Promise.all(appends)
    expect(resolved).toEqual(Array.from({ length: 40 }, (_, i) => i))
    const { doc, logRows } = await storage.load(boardId)
    expect(items(doc)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect(logRows).toBe(40)
  })

  it('compaction keeps the content and empties the log; later appends go on top', async () => {
    const boardId = await subject.newBoard()
    const a = author()
    for (let i = 0; i < 25; i++) await storage.append(boardId, [a.edit((d) => d.getMap('tl_records').set(`shape:${i}`, { i }))])
    await storage.append(boardId, [a.edit((d) => d.getMap('tl_records').delete('shape:0'))])
    const before = shapes((await storage.load(boardId)).doc)

    expect(await storage.compact(boardId)).toEqual({ mergedRows: 26 })
    const compacted = await storage.load(boardId)
    expect(shapes(compacted.doc)).toEqual(before)
    expect(compacted.logRows).toBe(0)
    expect(await storage.compact(boardId)).toEqual({ mergedRows: 0 })

    await storage.append(boardId, [a.edit((d) => d.getMap('tl_records').set('shape:new', { i: 99 }))])
    const after = await storage.load(boardId)
    expect(after.logRows).toBe(1)
    expect(shapes(after.doc)).toEqual({ ...before, 'shape:new': { i: 99 } })
  })

  it('drain resolves once every earlier append has committed, and the storage keeps working after it', async () => {
    await storage.drain()
    const boardId = await subject.newBoard()
    const a = author()
    let settled = 0
    const appends = Array.from({ length: 30 }, (_, i) => storage.append(boardId, [a.edit((d) => d.getArray('items').push([i]))]).finally(() => settled++))
    await storage.drain()
    expect(settled).toBe(30)
    await Promise.all(appends)
    expect(items((await storage.load(boardId)).doc)).toHaveLength(30)

    await storage.append(boardId, [a.edit((d) => d.getArray('items').push([30]))])
    await storage.drain()
    expect(items((await storage.load(boardId)).doc)).toHaveLength(31)
  })

  it('concurrent appends to several boards all commit, each to its own board', async () => {
    const boardIds = await Promise.all([1, 2, 3].map(() => subject.newBoard()))
    const authors = boardIds.map(() => author())
    await Promise.all(boardIds.flatMap((boardId, b) => Array.from({ length: 50 }, (_, i) => storage.append(boardId, [authors[b].edit((d) => d.getMap('tl_records').set(`shape:${b}-${i}`, { i }))]))))
    for (const [b, boardId] of boardIds.entries()) {
      const { doc, logRows } = await storage.load(boardId)
      expect(Object.keys(shapes(doc)).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `shape:${b}-${i}`).sort())
      expect(logRows).toBe(50)
    }
  })

  it('an append to a store that cannot be reached rejects with StorageUnreachable', async () => {
    const cut = await subject.unreachable()
    const boardId = await subject.newBoard()
    const update = author().edit((d) => d.getMap('tl_records').set('shape:lost', { i: 0 }))
    await expect(cut.append(boardId, [update])).rejects.toBeInstanceOf(StorageUnreachable)
    await cut.drain()
    expect((await storage.load(boardId)).logRows).toBe(0)
  })
})
