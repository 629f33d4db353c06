/** Migrations run on PGlite and PostgreSQL alike, once each, inside a transaction. */
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, openDatabase, type Database } from '../../db'
import { renamedMigrations } from '../../db/migrate.server'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'

describe.each(databaseKinds())('migrations on %s', (kind) => {
  let testDb: TestDatabase
  let db: Database

  afterEach(async () => {
    await db?.close()
    await testDb?.drop()
  })

  it('applies every migration once and records it; a second run applies nothing', async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    const first = await migrate(db.sql)
    expect(first[0]).toBe('001_boards.sql')
    expect(await migrate(db.sql)).toEqual([])
    const recorded = await db.sql<{ name: string }[]>`select name from schema_migrations order by name`
    expect(recorded.map((r) => r.name)).toEqual(first)
    const tables = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['board_states', 'board_updates', 'boards']))
  })

  it('an installation migrated under the old names (three files numbered 008) runs none of them again and records the new names', async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    const all = await migrate(db.sql)
    // As an installation from before the renumbering recorded them:
    for (const [oldName, newName] of Object.entries(renamedMigrations)) await db.sql`update schema_migrations set name = ${oldName} where name = ${newName}`
    // Running 006_board_images.sql again would fail: its tables exist.
    expect(await migrate(db.sql)).toEqual([])
    const recorded = await db.sql<{ name: string }[]>`select name from schema_migrations order by name`
    expect(recorded.map((r) => r.name)).toEqual(all)
    expect(all).toEqual(expect.arrayContaining(['006_board_images.sql', '007_comments.sql', '008_course_templates.sql']))
  })

  it('keeps the embedded data across restarts of the database', async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    await migrate(db.sql)
    await db.sql`insert into boards (title) values ('Bleibt')`
    await db.close()
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    const rows = await db.sql<{ title: string }[]>`select title from boards`
    expect(rows.map((r) => r.title)).toEqual(['Bleibt'])
  })

  it('a transaction on the single embedded connection is not interleaved with other statements', async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    await migrate(db.sql)
    const inTx = db.sql.begin(async (tx) => {
      await tx`insert into boards (title) values ('im Vorgang')`
      await new Promise((r) => setTimeout(r, 50))
      throw new Error('roll back')
    })
    const outside = db.sql`select count(*)::int as n from boards`
    await expect(inTx).rejects.toThrow('roll back')
    // The concurrent statement never saw the uncommitted row.
    expect((await outside)[0].n).toBe(0)
  })
})

describe('migration files', () => {
  it('each number is used once, and every renamed migration exists under its new name', () => {
    const files = fs.readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql'))
    const numbers = files.map((f) => f.split('_')[0])
    expect(numbers.filter((n, i) => numbers.indexOf(n) !== i)).toEqual([])
    for (const [oldName, newName] of Object.entries(renamedMigrations)) {
      expect(files).toContain(newName)
      expect(files).not.toContain(oldName)
    }
  })
})
