/**
 * Two installations (each its own database) on one Redis with different REDIS_PREFIX settings
 * do not hear each other: neither socket.io's broadcasts and counts nor a board's updates —
 * even for a board with the same id in both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { Sql } from '../../db/client.server'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestRedis, type TestRedis } from '../support/redis'
import { startChildServer, type ChildServer } from '../support/server'

type Installation = { db: TestDatabase; server: ChildServer; sql: Sql; editor: Awaited<ReturnType<typeof makeEditor>> }

describe('REDIS_PREFIX', () => {
  let redis: TestRedis
  const installations: Installation[] = []
  const sockets: Socket[] = []
  const clients: Client[] = []

  beforeAll(async () => {
    redis = await startTestRedis()
    for (const prefix of ['kreis-eins', 'kreis-zwei']) {
      const db = await createTestDatabase('postgres')
      const server = await startChildServer(db, { REDIS_URL: redis.url, REDIS_PREFIX: prefix })
      const sql = postgres(db.url!, { max: 2, onnotice: () => {} }) as unknown as Sql
      installations.push({ db, server, sql, editor: await makeEditor(sql) })
    }
  }, 60_000)
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    for (const c of clients) c.destroy()
    for (const { server } of installations) if (server.process.exitCode === null) server.process.kill('SIGTERM')
    await Promise.all(installations.map((i) => i.server.exited))
    for (const i of installations) {
      await (i.sql as unknown as postgres.Sql).end()
      await i.db.drop()
    }
    await redis?.stop()
  })

  it('socket.io counts and broadcasts stay within one installation', async () => {
    const counts = installations.map(() => [] as number[])
    const watch = (i: number) => {
      const socket = connectSocketIo(installations[i].server.url, { transports: ['websocket'], forceNew: true, auth: { token: installations[i].editor.token } })
      socket.on('presence:count', ({ count }: { count: number }) => counts[i].push(count))
      sockets.push(socket)
      return socket
    }
    watch(0)
    await waitFor(() => counts[0].at(-1) === 1, 'the first installation counts its one socket')
    watch(1)
    watch(1)
    await waitFor(() => counts[1].at(-1) === 2, 'the second installation counts its two sockets')
    await new Promise((r) => setTimeout(r, 500))
    // With one prefix the first installation would count (and be told about) the second's sockets.
    expect(counts[0]).toEqual([1])
  })

  it('a board with the same id in both installations gets only its own installation’s updates', async () => {
    const [one, two] = installations
    const boardId = await createBoard(one.server.url, one.editor.token, one.editor.municipalityId)
    await two.sql`insert into boards (id, title, municipality_id) values (${boardId}, 'Gleiche Id', ${two.editor.municipalityId})`
    const writer = connectClient(one.server.url, boardId, one.editor.token)
    const readerHere = connectClient(one.server.url, boardId, one.editor.token)
    const readerThere = connectClient(two.server.url, boardId, two.editor.token)
    clients.push(writer, readerHere, readerThere)
    await Promise.all([writer.synced, readerHere.synced, readerThere.synced])
    writer.doc.getMap('tl_records').set('shape:eins', { from: 'kreis-eins' })
    await waitFor(() => readerHere.doc.getMap('tl_records').has('shape:eins'), 'the update reaches a client of the same installation')
    await new Promise((r) => setTimeout(r, 500))
    expect(readerThere.doc.getMap('tl_records').has('shape:eins')).toBe(false)
  })
})
