/**
 * Personal access tokens through the API: issued with a name and an expiry, listed without
 * secrets, revoked by their owner only; revoking closes the Yjs and socket.io sockets opened
 * with that token within a second and leaves other sockets open; an expired token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import type { WebSocket } from 'ws'
import type { RunningServer } from '../../server/app'
import { setAccessTokenExpiry } from '../../db/access-tokens.server'
import { createBoard, openRawSocket } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('personal access tokens', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  let boardId: string
  const open: { close(): void }[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
    boardId = await createBoard(server.url, editor.token, editor.municipalityId)
  })
  afterAll(async () => {
    for (const s of open) s.close()
    await server?.close()
    await db?.drop()
  })

  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } })
  /** As the editor's signed-in browser session (tokens are issued only there). */
  const asSession = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, { ...init, headers: { cookie: editor.person.cookie, 'content-type': 'application/json', ...init.headers } })

  async function issue(name: string, expiresInDays: number | null = 30): Promise<{ id: string; token: string; expiresAt: string | null }> {
    const res = await asSession('/tokens', { method: 'POST', body: JSON.stringify({ name, expiresInDays }) })
    expect(res.status).toBe(201)
    return res.json()
  }

  function socketIo(token: string): Promise<Socket> {
    const socket = io(server.url, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, auth: { token } })
    open.push({ close: () => socket.disconnect() })
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket))
      socket.once('connect_error', reject)
    })
  }

  async function yjs(token: string): Promise<WebSocket> {
    const ws = await openRawSocket(server.url, boardId, token)
    open.push(ws)
    return ws
  }

  it('issues a named token with an expiry from a session (not from a token), lists it without its secret, and refuses a nameless one naming the field', async () => {
    const issued = await issue('Fachverfahren Bürgerbeteiligung', 30)
    expect(issued.token).toMatch(/^wr_pat_/)
    const days = (new Date(issued.expiresAt!).getTime() - Date.now()) / (24 * 3600 * 1000)
    expect(days).toBeGreaterThan(29.9)
    expect(days).toBeLessThanOrEqual(30)
    expect((await api('/me', issued.token)).status).toBe(200)

    const list = (await (await api('/tokens', editor.token)).json()) as { tokens: Record<string, unknown>[] }
    const listed = list.tokens.find((t) => t.id === issued.id)!
    expect(listed).toMatchObject({ name: 'Fachverfahren Bürgerbeteiligung', status: 'active' })
    expect(listed.lastUsedAt).not.toBeNull()
    expect(JSON.stringify(list)).not.toContain(issued.token)

    const nameless = await asSession('/tokens', { method: 'POST', body: JSON.stringify({ name: ' ' }) })
    expect(nameless.status).toBe(400)
    expect(((await nameless.json()) as { error: { message: string } }).error.message).toContain('(Feld: name)')

    // A token cannot mint more tokens (they would outlive its revocation).
    expect((await api('/tokens', issued.token, { method: 'POST', body: JSON.stringify({ name: 'Nachwuchs' }) })).status).toBe(403)
  })

  it('revoking a token closes the Yjs and socket.io sockets opened with it within a second; sockets of other tokens stay open; the token no longer works', async () => {
    const doomed = await issue('Skript', null)
    const doomedYjs = await yjs(doomed.token)
    const doomedEvents = await socketIo(doomed.token)
    const otherYjs = await yjs(editor.token)
    const otherEvents = await socketIo(editor.token)

    const yjsClosed = new Promise<{ code: number; at: number }>((resolve) => doomedYjs.once('close', (code) => resolve({ code, at: Date.now() })))
    const eventsClosed = new Promise<{ reason: string; at: number }>((resolve) => doomedEvents.once('disconnect', (reason) => resolve({ reason, at: Date.now() })))
    const revokedAt = Date.now()
    expect((await api(`/tokens/${doomed.id}`, editor.token, { method: 'DELETE' })).status).toBe(204)

    const [y, e] = await Promise.all([yjsClosed, eventsClosed])
    expect(y.code).toBe(1008)
    expect(y.at - revokedAt).toBeLessThan(1000)
    expect(e.reason).toBe('io server disconnect')
    expect(e.at - revokedAt).toBeLessThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(otherYjs.readyState).toBe(otherYjs.OPEN)
    expect(otherEvents.connected).toBe(true)

    expect((await api('/me', doomed.token)).status).toBe(401)
    await expect(socketIo(doomed.token)).rejects.toThrow('unauthorized')
    const list = (await (await api('/tokens', editor.token)).json()) as { tokens: { id: string; status: string }[] }
    expect(list.tokens.find((t) => t.id === doomed.id)?.status).toBe('revoked')
    expect((await api(`/tokens/${doomed.id}`, editor.token, { method: 'DELETE' })).status).toBe(404)
  })

  it('nobody revokes another person’s token; an expired token is refused and listed as expired', async () => {
    const mine = await issue('Abgelaufen')
    const stranger = await makePerson(server.db.sql, 'Fremde Person')
    expect((await api(`/tokens/${mine.id}`, stranger.token, { method: 'DELETE' })).status).toBe(404)
    expect((await api('/me', mine.token)).status).toBe(200)

    await setAccessTokenExpiry(server.db.sql, mine.id, new Date(Date.now() - 1000))
    expect((await api('/me', mine.token)).status).toBe(401)
    const list = (await (await api('/tokens', editor.token)).json()) as { tokens: { id: string; status: string }[] }
    expect(list.tokens.find((t) => t.id === mine.id)?.status).toBe('expired')
  })
})
