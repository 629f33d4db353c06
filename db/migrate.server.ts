/**
 * Schema migrations: numbered `.sql` files in db/migrations, each applied once inside a
 * transaction and recorded in the `schema_migrations` table.
 */
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Sql } from './client.server'

// Relative to the root, so it holds from the sources and from the compiled server (build/werkraum-server.js) alike.
const migrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url))

/** Applies every migration not yet recorded; returns the names it applied. */
export async function migrate(sql: Sql): Promise<string[]> {
  await sql`
    create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`
  const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
  const done = new Set((await sql<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name))
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const text = await fs.readFile(migrationsDir + file, 'utf8')
    await sql.begin(async (tx) => {
      await tx.unsafe(text)
      await tx`insert into schema_migrations (name) values (${file})`
    })
    applied.push(file)
  }
  return applied
}
