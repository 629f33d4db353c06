/**
 * Two processes may compact the same board: an older compaction that finishes after a newer
 * one must change nothing, or the rows only the newer one merged would be lost.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { compactBoard, loadBoardDoc } from '../../collab/storage-postgres.server'
import { boards, boardDocuments, migrate, openDatabase, type Database } from '../../db'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'

const silent = { error: () => {} }

describe.each(databaseKinds())('compaction by several processes on %s', (kind) => {
  let testDb: TestDatabase
  let db: Database

  afterEach(async () => {
    await db?.close()
    await testDb?.drop()
  })

  async function appendShapes(boardId: string, doc: Y.Doc, from: number, to: number) {
    const pending: { boardId: string; update: Uint8Array }[] = []
    const collect = (update: Uint8Array) => pending.push({ boardId, update })
    doc.on('update', collect)
    for (let i = from; i < to; i++) doc.getMap('tl_records').set(`shape:${i}`, { i })
    doc.off('update', collect)
    await boardDocuments.appendUpdates(db.sql, pending)
  }

  it('a compaction that read fewer rows than one committed meanwhile changes nothing, and no row is lost', async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    await migrate(db.sql)
    const board = await boards.createBoard(db.sql, { title: 'Zwei Prozesse' })
    const source = new Y.Doc()
    await appendShapes(board.id, source, 0, 100)

    // Process A reads 100 rows and merges them, slowly.
    const readByA = await boardDocuments.loadDocument(db.sql, board.id)
    const docA = new Y.Doc()
    for (const row of readByA.updates) Y.applyUpdate(docA, row.update)
    // Meanwhile 50 more rows arrive and process B compacts all 150.
    await appendShapes(board.id, source, 100, 150)
    expect(await compactBoard(db.sql, board.id)).toEqual({ mergedRows: 150 })
    // A finishes: its state lacks rows 100..149, so it must not replace B's.
    const replaced = await boardDocuments.replaceStateAndDropMergedRows(
      db.sql,
      board.id,
      Y.encodeStateAsUpdate(docA),
      readByA.updates.map((r) => r.id),
    )
    expect(replaced).toBe(false)

    const { doc } = await loadBoardDoc(db.sql, board.id, silent)
    expect(doc.getMap('tl_records').size).toBe(150)
    expect(await boardDocuments.countLogRows(db.sql, board.id)).toBe(0)
  })
})
