/**
 * socket.io events are rate-limited per connection like the Yjs endpoint (issue 16): over the
 * token bucket an event is not run but answered `too_many` at once — never left hanging — and
 * the connection recovers once the bucket refills; another connection is not affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { RunningServer } from '../../server/app'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('socket.io per-connection rate limit', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  let boardId: string
  const sockets: Socket[] = []
  const connect = () => {
    const s = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: editor.token } })
    sockets.push(s)
    return s
  }
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { LIVE_EVENTS_PER_SECOND: '10', LIVE_EVENT_BURST: '20' })
    editor = await makeEditor(server.db.sql)
    boardId = await createBoard(server.url, editor.token, editor.municipalityId)
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('answers a flood of board:join with too_many beyond the burst, every event answered, and recovers', async () => {
    const socket = connect()
    const started = Date.now()
    const replies = await Promise.all(Array.from({ length: 300 }, () => socket.timeout(5000).emitWithAck('board:join', { boardId })))
    expect(Date.now() - started).toBeLessThan(5000)
    const ok = replies.filter((r) => r.ok).length
    const refused = replies.filter((r) => !r.ok && r.error === 'too_many').length
    expect(ok + refused).toBe(300)
    expect(ok).toBeGreaterThanOrEqual(20)
    expect(ok).toBeLessThan(40)
    // Another connection is not slowed by this one's flood.
    expect((await connect().timeout(5000).emitWithAck('board:join', { boardId })).ok).toBe(true)
    // After a moment the bucket has refilled.
    await new Promise((r) => setTimeout(r, 500))
    expect((await socket.timeout(5000).emitWithAck('board:join', { boardId })).ok).toBe(true)
  })
})
