/**
 * Administration from the shell, against the configured database (embedded: while the server
 * is stopped).
 *   npm run admin -- create --email a@b.de --password '…' [--name 'Vor Nachname']
 *   npm run admin -- token --email a@b.de [--label 'Fachverfahren']   (prints the token last)
 *   npm run admin -- reset-link --email a@b.de                        (prints a reset path)
 */
import { parseArgs } from 'node:util'
import { createAccessToken, hashPassword, passwordRules } from '../access'
import { issuePasswordReset } from '../access/password-reset.server'
import { migrate, openDatabase } from '../db'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import { readEnv } from '../server/env.server'

const usage = `usage:
  npm run admin -- create --email <email> --password <password> [--name <name>]
  npm run admin -- token --email <email> [--label <label>]
  npm run admin -- reset-link --email <email>`

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, label: { type: 'string' } },
  })
  const command = positionals[0]
  if (!command || !values.email || !['create', 'token', 'reset-link'].includes(command)) {
    console.error(usage)
    return 2
  }
  const env = readEnv()
  const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 })
  try {
    await migrate(db.sql)
    const email = people.normaliseEmail(values.email)
    if (command === 'create') {
      const password = values.password ?? ''
      if (password.length < passwordRules.minLength) {
        console.error(`--password must have at least ${passwordRules.minLength} characters`)
        return 2
      }
      const passwordHash = await hashPassword(password)
      let person = await people.createPerson(db.sql, { email, name: values.name ?? 'Administrator', passwordHash })
      if (!person) {
        person = (await people.findPersonByEmail(db.sql, email))!
        await people.updatePerson(db.sql, person.id, { passwordHash, ...(values.name ? { name: values.name } : {}) })
      }
      await memberships.grant(db.sql, { personId: person.id, role: 'administrator', courseId: null, municipalityId: null })
      console.log(`administrator ${email} is ready`)
      return 0
    }
    const person = await people.findPersonByEmail(db.sql, email)
    if (!person) {
      console.error(`nobody is registered as ${email}`)
      return 1
    }
    if (command === 'token') {
      const { token } = await createAccessToken(db.sql, person.id, values.label ?? 'cli')
      console.log(`personal access token for ${email} (shown once; use as "Authorization: Bearer <token>"):`)
      console.log(token)
      return 0
    }
    const reset = await issuePasswordReset(db.sql, person.id, null)
    console.log(`password reset link for ${email} (valid until ${reset.expiresAt.toISOString()}):`)
    console.log(reset.path)
    return 0
  } finally {
    await db.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
