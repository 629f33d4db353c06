/** Backup and restore round trip: every table, every row, across PGlite and PostgreSQL; a damaged file changes nothing. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { migrate, openDatabase, type Database } from '../../db'
import { appendUpdates } from '../../db/board-documents.server'
import { BackupError, restoreBackup, writeBackup } from '../../db/backup.server'
import { renamedMigrations } from '../../db/migrate.server'
import { seedDemo } from '../../server/demo-data'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'
import { buildWorld, withDatabase } from '../support/fixtures'

async function dumpAll(db: Database): Promise<Record<string, unknown[]>> {
  const tables = await db.sql<{ name: string }[]>`
    select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`
  const out: Record<string, unknown[]> = {}
  for (const { name } of tables) {
    // When a migration ran differs by installation; which ran does not.
    const rows = await db.sql.unsafe(name === 'schema_migrations' ? 'select name from schema_migrations' : `select * from "${name}"`)
    out[name] = rows.map((r) => JSON.stringify(r, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('base64') : v))).sort()
  }
  return out
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'werkraum-backup-'))
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups) await c()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function fresh(kind: 'pglite' | 'postgres'): Promise<{ test: TestDatabase; db: Database }> {
  const test = await createTestDatabase(kind)
  const db = await openDatabase({ url: test.url, dataDir: test.dataDir })
  await migrate(db.sql)
  cleanups.push(async () => {
    await db.close().catch(() => {})
    await test.drop()
  })
  return { test, db }
}

/** One seeded source database per kind, shared by the restores into each kind (it is only read after seeding). */
const sources = new Map<string, ReturnType<typeof seededSource>>()
async function seededSource(kind: 'pglite' | 'postgres') {
  const source = await fresh(kind)
  await seedDemo(source.db.sql)
  const world = await buildWorld(source.db.sql)
  const doc = new Y.Doc()
  doc.getMap('tl_records').set('shape:1', { x: 1, label: 'Moscheebau' })
  await appendUpdates(source.db.sql, [{ boardId: world.board.hamm.id, update: Y.encodeStateAsUpdate(doc) }])
  await source.db.sql`insert into board_states (board_id, state) values (${world.board.duisburg.id}, ${Buffer.from(Y.encodeStateAsUpdate(doc))})`
  return { source, world, doc }
}

describe.each(databaseKinds().flatMap((from) => databaseKinds().map((to) => [from, to] as const)))('backup from %s, restore to %s', (from, to) => {
  it('brings back every board, document, course, person and role exactly', { timeout: 90_000 }, async () => {
    if (!sources.has(from)) sources.set(from, seededSource(from))
    const { source, world, doc } = await sources.get(from)!
    const file = path.join(tmp, `${from}-${to}.werkraum-backup`)
    const counts = await writeBackup(source.db.sql, fs.createWriteStream(file))
    expect(counts.boards).toBeGreaterThan(5)
    expect(counts.board_updates).toBe(1)

    const target = await fresh(to)
    await restoreBackup(target.db.sql, fs.createReadStream(file))
    expect(await dumpAll(target.db)).toEqual(await dumpAll(source.db))
    // New rows get fresh ids after the restored ones.
    await appendUpdates(target.db.sql, [{ boardId: world.board.hamm.id, update: Y.encodeStateAsUpdate(doc) }])
  })
})

