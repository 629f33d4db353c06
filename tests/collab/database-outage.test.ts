/**
 * PostgreSQL unreachable mid-session (a real outage: a TCP proxy between the server and the
 * real PostgreSQL is cut): the room stays live in degraded mode — clients keep syncing with
 * each other, /healthz says degraded, clients are told "not yet saved" — held updates are
 * bounded (past the bound edits are refused and their senders told), and once the database is
 * back every edit, refused ones included, is stored. Nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import * as Y from 'yjs'
import { listenForNotices } from '../../collab/notice-client'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { Notice } from '../../collab/protocol'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { healthHeaders, startTestServer } from '../support/server'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'

/** How long the database stays away (the issue says 30 s; OUTAGE_SECONDS=30 runs that). */
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 6) * 1000
const MAX_UNSAVED_BYTES = 32 * 1024
const silent = { error: () => {} }

type Health = { status: string; db: string; unsaved: { boards: number; updates: number; bytes: number } }

describe('PostgreSQL outage: degraded mode', () => {
  let db: TestDatabase
  let proxy: TcpProxy
  let direct: postgres.Sql
  let server: RunningServer
  let municipalityId: string
  let token: string
  const clients: Client[] = []

  const health = async () => (await (await fetch(`${server.url}/healthz`, { headers: healthHeaders })).json()) as Health
  /** The board as stored, read straight from PostgreSQL (not through the proxy). */
  const stored = async (boardId: string) => (await loadBoardDoc(direct as never, boardId, silent)).doc.getMap('tl_records')
  const client = async (boardId: string) => {
    const person = await makePerson(server.db.sql, 'Teilnehmerin', [{ role: 'participant', municipalityId }])
    const c = connectClient(server.url, boardId, person.token)
    const notices: Notice[] = []
    listenForNotices(c.provider, (n) => notices.push(n))
    clients.push(c)
    await c.synced
    return { ...c, notices }
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    const url = new URL(db.url!)
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    direct = postgres(db.url!, { max: 1, onnotice: () => {} })
    const viaProxy = new URL(db.url!)
    viaProxy.port = String(proxy.port)
    server = await startTestServer({ ...db, url: viaProxy.toString() }, { MAX_UNSAVED_BYTES: String(MAX_UNSAVED_BYTES) })
    ;({ municipalityId, token } = await makeEditor(server.db.sql))
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    proxy?.restore()
    await server?.close()
    await proxy?.close()
    await direct?.end()
    await db?.drop()
  })

  it(`keeps the room live while the database is away (${OUTAGE_MS / 1000} s) and stores every edit when it returns`, async () => {
    const boardId = await createBoard(server.url, token, municipalityId)
    const [a, b, c] = [await client(boardId), await client(boardId), await client(boardId)]
    a.doc.getMap('tl_records').set('shape:before', { before: true })
    await waitFor(async () => (await stored(boardId)).has('shape:before'), 'edit before the outage stored')

    proxy.cut()
    const writers = [a, b, c]
    let round = 0
    const started = Date.now()
    let sawDegraded = false
    while (Date.now() - started < OUTAGE_MS) {
      writers.forEach((w, i) => w.doc.getMap('tl_records').set(`shape:w${i}-${round}`, { round }))
      round++
      await new Promise((r) => setTimeout(r, 100))
      if (!sawDegraded && round % 5 === 0) sawDegraded = (await health()).status === 'degraded'
    }
    const expected = 1 + writers.length * round

    // During the outage: clients converge with each other, healthz says degraded, clients were told.
    for (const w of writers) await waitFor(() => w.doc.getMap('tl_records').size === expected, 'clients converge during the outage')
    const during = await health()
    expect(sawDegraded || during.status === 'degraded').toBe(true)
    expect(during.status).toBe('degraded')
    expect(during.db).toBe('down')
    expect(during.unsaved.updates).toBeGreaterThan(0)
    for (const w of writers) expect(w.notices).toContainEqual({ kind: 'not-saved' })
    expect((await stored(boardId)).size).toBe(1)

    proxy.restore()
    await waitFor(async () => (await health()).status === 'ok', 'healthz ok again', 15_000)
    expect((await health()).unsaved).toEqual({ boards: 0, updates: 0, bytes: 0 })
    for (const w of writers) await waitFor(() => w.notices.some((n) => n.kind === 'saved'), 'clients told: saved')
    const after = await stored(boardId)
    expect(after.size).toBe(expected)
    expect(after.toJSON()).toEqual(a.doc.getMap('tl_records').toJSON())
  })

  it('past MAX_UNSAVED_BYTES refuses new edits and tells the sender; after the outage they are stored too', async () => {
    const boardId = await createBoard(server.url, token, municipalityId)
    const [big, other] = [await client(boardId), await client(boardId)]

    proxy.cut()
    const chunk = 'x'.repeat(4 * 1024)
    let written = 0
    while (!big.notices.some((n) => n.kind === 'refused') && written < 40) {
      big.doc.getMap('tl_records').set(`shape:big${written++}`, chunk)
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(big.notices).toContainEqual({ kind: 'refused', reason: 'unsaved-limit' })
    const h = await health()
    expect(h.unsaved.bytes).toBeLessThanOrEqual(MAX_UNSAVED_BYTES)
    // The refused edits were not fanned out; the held ones were.
    await waitFor(() => other.doc.getMap('tl_records').size > 0, 'held edits reach the other client')
    expect(other.doc.getMap('tl_records').size).toBeLessThan(written)

    proxy.restore()
    await waitFor(async () => (await stored(boardId)).size === written, 'every edit, refused ones included, stored', 15_000)
    await waitFor(() => other.doc.getMap('tl_records').size === written, 'the other client has every edit')
    expect(Y.encodeStateVector(other.doc)).toEqual(Y.encodeStateVector(big.doc))
    await waitFor(async () => (await health()).status === 'ok', 'healthz ok again')
  })
})
