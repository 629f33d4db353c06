/**
 * Advancing a phase and ending the session record every group's boards and Systemdesign
 * document in the session, labelled "Modul 2 – Phase 2 – Akteursanalyse" (until the snapshot
 * store of issue 6 takes them over through `recordPhaseSnapshot`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listSnapshots, snapshotBoards } from '../../db/snapshots.server'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import * as Y from 'yjs'
import type { SessionView } from '../../collab/features/facilitation.server'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('phase snapshots', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let lecturer: Socket
  let drawing: Client

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    lecturer = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.lecturer.token } })
    drawing = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    await drawing.synced
  })
  afterAll(async () => {
    lecturer?.disconnect()
    drawing?.destroy()
    await server?.close()
    await db?.drop()
  })

  it('a phase change and the end record every group’s boards and documents under a module/phase label', async () => {
    const opened = await lecturer.timeout(5000).emitWithAck('session:open', {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2 – Konfliktanalyse',
      phases: [{ title: 'Ankommen' }, { title: 'Akteursanalyse' }],
    })
    const sessionId = opened.session.id as string
    drawing.doc.getMap('tl_records').set('shape:akteur', { id: 'shape:akteur', typeName: 'shape', type: 'geo' })
    await waitFor(async () => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, await server.rooms.currentState(world.board.hamm.id))
      return doc.getMap('tl_records').has('shape:akteur')
    }, 'the drawing reached the server')

    expect(await lecturer.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 1 } })).toEqual({ ok: true })
    let session = (await lecturer.timeout(5000).emitWithAck('session:join', { sessionId })).session as SessionView
    expect(session.state.snapshots).toHaveLength(1)
    const snapshot = session.state.snapshots[0]
    expect(snapshot).toMatchObject({ label: 'Modul 2 – Phase 2 – Akteursanalyse', kind: 'phase', takenBy: world.person.lecturer.id })
    const byBoard = new Map(snapshot.boards.map((b) => [b.boardId, b]))
    // Both groups' boards, the course board and both Systemdesign documents; never the outside municipality's board.
    for (const board of [world.board.hamm, world.board.duisburg, world.board.plenum]) expect(byBoard.has(board.id)).toBe(true)
    expect(snapshot.boards.filter((b) => b.kind === 'design').map((b) => b.municipalityId).sort()).toEqual([world.municipality.hamm.id, world.municipality.duisburg.id].sort())
    expect(byBoard.has(world.board.herne.id)).toBe(false)
    // The recorded state vector is the board's state at the phase change.
    expect(Buffer.from(byBoard.get(world.board.hamm.id)!.stateVector, 'base64')).toEqual(Buffer.from(Y.encodeStateVector(drawing.doc)))

    expect(await lecturer.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'end' } })).toEqual({ ok: true })
    session = (await lecturer.timeout(5000).emitWithAck('session:join', { sessionId })).session as SessionView
    expect(session.status).toBe('ended')
    expect(session.state.snapshots.map((s) => [s.label, s.kind])).toEqual([
      ['Modul 2 – Phase 2 – Akteursanalyse', 'phase'],
      ['Modul 2 – Sitzungsende', 'end'],
    ])

    // Each group's design is on its timeline as a Stand of the snapshot store, holding the drawing.
    const hamm = await listSnapshots(server.db.sql, world.municipality.hamm.id)
    expect(hamm.map((s) => [s.label, s.kind])).toEqual([
      ['Modul 2 – Sitzungsende', 'session_end'],
      ['Modul 2 – Phase 2 – Akteursanalyse', 'phase'],
    ])
    expect(session.state.snapshots[0]!.snapshots?.find((s) => s.municipalityId === world.municipality.hamm.id)?.snapshotId).toBe(hamm[1]!.id)
    const stored = (await snapshotBoards(server.db.sql, hamm[1]!.id)).find((b) => b.boardId === world.board.hamm.id)!
    const storedDoc = new Y.Doc()
    Y.applyUpdate(storedDoc, stored.state)
    expect(storedDoc.getMap('tl_records').has('shape:akteur')).toBe(true)
    expect((await listSnapshots(server.db.sql, world.municipality.duisburg.id)).map((s) => s.kind).sort()).toEqual(['phase', 'session_end'])
    expect(await listSnapshots(server.db.sql, world.municipality.herne.id)).toEqual([])
  })
})
