/**
 * Sockets end with the sign-in they were opened with (issue 16): sign-out, a password reset, an
 * expired session and a revoked token close that session's Yjs websockets and socket.io sockets —
 * and only those — on this process and, through Redis, on another process.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import WebSocket from 'ws'
import { startSession } from '../../access'
import { issuePasswordReset } from '../../access/password-reset.server'
import { revokeAccessToken } from '../../db/people.server'
import type { Sql } from '../../db/client.server'
import type { RunningServer } from '../../server/app'
import { createBoard, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson, type TestPerson } from '../support/fixtures'
import { startTestRedis, type TestRedis } from '../support/redis'
import { startChildServer, startTestServer, type ChildServer } from '../support/server'

type Opened = { ws: WebSocket; closed: Promise<number>; io: Socket; ioGone: Promise<string> }

/** Opens a Yjs websocket and a socket.io socket (joined to the board) with the given headers. */
async function openBoth(url: string, boardId: string, headers: Record<string, string>, sockets: Socket[]): Promise<Opened> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/yjs/${boardId}`, { headers })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
  })
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  const io = connectSocketIo(url, { transports: ['websocket'], forceNew: true, extraHeaders: headers })
  sockets.push(io)
  const join = await io.timeout(5000).emitWithAck('board:join', { boardId })
  expect(join.ok).toBe(true)
  const ioGone = new Promise<string>((resolve) => io.once('disconnect', (reason) => resolve(reason)))
  return { ws, closed, io, ioGone }
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))])

/** A second session cookie of the same person. */
async function anotherSession(sql: Sql, person: TestPerson) {
  return (await startSession(sql, person.id, { secure: false })).split(';')[0]!
}

describe('sockets end with their session (one process)', () => {
  let db: TestDatabase
  let server: RunningServer
  let boardId: string
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const sockets: Socket[] = []
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { SESSION_RECHECK_SECONDS: '0.5' })
    editor = await makeEditor(server.db.sql)
    boardId = await createBoard(server.url, editor.token, editor.municipalityId)
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('sign-out closes the Yjs socket (4401) and the socket.io socket of that session, not those of another session', async () => {
    const person = await makePerson(server.db.sql, 'Abmelden', [{ role: 'participant', municipalityId: editor.municipalityId }])
    const signingOut = await openBoth(server.url, boardId, { cookie: person.cookie }, sockets)
    const otherCookie = await anotherSession(server.db.sql, person)
    const staying = await openBoth(server.url, boardId, { cookie: otherCookie }, sockets)

    const res = await fetch(`${server.url}/abmelden`, { method: 'POST', headers: { cookie: person.cookie }, redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(await within(signingOut.closed, 3000, 'the Yjs socket closing')).toBe(4401)
    expect(await within(signingOut.ioGone, 3000, 'socket.io disconnecting')).toBe('io server disconnect')
    // The other session's sockets stay and still work.
    await new Promise((r) => setTimeout(r, 300))
    expect(staying.ws.readyState).toBe(WebSocket.OPEN)
    expect((await staying.io.timeout(5000).emitWithAck('board:join', { boardId })).access).toBe('write')
    staying.ws.close()
  })

  it('a password reset closes the sockets of every session of the person', async () => {
    const person = await makePerson(server.db.sql, 'Zurücksetzen', [{ role: 'participant', municipalityId: editor.municipalityId }])
    const first = await openBoth(server.url, boardId, { cookie: person.cookie }, sockets)
    const second = await openBoth(server.url, boardId, { cookie: await anotherSession(server.db.sql, person) }, sockets)
    const { path } = await issuePasswordReset(server.db.sql, person.id, null)
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams({ password: 'ein-neues-langes-passwort-1', passwordRepeat: 'ein-neues-langes-passwort-1' }),
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    for (const opened of [first, second]) {
      expect(await within(opened.closed, 3000, 'the Yjs socket closing')).toBe(4401)
      expect(await within(opened.ioGone, 3000, 'socket.io disconnecting')).toBe('io server disconnect')
    }
  })

  it('an expired session and a revoked token close their sockets at the next re-check', async () => {
    const person = await makePerson(server.db.sql, 'Ablauf', [{ role: 'participant', municipalityId: editor.municipalityId }])
    const bySession = await openBoth(server.url, boardId, { cookie: person.cookie }, sockets)
    const byToken = await openBoth(server.url, boardId, { authorization: `Bearer ${person.token}` }, sockets)
    await server.db.sql`update sessions set expires_at = now() where person_id = ${person.id}`
    expect(await within(bySession.closed, 3000, 'the expired session’s Yjs socket closing')).toBe(4401)
    await within(bySession.ioGone, 3000, 'the expired session’s socket.io socket disconnecting')
    expect(byToken.ws.readyState).toBe(WebSocket.OPEN)

    const [token] = await server.db.sql<{ id: string }[]>`select id from access_tokens where person_id = ${person.id}`
    expect(await revokeAccessToken(server.db.sql, person.id, token!.id)).toBe(true)
    expect(await within(byToken.closed, 3000, 'the revoked token’s Yjs socket closing')).toBe(4401)
    await within(byToken.ioGone, 3000, 'the revoked token’s socket.io socket disconnecting')
  })
})

describe('sockets end with their session (two processes on PostgreSQL and Redis)', () => {
  let redis: TestRedis
  let db: TestDatabase
  let sql: postgres.Sql
  let first: ChildServer
  let second: ChildServer
  const sockets: Socket[] = []
  beforeAll(async () => {
    redis = await startTestRedis()
    db = await createTestDatabase('postgres')
    // No periodic re-check: only the message through Redis can close the other process's sockets.
    const env = { REDIS_URL: redis.url, SESSION_RECHECK_SECONDS: '0' }
    first = await startChildServer(db, env)
    second = await startChildServer(db, env)
    sql = postgres(db.url!, { max: 2, onnotice: () => {} })
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    for (const server of [first, second]) if (server && server.process.exitCode === null) server.process.kill('SIGTERM')
    await Promise.all([first?.exited, second?.exited])
    await sql?.end()
    await redis?.stop()
    await db?.drop()
  })

  it('signing out on one process closes that session’s sockets on the other', async () => {
    const editor = await makeEditor(sql as never)
    const boardId = await createBoard(first.url, editor.token, editor.municipalityId)
    const elsewhere = await openBoth(second.url, boardId, { cookie: editor.person.cookie }, sockets)
    const res = await fetch(`${first.url}/abmelden`, { method: 'POST', headers: { cookie: editor.person.cookie }, redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(await within(elsewhere.closed, 5000, 'the Yjs socket on the other process closing')).toBe(4401)
    expect(await within(elsewhere.ioGone, 5000, 'socket.io on the other process disconnecting')).toBe('io server disconnect')
    await waitFor(() => elsewhere.ws.readyState === WebSocket.CLOSED, 'closed')
  })
})
