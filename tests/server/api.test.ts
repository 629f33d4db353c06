/** The board JSON API and /healthz against the real server and database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { healthHeaders, startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import { makeEditor } from '../support/fixtures'

describe('board API and health', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const auth = () => ({ authorization: `Bearer ${editor.token}` })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/v1/boards`, { method: 'POST', headers: { 'content-type': contentType, ...auth() }, body })
  const boardCount = async () =>
    ((await (await fetch(`${server.url}/api/v1/boards`, { headers: auth() })).json()) as { boards: unknown[] }).boards.length

  it('creates a board, lists it and returns it by id', async () => {
    const res = await post(JSON.stringify({ title: '  Konfliktlandkarte Hamm ', municipalityId: editor.municipalityId }))
    expect(res.status).toBe(201)
    const board = (await res.json()) as { id: string; title: string; createdAt: string }
    expect(board.title).toBe('Konfliktlandkarte Hamm')
    expect(res.headers.get('location')).toBe(`/api/v1/boards/${board.id}`)

    const list = (await (await fetch(`${server.url}/api/v1/boards`, { headers: auth() })).json()) as { boards: { id: string }[] }
    expect(list.boards.map((b) => b.id)).toContain(board.id)
    const one = await fetch(`${server.url}/api/v1/boards/${board.id}`, { headers: auth() })
    expect(one.status).toBe(200)
    expect(((await one.json()) as { title: string }).title).toBe('Konfliktlandkarte Hamm')
  })

  it.each([
    ['bad JSON', '{"title": ', 'invalid_json'],
    ['a missing title', '{}', 'invalid_body'],
    ['an empty title', '{"title": "   "}', 'invalid_body'],
    ['a title of the wrong type', '{"title": 42}', 'invalid_body'],
    ['a too long title', JSON.stringify({ title: 'x'.repeat(201) }), 'invalid_body'],
    ['a JSON array', '[]', 'invalid_body'],
    ['a malformed municipality id', '{"title": "x", "municipalityId": "nope"}', 'invalid_body'],
  ])('%s → 400 with a JSON error, nothing written', async (_name, body, code) => {
    const before = await boardCount()
    const withOwner = body.startsWith('{"title"') && !body.includes('municipalityId') ? body.replace('{', `{"municipalityId": "${editor.municipalityId}", `) : body
    const res = await post(withOwner)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
    expect(await boardCount()).toBe(before)
  })

  it('answers 404 for an unknown or malformed board id', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', "1' or '1'='1"]) {
      const res = await fetch(`${server.url}/api/v1/boards/${encodeURIComponent(id)}`, { headers: auth() })
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    }
  })

  it('refuses every endpoint without credentials, and with a wrong or malformed token, with 401', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wr_pat_wrong' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${editor.token}x` }]) {
      const res = await fetch(`${server.url}/api/v1/boards`, { headers })
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
  })

  it('answers errors in German by default and in English when asked', async () => {
    const de = await (await fetch(`${server.url}/api/v1/boards`)).json()
    const en = await (await fetch(`${server.url}/api/v1/boards`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).json()
    expect(de.error.message).toMatch(/Anmeldung/)
    expect(en.error.message).toMatch(/Sign-in/)
  })

  it('reports health with the database state and version', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: healthHeaders })
    expect(res.status).toBe(200)
    const report = (await res.json()) as Record<string, unknown>
    expect(report).toMatchObject({ status: 'ok', db: 'ok', database: db.kind === 'pglite' ? 'pglite' : 'postgres' })
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('serves the tldraw assets from the installation', async () => {
    const res = await fetch(`${server.url}/tldraw-assets/${(await import('@tldraw/assets/package.json')).version}/translations/de.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
  })

  it('refuses websocket upgrades on unknown paths', async () => {
    const { default: WebSocket } = await import('ws')
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`)
      ws.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0))
      ws.on('open', () => resolve(101))
      ws.on('error', () => {})
    })
    expect(status).toBe(404)
  })
})

describe('health when the database is gone', () => {
  it('answers 503 when the database does not answer', async () => {
    const db = await createTestDatabase()
    const server = await startTestServer(db)
    try {
      await server.db.sql.end({ timeout: 1 })
      const res = await fetch(`${server.url}/healthz`, { headers: healthHeaders })
      expect(res.status).toBe(503)
      expect(((await res.json()) as { db: string }).db).toBe('down')
    } finally {
      await server.close().catch(() => {})
      await db.drop()
    }
  })
})

describe('tldraw licence setting', () => {
  it.each([
    ['production without a key warns in /healthz', { NODE_ENV: 'production' }, true],
    ['production with a key does not warn', { NODE_ENV: 'production', TLDRAW_LICENSE_KEY: 'tldraw-2027-example-key' }, false],
  ])('%s', async (_name, extra, warns) => {
    const db = await createTestDatabase()
    const server = await startTestServer(db, extra as Record<string, string>)
    try {
      const report = (await (await fetch(`${server.url}/healthz`, { headers: healthHeaders })).json()) as { status: string; warnings: string[] }
      expect(report.status).toBe('ok')
      expect(report.warnings.some((w) => w.startsWith('tldraw_license_missing'))).toBe(warns)
    } finally {
      await server.close()
      await db.drop()
    }
  })
})
