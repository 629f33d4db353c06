/**
 * Phase Stände (issue 15): the end of a phase ("Modul 2 – Ende Phase 1 – Ankommen", before the
 * next phase changes any board), the start of a phase that applied a template ("Modul 2 – Phase
 * 2 – Akteursanalyse") and the end of the session record every group's boards and Systemdesign
 * document, each holding the content of that moment, on each group's timeline.
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

  const serverDoc = async (boardId: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(boardId))
    return doc
  }

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

  it('a phase’s end, a template phase’s start and the session’s end record every group’s boards and documents, holding what they held then', async () => {
    const opened = await lecturer.timeout(5000).emitWithAck('session:open', {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2 – Konfliktanalyse',
      phases: [{ title: 'Ankommen' }, { title: 'Akteursanalyse', template: 'akteursanalyse' }],
    })
    const sessionId = opened.session.id as string
    const join = async () => (await lecturer.timeout(5000).emitWithAck('session:join', { sessionId })).session as SessionView
    // The first phase starts without a template and ends no phase: no Stand yet, only the boards' state vectors (for the Leitstand's progress).
    expect(await lecturer.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 0 } })).toEqual({ ok: true })
    expect((await join()).state.snapshots.map((s) => [s.label, s.snapshots])).toEqual([['Modul 2 – Phase 1 – Ankommen', undefined]])
    expect(await listSnapshots(server.db.sql, world.municipality.hamm.id)).toEqual([])

    // What the group made during phase 1.
    drawing.doc.getMap('tl_records').set('shape:akteur', { id: 'shape:akteur', typeName: 'shape', type: 'geo' })
    await waitFor(async () => (await serverDoc(world.board.hamm.id)).getMap('tl_records').has('shape:akteur'), 'the drawing reached the server')
    const endOfPhase1 = Y.encodeStateVector(drawing.doc)

    expect(await lecturer.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 1 } })).toEqual({ ok: true })
    let session = await join()
    expect(session.state.snapshots.map((s) => [s.label, s.kind])).toEqual([
      ['Modul 2 – Phase 1 – Ankommen', 'phase'],
      ['Modul 2 – Ende Phase 1 – Ankommen', 'phase'],
      ['Modul 2 – Phase 2 – Akteursanalyse', 'phase'],
    ])
    const snapshot = session.state.snapshots[1]
    expect(snapshot).toMatchObject({ takenBy: world.person.lecturer.id })
    const byBoard = new Map(snapshot.boards.map((b) => [b.boardId, b]))
    // Both groups' boards, the course board and both Systemdesign documents; never the outside municipality's board.
    for (const board of [world.board.hamm, world.board.duisburg, world.board.plenum]) expect(byBoard.has(board.id)).toBe(true)
    expect(
      snapshot.boards
        .filter((b) => b.kind === 'design')
        .map((b) => b.municipalityId)
        .sort(),
    ).toEqual([world.municipality.hamm.id, world.municipality.duisburg.id].sort())
    expect(byBoard.has(world.board.herne.id)).toBe(false)
    // The end of phase 1 is the board as phase 1 left it: the drawing, not yet phase 2's template.
    expect(Buffer.from(byBoard.get(world.board.hamm.id)!.stateVector, 'base64')).toEqual(Buffer.from(endOfPhase1))

    // What the group made during phase 2, then the end.
    await waitFor(() => drawing.doc.getMap('tl_records').size > 1, 'the template reached the drawing client')
    drawing.doc.getMap('tl_records').set('shape:spaet', { id: 'shape:spaet', typeName: 'shape', type: 'geo' })
    await waitFor(async () => (await serverDoc(world.board.hamm.id)).getMap('tl_records').has('shape:spaet'), 'the late drawing reached the server')
    expect(await lecturer.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'end' } })).toEqual({ ok: true })
    session = await join()
    expect(session.status).toBe('ended')
    expect(session.state.snapshots.map((s) => [s.label, s.kind])).toEqual([
      ['Modul 2 – Phase 1 – Ankommen', 'phase'],
      ['Modul 2 – Ende Phase 1 – Ankommen', 'phase'],
      ['Modul 2 – Phase 2 – Akteursanalyse', 'phase'],
      ['Modul 2 – Sitzungsende', 'end'],
    ])

    // Each group's design is on its timeline as Stände of the snapshot store, each holding what the board held then.
    const hamm = await listSnapshots(server.db.sql, world.municipality.hamm.id)
    expect(hamm.map((s) => [s.label, s.kind])).toEqual([
      ['Modul 2 – Sitzungsende', 'session_end'],
      ['Modul 2 – Phase 2 – Akteursanalyse', 'phase'],
      ['Modul 2 – Ende Phase 1 – Ankommen', 'phase'],
    ])
    expect(session.state.snapshots[1]!.snapshots?.find((s) => s.municipalityId === world.municipality.hamm.id)?.snapshotId).toBe(hamm[2]!.id)
    const held = async (snapshotId: string) => {
      const stored = (await snapshotBoards(server.db.sql, snapshotId)).find((b) => b.boardId === world.board.hamm.id)!
      const doc = new Y.Doc()
      Y.applyUpdate(doc, stored.state)
      const records = [...doc.getMap<{ type?: string; typeName?: string }>('tl_records').entries()]
      return { akteur: records.some(([id]) => id === 'shape:akteur'), spaet: records.some(([id]) => id === 'shape:spaet'), frames: records.filter(([, r]) => r?.type === 'frame').length }
    }
    expect(await held(hamm[2]!.id)).toEqual({ akteur: true, spaet: false, frames: 0 })
    expect(await held(hamm[1]!.id)).toEqual({ akteur: true, spaet: false, frames: 1 })
    expect(await held(hamm[0]!.id)).toEqual({ akteur: true, spaet: true, frames: 1 })
    expect((await listSnapshots(server.db.sql, world.municipality.duisburg.id)).map((s) => s.kind).sort()).toEqual(['phase', 'phase', 'session_end'])
    expect(await listSnapshots(server.db.sql, world.municipality.herne.id)).toEqual([])
  })
})
