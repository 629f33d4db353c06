/**
 * Backup and restore of a whole installation as one file: gzip-compressed JSON lines holding
 * every table of the schema (found from the catalog, parents before children), so tables added
 * by later migrations are included without touching this module. Works on PGlite and PostgreSQL
 * alike, and between them.
 */
import { createGunzip, createGzip } from 'node:zlib'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PassThrough } from 'node:stream'
import { asSql, type Sql } from './client.server'
import { migrate, renamedMigrations } from './migrate.server'

const FORMAT = 'werkraum-backup'
const VERSION = 1
const BATCH = 500

type Header = { format: string; version: number; createdAt: string; migrations: string[] }
type TableStart = { table: string; columns: string[] }

/** The tables of the public schema in an order where every parent comes before its children. */
async function tablesInDependencyOrder(sql: Sql): Promise<string[]> {
  const tables = (await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`).map((t) => t.name)
  const edges = await sql<{ child: string; parent: string }[]>`
    select distinct tc.table_name as child, ccu.table_name as parent
    from information_schema.table_constraints tc
    join information_schema.constraint_column_usage ccu on tc.constraint_name = ccu.constraint_name and tc.table_schema = ccu.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`
  const ordered: string[] = []
  const visiting = new Set<string>()
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return
    visiting.add(table)
    for (const e of edges) if (e.child === table && e.parent !== table) visit(e.parent)
    ordered.push(table)
  }
  for (const t of tables) visit(t)
  return ordered
}

async function columnsOf(sql: Sql, table: string): Promise<string[]> {
  return (await sql<{ name: string }[]>`
    select column_name as name from information_schema.columns
    where table_schema = 'public' and table_name = ${table} order by ordinal_position`).map((c) => c.name)
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytea: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  if (value instanceof Date) return value.toISOString()
  return value
}

function decodeValue(value: unknown): unknown {
  if (value && typeof value === 'object' && '$bytea' in value) return Buffer.from((value as { $bytea: string }).$bytea, 'base64')
  return value
}

/** Writes a backup of every table to `out` (gzip JSON lines); returns the row count per table. */
export async function writeBackup(sql: Sql, out: Writable): Promise<Record<string, number>> {
  const gzip = createGzip()
  const done = pipeline(gzip, out)
  const write = (line: unknown) =>
    new Promise<void>((resolve) => (gzip.write(JSON.stringify(line) + '\n') ? resolve() : gzip.once('drain', resolve)))
  const counts: Record<string, number> = {}
  // One read-only snapshot of the whole database (repeatable read), so the file is consistent.
  await sql.begin('isolation level repeatable read read only', async (t) => {
    const tx = asSql(t)
    const migrations = (await tx<{ name: string }[]>`select name from schema_migrations order by name`).map((m) => m.name)
    await write({ format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations } satisfies Header)
    for (const table of await tablesInDependencyOrder(tx)) {
      const columns = await columnsOf(tx, table)
      await write({ table, columns } satisfies TableStart)
      let rows = 0
      const cursor = tx`select * from ${tx(table)}`.cursor(BATCH)
      for await (const batch of cursor) {
        for (const row of batch) {
          await write(columns.map((c) => encodeValue((row as Record<string, unknown>)[c])))
          rows++
        }
      }
      await write({ end: table, rows })
      counts[table] = rows
    }
  })
  gzip.end()
  await done
  return counts
}

export class BackupError extends Error {}

/**
 * Restores a backup into the database behind `sql`: brings the schema up to date, refuses a
 * non-empty database unless `replace` is set (then empties it first), and inserts every row —
 * all in one transaction, so a broken file changes nothing.
 */
export async function restoreBackup(sql: Sql, input: Readable, options: { replace?: boolean } = {}): Promise<Record<string, number>> {
  await migrate(sql)
  const gunzip = createGunzip()
  const text = new PassThrough()
  input.on('error', (error) => text.destroy(new BackupError(`the backup file cannot be read: ${error.message}`)))
  gunzip.on('error', () => text.destroy(new BackupError('not a Werkraum backup, or a damaged one (gzip)')))
  input.pipe(gunzip).pipe(text)
  const lines = createInterface({ input: text, crlfDelay: Infinity })
  const iterator = lines[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await iterator.next()
    if (done) return null
    try {
      return JSON.parse(value) as unknown
    } catch {
      throw new BackupError('the backup file is damaged (a line is not JSON)')
    }
  }
  const header = (await next()) as Header | null
  if (!header || header.format !== FORMAT) throw new BackupError('not a Werkraum backup')
  if (header.version !== VERSION) throw new BackupError(`backup format version ${header.version} is not supported`)
  const known = new Set((await sql<{ name: string }[]>`select name from schema_migrations`).map((m) => m.name))
  // A backup from before a renumbering names migrations by their old file names.
  const unknown = header.migrations.map((m) => renamedMigrations[m] ?? m).filter((m) => !known.has(m))
  if (unknown.length > 0) throw new BackupError(`the backup comes from a newer Werkraum (migrations ${unknown.join(', ')}); update first`)

  const counts: Record<string, number> = {}
  await sql.begin(async (t) => {
    const tx = asSql(t)
    // Rows of a table that references itself (a private layer and its board) may come in any order: such keys are checked at commit.
    await tx`set constraints all deferred`
    const tables = await tablesInDependencyOrder(tx)
    const dataTables = tables.filter((tb) => tb !== 'schema_migrations')
    const [{ n }] = await tx<{ n: number }[]>`
      select (select count(*) from people) + (select count(*) from boards) + (select count(*) from courses) as n`
    if (Number(n) > 0 && !options.replace) throw new BackupError('the database is not empty; restore with --replace to overwrite it')
    if (dataTables.length > 0) await tx.unsafe(`truncate ${dataTables.map((tb) => `"${tb}"`).join(', ')} cascade`)
    for (;;) {
      const start = (await next()) as TableStart | null
      if (!start) break
      if (typeof start.table !== 'string' || !Array.isArray(start.columns)) throw new BackupError('the backup file is damaged (table header)')
      if (!tables.includes(start.table)) throw new BackupError(`unknown table ${start.table}`)
      const current = new Set(await columnsOf(tx, start.table))
      const missing = start.columns.filter((c) => !current.has(c))
      if (missing.length > 0) throw new BackupError(`table ${start.table} has no columns ${missing.join(', ')}`)
      let batch: Record<string, unknown>[] = []
      let rows = 0
      const flush = async () => {
        if (batch.length === 0 || start.table === 'schema_migrations') return (batch = [])
        await tx`insert into ${tx(start.table)} ${tx(batch as never, start.columns)}`
        batch = []
      }
      for (;;) {
        const line = await next()
        if (line === null) throw new BackupError(`the backup file ends inside table ${start.table}`)
        if (!Array.isArray(line)) {
          if ((line as { end?: string }).end !== start.table) throw new BackupError('the backup file is damaged (table end)')
          if ((line as { rows?: number }).rows !== rows) throw new BackupError(`table ${start.table}: row count does not match`)
          break
        }
        batch.push(Object.fromEntries(start.columns.map((c, i) => [c, decodeValue(line[i])])))
        rows++
        if (batch.length >= BATCH) await flush()
      }
      await flush()
      counts[start.table] = rows
    }
    // Serial columns continue after the restored ids.
    const serials = await tx<{ table: string; column: string }[]>`
      select table_name as table, column_name as column from information_schema.columns
      where table_schema = 'public' and column_default like 'nextval(%'`
    for (const s of serials) {
      await tx.unsafe(
        `select setval(pg_get_serial_sequence('"${s.table}"', '${s.column}'), coalesce((select max("${s.column}") from "${s.table}"), 0) + 1, false)`,
      )
    }
  })
  return counts
}
