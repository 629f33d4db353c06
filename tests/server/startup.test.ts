/**
 * Starting the real server process (server/index.ts) the way an operator does: each problem in
 * the environment stops it with exit code 78 and one German and one English sentence naming
 * the setting and the fix, before anything is written; a good start ends in one plain line.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, localPostgresUrl, type TestDatabase } from '../support/database'
import { freePort } from '../support/ports'
import { startChildServer } from '../support/server'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Runs the server with `env` until it exits (or 30 s pass); returns its exit code and output. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_DATA: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

describe('start-up checks', () => {
  let scratch: string
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-startup-'))
  })
  afterAll(async () => {
    await fs.rm(scratch, { recursive: true, force: true })
  })

  it('a taken port stops the start at once, naming PORT and the fix, and nothing is written to a new data folder', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    const dataDir = path.join(scratch, 'neu')
    try {
      const started = Date.now()
      const result = await runServer({ PORT: String(port), DATA_DIR: dataDir })
      expect(result.code).toBe(78)
      expect(result.stderr).toContain(`- PORT: Port ${port} auf 127.0.0.1 ist schon belegt`)
      expect(result.stderr).toContain('wählen Sie mit PORT einen freien Port')
      expect(result.stderr).toContain(`PORT: port ${port} on 127.0.0.1 is already in use`)
      expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(Date.now() - started).toBeLessThan(15_000)
      await expect(fs.access(dataDir)).rejects.toThrow()
    } finally {
      blocker.close()
    }
  })

  it('a data folder that is a file, or lies below a file, is refused naming DATA_DIR', async () => {
    const file = path.join(scratch, 'keine-ordner.txt')
    await fs.writeFile(file, 'x')
    const isFile = await runServer({ PORT: '0', DATA_DIR: file })
    expect(isFile.code).toBe(78)
    expect(isFile.stderr).toContain(`- DATA_DIR: ${file} ist eine Datei, kein Ordner`)
    expect(isFile.stderr).toContain(`DATA_DIR: ${file} is a file, not a folder`)

    const below = await runServer({ PORT: '0', DATA_DIR: path.join(file, 'daten') })
    expect(below.code).toBe(78)
    expect(below.stderr).toContain('- DATA_DIR: In ')
    expect(below.stderr).toContain('darf Werkraum nicht schreiben')
    expect(below.stderr).toContain('Werkraum may not write in')
  })

  it('an unreachable PostgreSQL and a missing database are named with the reason and the fix', async () => {
    const nobody = `postgres://postgres@127.0.0.1:${await freePort()}/werkraum`
    const refused = await runServer({ PORT: '0', DATA_DIR: scratch, DATABASE_URL: nobody })
    expect(refused.code).toBe(78)
    expect(refused.stderr).toMatch(/- DATABASE_URL: Unter 127\.0\.0\.1:\d+ antwortet kein PostgreSQL; starten Sie PostgreSQL/)
    expect(refused.stderr).toMatch(/DATABASE_URL: no PostgreSQL answers at 127\.0\.0\.1:\d+/)

    const missingUrl = new URL(localPostgresUrl)
    missingUrl.pathname = '/werkraum_gibt_es_nicht'
    const missing = await runServer({ PORT: '0', DATA_DIR: scratch, DATABASE_URL: missingUrl.toString() })
    expect(missing.code).toBe(78)
    expect(missing.stderr).toContain('- DATABASE_URL: Die Datenbank „werkraum_gibt_es_nicht“ gibt es auf 127.0.0.1:5432 nicht; legen Sie sie an (createdb')
    expect(missing.stderr).toContain('DATABASE_URL: the database "werkraum_gibt_es_nicht" does not exist')
  })

  it('an invalid setting exits with 78 naming it', async () => {
    const result = await runServer({ PORT: 'kein-port' })
    expect(result.code).toBe(78)
    expect(result.stderr).toContain('Werkraum kann nicht starten')
    expect(result.stderr).toContain('PORT')
  })

  it('a good start ends in one plain line saying where Werkraum runs and whom to sign in as', async () => {
    let db: TestDatabase | undefined
    const server = await (async () => {
      db = await createTestDatabase('pglite')
      return startChildServer(db, { WERKRAUM_ADMIN_EMAIL: 'it@kommune.example', WERKRAUM_ADMIN_PASSWORD: 'ein-gutes-passwort' })
    })()
    try {
      await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('Werkraum läuft:')
      expect(server.output()).toContain(`Werkraum läuft: ${server.url}  (Anmelden als it@kommune.example)\n`)
    } finally {
      server.process.kill('SIGTERM')
      await server.exited
      await db?.drop()
    }
  })
})
