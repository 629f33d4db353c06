/**
 * A fresh database per test: an embedded PGlite in a temporary folder, or a new database on
 * a PostgreSQL server (DATABASE_URL's, else the local one), dropped afterwards.
 */
import fs from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { PGlite } from '@electric-sql/pglite'

export type DatabaseKind = 'pglite' | 'postgres'

/** Where test databases are created when DATABASE_URL is not set (tests that need several processes on one database). */
export const localPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres'

export type TestDatabase = {
  kind: DatabaseKind
  /** DATABASE_URL for the server under test (undefined: embedded). */
  url: string | undefined
  /** DATA_DIR for the server under test. */
  dataDir: string
  drop(): Promise<void>
}

/** The kinds to test against: always PGlite, plus PostgreSQL when DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

/** The kind a test that needs only one database uses: the server when configured, else PGlite. */
export function defaultKind(): DatabaseKind {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite'
}

/**
 * A freshly initialised, empty PGlite cluster (no migrations) made once per PGlite version;
 * each test database starts as a copy of it (≈0.5 s) instead of running initdb (≈3–5 s).
 */
const pgliteTemplate = path.join(os.tmpdir(), `werkraum-pglite-template-${process.getuid?.() ?? 0}-${pgliteVersion()}`)

function pgliteVersion(): string {
  const manifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** Creates the PGlite template cluster if it is missing (called once, from the global setup). */
export async function preparePgliteTemplate(): Promise<void> {
  if (await exists(path.join(pgliteTemplate, 'PG_VERSION'))) return
  const building = await fs.mkdtemp(`${pgliteTemplate}-building-`)
  const db = await PGlite.create({ dataDir: building })
  await db.query('select 1')
  await db.close()
  await fs.rename(building, pgliteTemplate).catch(async () => fs.rm(building, { recursive: true, force: true }))
}

function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  )
}

/** Creates an empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind = defaultKind()): Promise<TestDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-test-'))
  if (kind === 'pglite') {
    // The server opens PGlite in DATA_DIR/pglite (db/client.server.ts); without the template it runs initdb itself.
    if (await exists(path.join(pgliteTemplate, 'PG_VERSION'))) await fs.cp(pgliteTemplate, path.join(dataDir, 'pglite'), { recursive: true })
    return { kind, url: undefined, dataDir, drop: () => fs.rm(dataDir, { recursive: true, force: true }) }
  }
  const base = process.env.DATABASE_URL || localPostgresUrl
  const name = `werkraum_t_${randomBytes(6).toString('hex')}`
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    kind,
    url: url.toString(),
    dataDir,
    async drop() {
      const admin = postgres(base, { max: 1, onnotice: () => {} })
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}
