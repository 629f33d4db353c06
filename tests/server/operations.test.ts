/**
 * Small things an IT operator runs into: `seed:demo` run twice adds nothing twice; a restore of
 * a missing file says so in one sentence; the API names the field of an invalid body; invitation
 * links from the API are absolute on PUBLIC_URL.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { seedDemo } from '../../server/demo-data'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const root = fileURLToPath(new URL('../..', import.meta.url))

function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

describe('operations', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { PUBLIC_URL: 'https://werkraum.kommune.example/' })
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const count = async (table: string) => Number((await server.db.sql.unsafe(`select count(*) as n from ${table}`))[0].n)

  it('seeding the demo round twice creates it once: same courses, boards, people, roles, teams', async () => {
    const tables = ['courses', 'course_modules', 'municipalities', 'course_teams', 'boards', 'people', 'memberships']
    const first = await seedDemo(server.db.sql)
    expect(first.created).toBe(true)
    const after = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const)))
    const second = await seedDemo(server.db.sql)
    expect(second).toEqual({ courseId: first.courseId, created: false })
    expect(Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const)))).toEqual(after)
  })

  it('the API names the field of an invalid body, in German and English', async () => {
    const post = (lang: string) =>
      fetch(`${server.url}/api/v1/municipalities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.person.administrator.token}`, 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify({ name: 'Neustadt', kind: 'Dorf' }),
      })
    const german = await post('de')
    expect(german.status).toBe(400)
    const body = (await german.json()) as { error: { code: string; message: string; details: string[] } }
    expect(body.error.code).toBe('invalid_body')
    expect(body.error.message).toBe('Die Angaben sind unvollständig oder ungültig (Feld: kind).')
    expect(body.error.details[0]).toMatch(/^kind: .*Stadt.*Kreis.*Gemeinde/)
    expect(((await (await post('en')).json()) as { error: { message: string } }).error.message).toBe('The input is incomplete or invalid (field: kind).')
  })

  it('an invitation link from the API is absolute on PUBLIC_URL', async () => {
    const res = await fetch(`${server.url}/api/v1/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.person.administrator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'neu@kommune.example', role: 'coordinator' }),
    })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { link: string }).link).toMatch(/^https:\/\/werkraum\.kommune\.example\/einladung\/[A-Za-z0-9_-]+$/)
  })

  it('a restore of a file that is not there says so in one sentence, without a stack trace, and changes nothing', async () => {
    const result = await runScript('scripts/backup.ts', ['restore', '/tmp/gibt-es-nicht.werkraum-backup'], { DATA_DIR: db.dataDir })
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(
      'Die Sicherungsdatei /tmp/gibt-es-nicht.werkraum-backup gibt es nicht; prüfen Sie Pfad und Namen (ls *.werkraum-backup). Es wurde nichts verändert. / The backup file /tmp/gibt-es-nicht.werkraum-backup does not exist; check its path and name. Nothing was changed.',
    )
  })
})
