/**
 * Schema migrations: numbered `.sql` files in db/migrations, each applied once inside a
 * transaction and recorded in the `schema_migrations` table. Files renamed after they shipped
 * are listed in `renamedMigrations`: an installation that recorded the old name has its record
 * renamed first, so the migration does not run again (decision 0034).
 */
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Sql } from './client.server'

// Relative to the root, so it holds from the sources and from the compiled server (build/werkraum-server.js) alike.
const migrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url))

/** Old file name → new file name, for migrations renumbered after they shipped (never remove an entry). */
export const renamedMigrations: Readonly<Record<string, string>> = {
  // Three files shared the number 008; the first two moved into the unused 006 and 007 (same order as before).
  '008_board_images.sql': '006_board_images.sql',
  '008_comments.sql': '007_comments.sql',
}

/** Applies every migration not yet recorded; returns the names it applied. */
export async function migrate(sql: Sql): Promise<string[]> {
  await sql`
    create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`
  await sql.begin(async (tx) => {
    for (const [oldName, newName] of Object.entries(renamedMigrations)) {
      await tx`
        update schema_migrations set name = ${newName}
        where name = ${oldName} and not exists (select 1 from schema_migrations where name = ${newName})`
    }
  })
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
