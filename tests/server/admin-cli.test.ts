/**
 * The admin CLI (scripts/admin.ts) as an operator runs it: `create` refuses an existing address
 * unless --reset-password; tokens are issued with an expiry, listed and revoked; a revocation
 * from the CLI closes the token's socket on a server running on the same PostgreSQL.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../access'
import * as people from '../../db/people.server'
import { createBoard, openRawSocket } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, withDatabase } from '../support/fixtures'
import { startTestServer } from '../support/server'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Runs `npm run admin -- …` the way npm would (Node with tsx), against `db`. */
function admin(db: TestDatabase, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: db.dataDir, ...(db.url ? { DATABASE_URL: db.url } : { DATABASE_URL: '' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

describe('admin CLI', () => {
  const dbs: TestDatabase[] = []
  afterAll(async () => {
    for (const db of dbs) await db.drop()
  })

  it('create refuses an address that is already registered unless --reset-password', async () => {
    const db = await createTestDatabase('pglite')
    dbs.push(db)
    expect((await admin(db, 'create', '--email', 'It@Kommune.example', '--password', 'erstes-passwort-123')).code).toBe(0)
    const again = await admin(db, 'create', '--email', 'it@kommune.example', '--password', 'zweites-passwort-456')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already registered')
    expect(again.stderr).toContain('--reset-password')
    await withDatabase(db, async (sql) => {
      expect(await verifyPassword((await people.findPersonByEmail(sql, 'it@kommune.example'))!.passwordHash, 'erstes-passwort-123')).toBe(true)
    })
    expect((await admin(db, 'create', '--email', 'it@kommune.example', '--password', 'zweites-passwort-456', '--reset-password')).code).toBe(0)
    await withDatabase(db, async (sql) => {
      expect(await verifyPassword((await people.findPersonByEmail(sql, 'it@kommune.example'))!.passwordHash, 'zweites-passwort-456')).toBe(true)
    })
  })

  it('issues, lists and revokes tokens; a revocation closes the token’s open socket on a running server (PostgreSQL NOTIFY)', async () => {
    const db = await createTestDatabase('postgres')
    dbs.push(db)
    const server = await startTestServer(db)
    try {
      const editor = await makeEditor(server.db.sql)
      const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
      const issued = await admin(db, 'token', '--email', editor.person.email, '--label', 'Fachverfahren', '--days', '7')
      expect(issued.code).toBe(0)
      const token = issued.stdout.trim().split('\n').at(-1)!
      const id = /id ([0-9a-f-]{36})/.exec(issued.stdout)![1]
      expect(issued.stdout).toContain('valid until')

      const listed = await admin(db, 'tokens', '--email', editor.person.email)
      expect(listed.stdout).toMatch(new RegExp(`${id}\\s+active\\s+"Fachverfahren"`))
      expect(listed.stdout).not.toContain(token)

      const ws = await openRawSocket(server.url, boardId, token)
      const closed = new Promise<number>((resolve) => ws.once('close', () => resolve(Date.now())))
      const revoked = await admin(db, 'revoke-token', '--id', id)
      const revokedAt = Date.now()
      expect(revoked.code).toBe(0)
      expect((await closed) - revokedAt).toBeLessThan(1000)
      expect((await admin(db, 'tokens', '--email', editor.person.email)).stdout).toMatch(new RegExp(`${id}\\s+revoked`))
      expect((await admin(db, 'revoke-token', '--id', id)).code).toBe(1)
    } finally {
      await server.close()
    }
  })
})
