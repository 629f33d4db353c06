/**
 * The pipelined update log on the PostgreSQL server (docs/decisions/0043-pipelined-group-commit.md):
 * a batch commits while an earlier one is still waiting, yet nobody is told "committed" out of
 * call order. PGlite has one connection, so batches cannot overtake each other there; this
 * runs where a PostgreSQL server answers (DATABASE_URL, else the local one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { UpdateLog } from '../../collab/storage-postgres.server'
import { boards, migrate, openDatabase, type Database } from '../../db'
import { countLogRows } from '../../db/board-documents.server'
import { createTestDatabase, localPostgresUrl, type TestDatabase } from '../support/database'

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

const tick = () => new Promise((resolve) => setImmediate(resolve))

async function waitFor(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out: ${what}`)
}

describe.runIf(await postgresReachable())('the pipelined update log on the PostgreSQL server', () => {
  let testDb: TestDatabase
  let db: Database
  /** A second client, holding row locks that keep one batch from committing. */
  let blocker: postgres.Sql

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    await migrate(db.sql)
    blocker = postgres(testDb.url!, { max: 1, onnotice: () => {} })
  })
  afterAll(async () => {
    await blocker?.end({ timeout: 1 })
    await db?.close()
    await testDb?.drop()
  })

  it('a later batch commits while an earlier one waits, but is released only after the earlier one', async () => {
    const slow = (await boards.createBoard(db.sql, { title: 'Wartet' })).id
    const quick = (await boards.createBoard(db.sql, { title: 'Schnell' })).id
    const log = new UpdateLog(db.sql)
    const released: string[] = []

    // The board row locked FOR UPDATE: the foreign-key check of an insert for it waits until this transaction ends.
    let unlock!: () => void
    const unlocked = new Promise<void>((resolve) => (unlock = resolve))
    let locked!: () => void
    const lockHeld = new Promise<void>((resolve) => (locked = resolve))
    const holding = blocker.begin(async (tx) => {
      await tx`select id from boards where id = ${slow} for update`
      locked()
      await unlocked
    })
    await lockHeld

    const first = log.append(slow, new Uint8Array([1])).then(() => released.push('slow'))
    await tick()
    await tick()
    const second = log.append(quick, new Uint8Array([2])).then(() => released.push('quick'))

    // The second batch is committed (its row is visible) although the first is still waiting…
    await waitFor(async () => (await countLogRows(db.sql, quick)) === 1, 'the second batch commits')
    expect(await countLogRows(db.sql, slow)).toBe(0)
    // …yet its append has not resolved: appends resolve in call order.
    await tick()
    expect(released).toEqual([])

    unlock()
    await holding
    await Promise.all([first, second])
    expect(released).toEqual(['slow', 'quick'])
    expect(await countLogRows(db.sql, slow)).toBe(1)
    await log.drain()
  })

  it('a failed batch rejects its own appends only, and later batches are still released after it', async () => {
    const board = (await boards.createBoard(db.sql, { title: 'Vertrag' })).id
    const log = new UpdateLog(db.sql)
    const outcomes: string[] = []
    // A board that does not exist fails its batch (foreign key); the next tick's batch is fine.
    const missing = log.append('00000000-0000-4000-8000-000000000000', new Uint8Array([1])).then(
      () => outcomes.push('missing stored'),
      () => outcomes.push('missing rejected'),
    )
    await tick()
    await tick()
    const fine = log.append(board, new Uint8Array([2])).then(() => outcomes.push('fine stored'))
    await Promise.all([missing, fine])
    expect(outcomes).toEqual(['missing rejected', 'fine stored'])
    expect(await countLogRows(db.sql, board)).toBe(1)
    await log.drain()
  })
})
