/** Migration 004: every municipality gets exactly one Systemdesign document, existing ones included. */
import fs from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, openDatabase, type Database } from '../../db'
import { createMunicipality } from '../../db/courses.server'
import { createTestDatabase, type TestDatabase } from '../support/database'

const migrationsDir = new URL('../../db/migrations/', import.meta.url)

describe('design documents', () => {
  let testDb: TestDatabase
  let db: Database

  afterEach(async () => {
    await db?.close()
    await testDb?.drop()
  })

  it('backfills one design document for each municipality that existed before migration 004, and allows no second one', async () => {
    testDb = await createTestDatabase()
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    // The schema as it was before 004, with data in it.
    await db.sql`create table schema_migrations (name text primary key, applied_at timestamptz not null default now())`
    for (const name of ['001_boards.sql', '002_access.sql', '003_sessions.sql']) {
      await db.sql.unsafe(await fs.readFile(new URL(name, migrationsDir), 'utf8'))
      await db.sql`insert into schema_migrations (name) values (${name})`
    }
    const [soest] = await db.sql<{ id: string }[]>`insert into municipalities (name, kind) values ('Soest', 'Stadt') returning id`
    await db.sql`insert into municipalities (name, kind) values ('Hamm', 'Stadt')`
    await db.sql`insert into boards (title, municipality_id) values ('Konfliktlandkarte', ${soest.id})`

    expect(await migrate(db.sql)).toContain('004_design_documents.sql')
    const rows = await db.sql<{ name: string; kind: string; n: number }[]>`
      select m.name, b.kind, count(*)::int as n from boards b join municipalities m on m.id = b.municipality_id
      group by m.name, b.kind order by m.name, b.kind`
    expect(rows).toEqual([
      { name: 'Hamm', kind: 'design', n: 1 },
      { name: 'Soest', kind: 'design', n: 1 },
      { name: 'Soest', kind: 'whiteboard', n: 1 },
    ])
    await expect(db.sql`insert into boards (title, municipality_id, kind) values ('Zweites', ${soest.id}, 'design')`).rejects.toThrow()
    await expect(db.sql`insert into boards (title, kind) values ('Ohne Kommune', 'design')`).rejects.toThrow()

    const herne = (await createMunicipality(db.sql, { name: 'Herne', kind: 'Stadt' }))!
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from boards where municipality_id = ${herne.id} and kind = 'design'`
    expect(n).toBe(1)
  })
})
