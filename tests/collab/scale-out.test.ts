/**
 * Two server processes on one Redis and one PostgreSQL database, with real clients on each:
 * they converge, the database holds exactly what the clients see, each update is stored once,
 * and when Redis goes away and comes back both processes keep serving and then converge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { io as connectEvents, type Socket } from 'socket.io-client'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { countLogRows } from '../../db/board-documents.server'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestRedis, type TestRedis } from '../support/redis'
import { healthHeaders, startChildServer, type ChildServer } from '../support/server'
import { makeEditor } from '../support/fixtures'

type Health = { status: string; redis?: string }

describe('several processes on one Redis', () => {
  let redis: TestRedis
  let db: TestDatabase
  let sql: postgres.Sql
  let first: ChildServer
  let second: ChildServer
  const clients: Client[] = []
  const sockets: Socket[] = []
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const client = (server: ChildServer, boardId: string) => {
    const c = connectClient(server.url, boardId, editor.token)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    redis = await startTestRedis()
    // Two processes cannot share the embedded database: these tests always use PostgreSQL.
    db = await createTestDatabase('postgres')
    // The first process creates the schema; the second then finds it migrated.
    const env = { REDIS_URL: redis.url, COMPACT_AFTER_UPDATES: '100000' }
    first = await startChildServer(db, env)
    second = await startChildServer(db, env)
    sql = postgres(db.url!, { max: 2, onnotice: () => {} })
    editor = await makeEditor(sql as never)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    for (const s of sockets) s.disconnect()
    for (const server of [first, second]) if (server && server.process.exitCode === null) server.process.kill('SIGTERM')
    await Promise.all([first?.exited, second?.exited])
    await sql?.end()
    await redis?.stop()
    await db?.drop()
  })

  const records = (c: Client) => c.doc.getMap('tl_records')
  const health = async (server: ChildServer) => (await (await fetch(`${server.url}/healthz`, { headers: healthHeaders })).json()) as Health
  async function storedDoc(boardId: string): Promise<Y.Doc> {
    return (await loadBoardDoc(sql as never, boardId, { error: () => {} })).doc
  }
  async function storedRows(boardId: string): Promise<number> {
    return countLogRows(sql as never, boardId)
  }
  /** Writes `count` one-shape updates straight into the board's log, as if edited earlier. */
  async function seedUpdateLog(boardId: string, count: number) {
    const doc = new Y.Doc()
    const rows: { board_id: string; update: Buffer }[] = []
    doc.on('update', (update: Uint8Array) => rows.push({ board_id: boardId, update: Buffer.from(update) }))
    for (let i = 0; i < count; i++) doc.getMap('tl_records').set(`shape:seed-${i}`, { i })
    await sql`insert into board_updates ${sql(rows, 'board_id', 'update')}`
    doc.destroy()
  }

  it('clients on two processes converge, a process joining a busy room misses nothing, and each update is stored exactly once', async () => {
    const boardId = await createBoard(first.url, editor.token, editor.municipalityId)
    // A long update log makes loading the room take a while on the second process.
    await seedUpdateLog(boardId, 3000)
    const writerOnFirst = client(first, boardId)
    await writerOnFirst.synced

    // The writer keeps editing while the second process loads the room for its first client:
    // updates committed during that load must reach the second process through the bus buffer.
    let readerSynced = false
    const writing = (async () => {
      for (let i = 0; i < 120; i++) {
        records(writerOnFirst).set(`shape:first-${i}`, { i })
        await new Promise((r) => setTimeout(r, readerSynced ? 0 : 3))
      }
    })()
    await new Promise((r) => setTimeout(r, 20))
    const readerOnSecond = client(second, boardId)
    await readerOnSecond.synced
    readerSynced = true
    await writing
    for (let i = 0; i < 40; i++) records(readerOnSecond).set(`shape:second-${i}`, { i })
    const readerOnFirst = client(first, boardId)

    const everyone = [writerOnFirst, readerOnSecond, readerOnFirst]
    await waitFor(() => everyone.every((c) => records(c).size === 3160), 'all three clients hold all 3160 shapes', 15_000)
    const expected = records(writerOnFirst).toJSON()
    for (const c of everyone) expect(records(c).toJSON()).toEqual(expected)

    // PostgreSQL holds the same document, written by the process that received each edit — once.
    await waitFor(async () => (await storedRows(boardId)) >= 3160, 'every update is stored')
    const stored = await storedDoc(boardId)
    expect(stored.getMap('tl_records').toJSON()).toEqual(expected)
    expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(writerOnFirst.doc))
    // 3000 seeded rows plus 160 client transactions: a process that received an update from its peer did not store it again.
    expect(await storedRows(boardId)).toBe(3160)
  })

  it('awareness and the socket.io presence count reach clients on the other process', async () => {
    const boardId = await createBoard(first.url, editor.token, editor.municipalityId)
    const onFirst = client(first, boardId)
    const onSecond = client(second, boardId)
    await Promise.all([onFirst.synced, onSecond.synced])
    // The room stamps the signed-in name into every state (issue 16): makeEditor's person is 'Bearbeiterin'.
    onFirst.provider.awareness.setLocalStateField('user', { name: 'Bearbeiterin' })
    await waitFor(
      () => [...onSecond.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Bearbeiterin'),
      'the client on the second process sees the cursor of the client on the first',
    )
    onFirst.provider.awareness.setLocalState(null)
    await waitFor(() => ![...onSecond.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Bearbeiterin'), 'and sees it go away')

    const counts: number[] = []
    const events = (server: ChildServer) => {
      const socket = connectEvents(server.url, { path: '/socket.io', transports: ['websocket'], forceNew: true, auth: { token: editor.token } })
      sockets.push(socket)
      return socket
    }
    const watcher = events(first)
    watcher.on('presence:count', ({ count }: { count: number }) => counts.push(count))
    await waitFor(() => counts.at(-1) === 1, 'one person connected')
    const other = events(second)
    await waitFor(() => counts.at(-1) === 2, 'a connection on the other process is counted and announced')
    other.disconnect()
    await waitFor(() => counts.at(-1) === 1, 'and its departure too')
  })

  it('with Redis stopped each process keeps serving its own clients and reports degraded; when Redis returns they converge', async () => {
    const boardId = await createBoard(first.url, editor.token, editor.municipalityId)
    const [a1, a2] = [client(first, boardId), client(first, boardId)]
    const [b1, b2] = [client(second, boardId), client(second, boardId)]
    const everyone = [a1, a2, b1, b2]
    await Promise.all(everyone.map((c) => c.synced))
    records(a1).set('shape:before', { by: 'a1' })
    await waitFor(() => everyone.every((c) => records(c).has('shape:before')), 'an edit crosses while Redis is up')
    expect(await health(first)).toMatchObject({ status: 'ok', redis: 'up' })

    await redis.stop()
    await waitFor(async () => (await health(first)).status === 'degraded' && (await health(second)).status === 'degraded', 'both report degraded', 10_000)
    const report = await health(second)
    expect(report.redis).toBe('down')

    for (let i = 0; i < 20; i++) records(a1).set(`shape:a-${i}`, { i })
    for (let i = 0; i < 20; i++) records(b1).set(`shape:b-${i}`, { i })
    await waitFor(() => records(a2).has('shape:a-19') && records(b2).has('shape:b-19'), 'each process still serves its own clients')
    // Nothing crosses while Redis is away: what follows is the resynchronisation's doing.
    expect(records(a2).has('shape:b-0') || records(b2).has('shape:a-0')).toBe(false)

    await redis.start()
    await waitFor(async () => (await health(first)).status === 'ok' && (await health(second)).status === 'ok', 'both healthy again', 15_000)
    await waitFor(() => everyone.every((c) => records(c).size === 41), 'all four clients hold all 41 shapes', 15_000)
    const expected = records(a1).toJSON()
    for (const c of everyone) expect(records(c).toJSON()).toEqual(expected)
    // And the live bus works again.
    records(b2).set('shape:after', { by: 'b2' })
    await waitFor(() => records(a1).has('shape:after'), 'an edit crosses after Redis returned')
    const stored = await storedDoc(boardId)
    expect(stored.getMap('tl_records').toJSON()).toEqual(records(b2).toJSON())
    expect(await storedRows(boardId)).toBe(42)
  })
})
