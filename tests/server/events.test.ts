/** socket.io shares the port with the Yjs endpoint and announces how many people are connected. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { connectClient, createBoard, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import { makeEditor } from '../support/fixtures'

describe('socket.io events', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const sockets: Socket[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  function connect(): { socket: Socket; counts: number[] } {
    const socket = io(server.url, { path: '/socket.io', transports: ['websocket'], forceNew: true, auth: { token: editor.token } })
    const counts: number[] = []
    socket.on('presence:count', ({ count }: { count: number }) => counts.push(count))
    sockets.push(socket)
    return { socket, counts }
  }

  it('announces the connection count to everyone as people come and go', async () => {
    const first = connect()
    await waitFor(() => first.counts.at(-1) === 1, 'first sees 1')
    const second = connect()
    await waitFor(() => first.counts.at(-1) === 2 && second.counts.at(-1) === 2, 'both see 2')
    second.socket.disconnect()
    await waitFor(() => first.counts.at(-1) === 1, 'first sees 1 again')
  })

  it('leaves Yjs websocket upgrades alone on the shared port', async () => {
    const { socket } = connect()
    await waitFor(() => socket.connected, 'socket.io connected over websocket')
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId)
    const a = connectClient(server.url, boardId, editor.token)
    const b = connectClient(server.url, boardId, editor.token)
    await Promise.all([a.synced, b.synced])
    a.doc.getMap('m').set('k', 'v')
    await waitFor(() => b.doc.getMap('m').get('k') === 'v', 'yjs still syncs')
    // Stay connected past socket.io's 1 s upgrade timeout: the Yjs sockets must survive it.
    await new Promise((r) => setTimeout(r, 1200))
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
    a.destroy()
    b.destroy()
  })
})
