/**
 * /metrics in Prometheus format: refused without the token (and absent without METRICS_TOKEN),
 * served on an internal listener (METRICS_PORT) without one; under a small load the request
 * histogram and the room and connection gauges move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const token = 'metrics-token-0123456789'

/** The value of one sample line (`name{labels} value`), summed over every line matching the name and label filter. */
function sample(text: string, name: string, labels: RegExp = /.*/): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => labels.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)
}

describe('/metrics', () => {
  let db: TestDatabase
  let server: RunningServer
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { METRICS_TOKEN: token, METRICS_PORT: '0' })
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    return res.text()
  }

  it('is refused without the right token, and served without one only on the internal listener', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer falsch-falsch-falsch-falsch' } })).status).toBe(401)
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const internal = await fetch(server.metricsUrl!)
    expect(internal.status).toBe(200)
    expect(await internal.text()).toContain('werkraum_rooms')
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/healthz'))).status).toBe(404)
  })

  it('under a small load the request histogram, rooms and connections move; process and event-loop metrics are there', async () => {
    const before = await scrape()
    expect(sample(before, 'werkraum_rooms')).toBe(0)
    expect(sample(before, 'werkraum_database_up')).toBe(1)
    expect(before).toContain('nodejs_eventloop_lag_p99_seconds')
    expect(before).toContain('process_resident_memory_bytes')

    const editor = await makeEditor(server.db.sql)
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
    for (let i = 0; i < 20; i++) await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${editor.token}` } })
    const a = connectClient(server.url, boardId, editor.token)
    const b = connectClient(server.url, boardId, editor.token)
    clients.push(a, b)
    await Promise.all([a.synced, b.synced])

    const after = await scrape()
    const apiCount = (text: string) => sample(text, 'werkraum_http_request_duration_seconds_count', /area="api"/)
    expect(apiCount(after) - apiCount(before)).toBeGreaterThanOrEqual(21)
    expect(sample(after, 'werkraum_http_request_duration_seconds_bucket', /^(?=.*area="api")(?=.*le="\+Inf")/)).toBe(apiCount(after))
    expect(sample(after, 'werkraum_http_request_duration_seconds_sum', /area="api"/)).toBeGreaterThan(0)
    expect(sample(after, 'werkraum_rooms')).toBe(1)
    expect(sample(after, 'werkraum_yjs_connections')).toBe(2)
    expect(sample(after, 'werkraum_database_ping_seconds_count')).toBeGreaterThan(sample(before, 'werkraum_database_ping_seconds_count'))
  })
})

describe('/metrics without METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const db = await createTestDatabase()
    const server = await startTestServer(db)
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404)
      expect(server.metricsUrl).toBeUndefined()
    } finally {
      await server.close()
      await db.drop()
    }
  })
})
