/** `npm run seed:demo`: creates the demo course round and accounts in the configured database (listed in README.md); run again, it only completes what is missing. */
import { migrate, openDatabase } from '../db'
import { readEnv } from '../server/env.server'
import { demoPeople, DEMO_PASSWORD, seedDemo } from '../server/demo-data'

const env = readEnv()
const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 })
try {
  await migrate(db.sql)
  const { created } = await seedDemo(db.sql)
  console.log(
    created
      ? `demo data created; every account's password is "${DEMO_PASSWORD}":`
      : `demo data was already there (nothing duplicated, missing parts added); the demo accounts, password "${DEMO_PASSWORD}" unless changed:`,
  )
  for (const p of demoPeople) console.log(`  ${p.email.padEnd(28)} ${p.role}${p.municipalities ? ` (${p.municipalities.join(', ')})` : ''}`)
} finally {
  await db.close()
}
