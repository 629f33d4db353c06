/**
 * Private mode: participant A's notes live in A's private layer, so participant B's raw
 * websocket on the board never receives their bytes — and B cannot open A's layer — until the
 * lecturer reveals them; then everyone has them and the layer is empty. Only a lecturer can
 * start or end (reveal) it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import type { RunningServer } from '../../server/app'
import { connectClient, openRawSocket, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const SECRET = 'GEHEIM-Notiz-von-A-7f3c'
const note = {
  id: 'shape:secret-a',
  typeName: 'shape',
  type: 'note',
  parentId: 'page:page',
  x: 10,
  y: 10,
  props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: SECRET }] }] } },
}

describe('private mode', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let sessionId: string
  let boardId: string
  const sockets: Socket[] = []
  const clients: Client[] = []
  const raws: WebSocket[] = []

  const socketOf = (person: TestPerson) => {
    const s = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    sockets.push(s)
    return (event: string, payload: unknown) => s.timeout(5000).emitWithAck(event, payload)
  }
  const boardState = async (id: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(id))
    return doc.getMap('tl_records')
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    boardId = world.board.hamm.id
    const opened = await socketOf(world.person.lecturer)('session:open', { courseId: world.course.id, title: 'Modul 1 – Ideen sammeln' })
    sessionId = opened.session.id
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    for (const c of clients) c.destroy()
    for (const r of raws) r.close()
    await server?.close()
    await db?.drop()
  })

  it('hides A’s notes from B until the lecturer reveals them; then everyone has them', async () => {
    const lecturer = socketOf(world.person.lecturer)
    const a = socketOf(world.person.participantHamm)
    const b = socketOf(world.person.mediatorHamm)
    expect(await a('private:layer', { sessionId, boardId })).toEqual({ ok: false, error: 'invalid' })
    expect(await a('private:start', { sessionId, boardId })).toEqual({ ok: false, error: 'forbidden' })
    expect(await lecturer('private:start', { sessionId, boardId: world.board.herne.id })).toEqual({ ok: false, error: 'forbidden' })
    expect(await lecturer('private:start', { sessionId, boardId })).toEqual({ ok: true })

    // B listens to the board on a raw socket and keeps every byte it receives.
    const received: Buffer[] = []
    const raw = await openRawSocket(server.url, boardId, world.person.mediatorHamm.token)
    raws.push(raw)
    raw.on('message', (data: Buffer) => received.push(Buffer.from(data)))
    const bBoard = connectClient(server.url, boardId, world.person.mediatorHamm.token)
    clients.push(bBoard)
    await bBoard.synced

    const layerA = await a('private:layer', { sessionId, boardId })
    const layerB = await b('private:layer', { sessionId, boardId })
    expect(layerA.ok && layerB.ok).toBe(true)
    expect(layerA.layerId).not.toBe(layerB.layerId)
    expect((await a('private:layer', { sessionId, boardId })).layerId).toBe(layerA.layerId)

    const aLayer = connectClient(server.url, layerA.layerId, world.person.participantHamm.token)
    clients.push(aLayer)
    await aLayer.synced
    aLayer.doc.getMap('tl_records').set(note.id, note)
    await waitFor(async () => (await boardState(layerA.layerId)).has(note.id), 'A’s note is stored in A’s layer')

    // B cannot open A's layer; the lecturer can read it.
    await expect(openRawSocket(server.url, layerA.layerId, world.person.mediatorHamm.token)).rejects.toThrow(/403/)
    const lecturerView = connectClient(server.url, layerA.layerId, world.person.lecturer.token)
    clients.push(lecturerView)
    await waitFor(() => lecturerView.doc.getMap('tl_records').has(note.id), 'the lecturer reads A’s layer')

    // A sentinel on the board proves B's socket is live and caught up; the secret never came.
    await server.rooms.edit(boardId, (doc) => doc.getMap('tl_records').set('shape:sentinel', { id: 'shape:sentinel' }))
    await waitFor(() => Buffer.concat(received).includes('shape:sentinel'), 'B receives board changes')
    expect(Buffer.concat(received).includes(SECRET)).toBe(false)
    expect((await boardState(boardId)).has(note.id)).toBe(false)

    expect(await a('private:reveal', { sessionId, boardId })).toEqual({ ok: false, error: 'forbidden' })
    expect(Buffer.concat(received).includes(SECRET)).toBe(false)
    expect(await lecturer('private:reveal', { sessionId, boardId })).toEqual({ ok: true, revealed: 1 })
    await waitFor(() => Buffer.concat(received).includes(SECRET), 'B receives A’s note after the reveal')
    await waitFor(() => bBoard.doc.getMap('tl_records').has(note.id), 'B’s board has the note')
    expect(bBoard.doc.getMap('tl_records').get(note.id)).toEqual(note)
    expect((await boardState(layerA.layerId)).has(note.id)).toBe(false)
    await waitFor(() => !aLayer.doc.getMap('tl_records').has(note.id), 'A’s layer is emptied')
    expect(await a('private:layer', { sessionId, boardId })).toEqual({ ok: false, error: 'invalid' })
  })
})
