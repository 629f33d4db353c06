/**
 * Administration from the shell, against the configured database (embedded: while the server
 * is stopped).
 *   npm run admin -- create --email a@b.de --password '…' [--name 'Vor Nachname'] [--reset-password]
 *   npm run admin -- token --email a@b.de [--label 'Fachverfahren'] [--days 90]   (prints the token last)
 *   npm run admin -- tokens --email a@b.de                                        (lists them, no secrets)
 *   npm run admin -- revoke-token --id <token id>
 *   npm run admin -- reset-link --email a@b.de                                    (prints a reset link)
 */
import { parseArgs } from 'node:util'
import { hashPassword, passwordRules } from '../access'
import { issuePersonalToken, listPersonalTokens, newTokenInput, revokePersonalToken } from '../access/personal-tokens.server'
import { issuePasswordReset } from '../access/password-reset.server'
import { migrate, openDatabase } from '../db'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import { readEnv } from '../server/env.server'

const usage = `usage:
  npm run admin -- create --email <email> --password <password> [--name <name>] [--reset-password]
  npm run admin -- token --email <email> [--label <label>] [--days <days, default 90; 0: never expires>]
  npm run admin -- tokens --email <email>
  npm run admin -- revoke-token --id <token id>
  npm run admin -- reset-link --email <email>`

const commands = ['create', 'token', 'tokens', 'revoke-token', 'reset-link']

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      label: { type: 'string' },
      days: { type: 'string' },
      id: { type: 'string' },
      'reset-password': { type: 'boolean' },
    },
  })
  const command = positionals[0]
  if (!command || !commands.includes(command) || (command === 'revoke-token' ? !values.id : !values.email)) {
    console.error(usage)
    return 2
  }
  const env = readEnv()
  const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, maxConnections: 1 })
  try {
    await migrate(db.sql)
    if (command === 'revoke-token') {
      // A running server on PostgreSQL hears of it (NOTIFY) and closes the token's sockets.
      if (!(await revokePersonalToken(db.sql, values.id!, null))) {
        console.error(`no valid token has the id ${values.id}`)
        return 1
      }
      console.log(`token ${values.id} revoked`)
      return 0
    }
    const email = people.normaliseEmail(values.email!)
    if (command === 'create') {
      const password = values.password ?? ''
      if (password.length < passwordRules.minLength) {
        console.error(`--password must have at least ${passwordRules.minLength} characters`)
        return 2
      }
      const passwordHash = await hashPassword(password)
      let person = await people.createPerson(db.sql, { email, name: values.name ?? 'Administrator', passwordHash })
      if (!person) {
        if (!values['reset-password']) {
          console.error(`${email} is already registered; nothing was changed. To set a new password for that account, add --reset-password.`)
          return 1
        }
        person = (await people.findPersonByEmail(db.sql, email))!
        await people.updatePerson(db.sql, person.id, { passwordHash, ...(values.name ? { name: values.name } : {}) })
        await people.deleteSessionsOf(db.sql, person.id)
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
      const days = values.days === '0' ? null : (values.days ?? '90')
      const input = newTokenInput.safeParse({ name: values.label ?? 'cli', expiresInDays: days })
      if (!input.success) {
        console.error('--label must have 1 to 100 characters, --days must be a whole number from 0 (never expires) to 3650')
        return 2
      }
      const issued = await issuePersonalToken(db.sql, person.id, input.data)
      console.log(
        `personal access token "${issued.name}" for ${email}, id ${issued.id}, ${issued.expiresAt ? `valid until ${issued.expiresAt.toISOString()}` : 'never expires'} (shown once; use as "Authorization: Bearer <token>"):`,
      )
      console.log(issued.token)
      return 0
    }
    if (command === 'tokens') {
      const tokens = await listPersonalTokens(db.sql, person.id)
      if (tokens.length === 0) console.log(`${email} has no personal access tokens`)
      for (const t of tokens) {
        console.log(
          [t.id, t.status, `"${t.name}"`, `created ${t.createdAt.toISOString()}`, `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`, `expires ${t.expiresAt?.toISOString() ?? 'never'}`].join('  '),
        )
      }
      return 0
    }
    const reset = await issuePasswordReset(db.sql, person.id, null)
    console.log(`password reset link for ${email} (valid until ${reset.expiresAt.toISOString()})${env.publicUrl ? '' : '; prefix it with the Werkraum address (set PUBLIC_URL to get it whole)'}:`)
    console.log(env.publicUrl ? new URL(reset.path, env.publicUrl).toString() : reset.path)
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
