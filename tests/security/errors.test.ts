/**
 * Errors tell nothing about the machine (issue 16): NODE_ENV=production reaches Express whatever
 * the process's NODE_ENV, no answer carries a stack trace or an absolute path (TRACE /, a
 * malformed percent-encoding, a path out of /assets), and every 500 is logged with the request
 * id the response carries.
 */
import http from 'node:http'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnv } from '../../server/env.server'
import { startServer, type RunningServer } from '../../server/app'
import { pathForLog } from '../../server/errors'
import { newSecret } from '../../access'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { serverEnv } from '../support/server'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** A raw request (fetch refuses TRACE), answered with status, headers and body. */
function request(url: string, method: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('error answers', () => {
  let db: TestDatabase
  let server: RunningServer
  const lines: Record<string, unknown>[] = []
  beforeAll(async () => {
    db = await createTestDatabase()
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) })
    // NODE_ENV=test, as in every test: Express must still behave as in production.
    server = await startServer(readEnv(serverEnv(db, { LOG_LEVEL: 'info' })), pino({ level: 'info' }, sink))
  })
  afterAll(async () => {
    await server?.close().catch(() => {})
    await db?.drop()
  })

  it.each([
    ['TRACE', '/', 405],
    ['GET', '/kommunen/%E0%A4%A', 400],
    ['GET', '/assets/..%2f..', 403],
    ['GET', '/assets/..%2f..%2fpackage.json', 403],
    ['GET', '/assets/missing-file.js', 404],
  ])('%s %s answers %i without a stack trace or a path, with a request id', async (method, path, status) => {
    const res = await request(`${server.url}${path}`, method)
    expect(res.status).toBe(status)
    expect(res.body).not.toMatch(/\bat .*\(|node_modules|Error:/)
    expect(res.body).not.toContain(root)
    expect(res.body).not.toContain('/work/')
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('logs a 500 of the API with the request id its answer carries', async () => {
    const editor = await makeEditor(server.db.sql)
    await server.db.sql.end({ timeout: 1 })
    const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${editor.token}` } })
    expect(res.status).toBe(500)
    const requestId = res.headers.get('x-request-id')
    expect(requestId).toBeTruthy()
    const body = (await res.json()) as { error: { code: string; requestId: string } }
    expect(body.error).toMatchObject({ code: 'internal', requestId })
    expect(JSON.stringify(body)).not.toContain(root)
    const logged = lines.filter((l) => l.requestId === requestId)
    expect(logged.some((l) => l.level === 50 && l.msg === 'api error' && (l.err as { stack?: string })?.stack)).toBe(true)
    expect(logged.some((l) => l.msg === 'request failed' && l.status === 500)).toBe(true)
  })

  it('logs paths without the secrets of reset and invitation links, keeping ids', () => {
    const secret = newSecret()
    expect(pathForLog(`/passwort/${secret}`)).toBe('/passwort/…')
    expect(pathForLog(`/einladung/${secret}`)).not.toContain(secret)
    expect(pathForLog('/boards/0b0f6c3e-1a2b-4c3d-8e9f-0123456789ab/export.pdf')).toBe('/boards/0b0f6c3e-1a2b-4c3d-8e9f-0123456789ab/export.pdf')
  })
})
