/**
 * `npm run backup -- [--out FILE]`: writes one file holding everything (the configured database;
 * embedded: while the server is stopped — or use the running server's admin endpoint, see README).
 * `npm run restore -- FILE [--replace]`: brings an installation back from such a file.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../db'
import { BackupError, restoreBackup, writeBackup } from '../db/backup.server'
import { DatabaseInUse } from '../db/client.server'
import { readEnv } from '../server/env.server'

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, replace: { type: 'boolean', default: false } },
  })
  const [command, file] = positionals
  const env = readEnv()
  if (command === 'backup') {
    const out = values.out ?? `werkraum-${new Date().toISOString().replace(/[:.]/g, '-')}.werkraum-backup`
    const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 })
    try {
      const counts = await writeBackup(db.sql, fs.createWriteStream(out, { mode: 0o600 }))
      console.log(
        `backup written to ${out}: ${Object.entries(counts)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}`,
      )
      return 0
    } finally {
      await db.close()
    }
  }
  if (command === 'restore' && file) {
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    if (!stat?.isFile()) {
      console.error(
        stat
          ? `${file} ist ein Ordner, keine Sicherungsdatei; geben Sie die Datei an (…werkraum-backup). / ${file} is a folder, not a backup file; name the file (…werkraum-backup).`
          : `Die Sicherungsdatei ${file} gibt es nicht; prüfen Sie Pfad und Namen (ls *.werkraum-backup). Es wurde nichts verändert. / The backup file ${file} does not exist; check its path and name. Nothing was changed.`,
      )
      return 1
    }
    const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 })
    try {
      const counts = await restoreBackup(db.sql, fs.createReadStream(file), { replace: values.replace })
      console.log(
        `restored from ${file}: ${Object.entries(counts)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}`,
      )
      return 0
    } finally {
      await db.close()
    }
  }
  console.error('usage: npm run backup -- [--out FILE]   |   npm run restore -- FILE [--replace]')
  return 2
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof BackupError || error instanceof DatabaseInUse) console.error(error.message)
    else console.error(error)
    process.exit(1)
  },
)
