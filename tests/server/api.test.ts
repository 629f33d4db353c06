/** The board JSON API and /healthz against the real server and database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

describe('board API and health', () => {
  let db: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/v1/boards`, { method: 'POST', headers: { 'content-type': contentType }, body })
  const boardCount = async () => ((await (await fetch(`${server.url}/api/v1/boards`)).json()) as { boards: unknown[] }).boards.length

  it('creates a board, lists it and returns it by id', async () => {
    const res = await post(JSON.stringify({ title: '  Konfliktlandkarte Hamm ' }))
    expect(res.status).toBe(201)
    const board = (await res.json()) as { id: string; title: string; createdAt: string }
    expect(board.title).toBe('Konfliktlandkarte Hamm')
    expect(res.headers.get('location')).toBe(`/api/v1/boards/${board.id}`)

    const list = (await (await fetch(`${server.url}/api/v1/boards`)).json()) as { boards: { id: string }[] }
    expect(list.boards.map((b) => b.id)).toContain(board.id)
    const one = await fetch(`${server.url}/api/v1/boards/${board.id}`)
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
  ])('%s → 400 with a JSON error, nothing written', async (_name, body, code) => {
    const before = await boardCount()
    const res = await post(body)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
    expect(await boardCount()).toBe(before)
  })

  it('answers 404 for an unknown or malformed board id', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', "1' or '1'='1"]) {
      const res = await fetch(`${server.url}/api/v1/boards/${encodeURIComponent(id)}`)
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    }
  })

  it('reports health with the database state and version', async () => {
    const res = await fetch(`${server.url}/healthz`)
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
      const res = await fetch(`${server.url}/healthz`)
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
      const report = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; warnings: string[] }
      expect(report.status).toBe('ok')
      expect(report.warnings.some((w) => w.startsWith('tldraw_license_missing'))).toBe(warns)
    } finally {
      await server.close()
      await db.drop()
    }
  })
})