describe('restore refuses what it cannot do safely', () => {
  it('a non-empty database is refused without --replace; a damaged file changes nothing', { timeout: 90_000 }, async () => {
    const source = await fresh('pglite')
    await buildWorld(source.db.sql)
    const file = path.join(tmp, 'refuse.werkraum-backup')
    await writeBackup(source.db.sql, fs.createWriteStream(file))
    const target = await fresh('pglite')
    await buildWorld(target.db.sql)
    const before = await dumpAll(target.db)
    await expect(restoreBackup(target.db.sql, fs.createReadStream(file))).rejects.toThrow(BackupError)
    // A truncated file: the transaction rolls back.
    const bytes = fs.readFileSync(file)
    const zlib = await import('node:zlib')
    const text = zlib.gunzipSync(bytes).toString()
    const broken = path.join(tmp, 'broken.werkraum-backup')
    fs.writeFileSync(broken, zlib.gzipSync(text.slice(0, Math.floor(text.length * 0.7))))
    await expect(restoreBackup(target.db.sql, fs.createReadStream(broken), { replace: true })).rejects.toThrow(BackupError)
    fs.writeFileSync(broken, 'not a backup')
    await expect(restoreBackup(target.db.sql, fs.createReadStream(broken), { replace: true })).rejects.toThrow(BackupError)
    expect(await dumpAll(target.db)).toEqual(before)
    // With --replace a valid file replaces everything.
    await restoreBackup(target.db.sql, fs.createReadStream(file), { replace: true })
    expect(await dumpAll(target.db)).toEqual(await dumpAll(source.db))
  })

  it('a backup made before the migrations were renumbered (old 008 names) restores into a current installation', { timeout: 90_000 }, async () => {
    const source = await fresh('pglite')
    await buildWorld(source.db.sql)
    for (const [oldName, newName] of Object.entries(renamedMigrations)) await source.db.sql`update schema_migrations set name = ${oldName} where name = ${newName}`
    const file = path.join(tmp, 'old-names.werkraum-backup')
    await writeBackup(source.db.sql, fs.createWriteStream(file))
    const target = await fresh('pglite')
    await restoreBackup(target.db.sql, fs.createReadStream(file))
    const { schema_migrations: _target, ...restored } = await dumpAll(target.db)
    const { schema_migrations: _source, ...original } = await dumpAll(source.db)
    expect(restored).toEqual(original)
  })

  it('npm run backup and npm run restore work from the shell', { timeout: 90_000 }, async () => {
    const source = await createTestDatabase('pglite')
    const target = await createTestDatabase('pglite')
    cleanups.push(() => source.drop(), () => target.drop())
    await withDatabase(source, (sql) => buildWorld(sql))
    const file = path.join(tmp, 'cli.werkraum-backup')
    const env = { ...process.env, DATABASE_URL: '', DATA_DIR: source.dataDir }
    const backup = spawnSync('npm', ['run', '-s', 'backup', '--', '--out', file], { env, encoding: 'utf8' })
    expect(backup.status, backup.stderr).toBe(0)
    expect(backup.stdout).toContain('backup written to')
    const restore = spawnSync('npm', ['run', '-s', 'restore', '--', file], { env: { ...env, DATA_DIR: target.dataDir }, encoding: 'utf8' })
    expect(restore.status, restore.stderr).toBe(0)
    const counts = await withDatabase(target, async (sql) => sql<{ kind: string; n: number }[]>`select kind, count(*)::int as n from boards group by kind order by kind`)
    // Four whiteboards and the three municipalities' Systemdesign documents.
    expect(counts).toEqual([
      { kind: 'design', n: 3 },
      { kind: 'whiteboard', n: 4 },
    ])
  })
})

describe('backup from the running server', () => {
  it('an administrator downloads a backup that restores; others are refused', { timeout: 90_000 }, async () => {
    const { startTestServer } = await import('../support/server')
    const test = await createTestDatabase('pglite')
    const server = await startTestServer(test)
    try {
      const world = await buildWorld(server.db.sql)
      const admin = world.person.administrator
      const denied = await fetch(`${server.url}/api/v1/admin/backup`, { headers: { authorization: `Bearer ${world.person.lecturer.token}` } })
      expect(denied.status).toBe(403)
      const res = await fetch(`${server.url}/api/v1/admin/backup`, { headers: { authorization: `Bearer ${admin.token}` } })
      expect(res.status).toBe(200)
      const file = path.join(tmp, 'http.werkraum-backup')
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()))
      const target = await fresh('pglite')
      await restoreBackup(target.db.sql, fs.createReadStream(file))
      const titles = (await target.db.sql<{ title: string }[]>`select title from boards where kind = 'whiteboard' order by title`).map((r) => r.title)
      expect(titles).toEqual(['Konfliktlandkarte Duisburg', 'Konfliktlandkarte Hamm', 'Konfliktlandkarte Herne', 'Plenum'])
      const [{ designs }] = await target.db.sql<{ designs: number }[]>`select count(*)::int as designs from boards where kind = 'design'`
      expect(designs).toBe(3)
    } finally {
      await server.close()
      await test.drop()
    }
  })
})
