/**
 * The database connection: a PostgreSQL server when a URL is given, otherwise an embedded
 * PGlite kept in the data folder and reached through pglite-socket. Both are used through
 * the same `postgres` client, so every query has one code path.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'

export type Sql = postgres.Sql<{}>

/**
 * A transaction as the query functions' `Sql` parameter: inside `sql.begin` the same query
 * functions run on the transaction (they never call `begin` themselves).
 */
export function asSql(tx: postgres.TransactionSql<{}>): Sql {
  return tx as unknown as Sql
}

export type Database = {
  sql: Sql
  kind: 'postgres' | 'pglite'
  /** Closes the client (and the embedded database, if any). */
  close(): Promise<void>
}

export type DatabaseOptions = {
  url?: string
  dataDir: string
  /** Connections for a server database; the embedded one always gets exactly one. */
  maxConnections?: number
}

const clientDefaults = {
  onnotice: () => {},
  connection: { application_name: 'werkraum' },
  types: {},
} as const

/** Opens the configured database: the server at `url`, or PGlite in `dataDir/pglite`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const sql = postgres(options.url, { ...clientDefaults, max: options.maxConnections ?? 10 })
    return { sql, kind: 'postgres', close: () => sql.end({ timeout: 5 }) }
  }
  return openEmbedded(options.dataDir)
}

/** Thrown when another process (a running server) has the embedded database open. */
export class DatabaseInUse extends Error {}

/**
 * PGlite must be opened by one process only: a lock file holds the owner's pid. A lock left
 * by a process that no longer runs is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dir, 'werkraum.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' })
      return () => fs.rm(lockFile, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(await fs.readFile(lockFile, 'utf8').catch(() => '0'))
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new DatabaseInUse(`The embedded database in ${dir} is in use by process ${owner}; stop the server first.`)
      }
      await fs.rm(lockFile, { force: true })
    }
  }
  throw new DatabaseInUse(`Could not lock ${dir}`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function openEmbedded(dataDir: string): Promise<Database> {
  // Loaded only for the embedded database, so a server on PostgreSQL does not carry PGlite's modules.
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')])
  const pgDir = path.join(dataDir, 'pglite')
  await fs.mkdir(pgDir, { recursive: true })
  const unlock = await lockDataDir(dataDir)
  const pglite = await PGlite.create({ dataDir: pgDir }).catch(async (error) => {
    await unlock()
    throw error
  })
  // A private socket directory: only this user can reach the embedded database.
  const socketDir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-pg-'))
  const socketPath = path.join(socketDir, '.s.PGSQL.5432')
  const server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections: 1 })
  await server.start()
  // PGlite is single-user: one connection, so a transaction never interleaves with another's statements.
  const sql = postgres({
    ...clientDefaults,
    path: socketPath,
    user: 'postgres',
    database: 'postgres',
    max: 1,
  })
  return {
    sql,
    kind: 'pglite',
    async close() {
      await sql.end({ timeout: 5 })
      await server.stop()
      await pglite.close()
      await fs.rm(socketDir, { recursive: true, force: true })
      await unlock()
    },
  }
}
