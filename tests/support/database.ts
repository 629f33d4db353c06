/**
 * A fresh database per test: an embedded PGlite in a temporary folder, or a new database on
 * a PostgreSQL server (DATABASE_URL's, else the local one), dropped afterwards.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

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

/** Creates an empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind = defaultKind()): Promise<TestDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-test-'))
  if (kind === 'pglite') {
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
