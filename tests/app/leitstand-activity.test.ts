/**
 * The Leitstand's last activity and progress in the current phase per group: counted on the
 * server from the phase snapshot's state vector and the board's document — live while the
 * room is loaded, from storage after it unloaded — and served with the Leitstand's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import { decode } from 'turbo-stream'
import * as Y from 'yjs'
import { phaseProgress, phaseStartVectors } from '../../collab/features/phase-progress.server'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const page = { id: 'page:page', typeName: 'page', index: 'a1', name: 'Seite 1' }
const geo = (id: string, x: number) => ({ id, typeName: 'shape', type: 'geo', parentId: page.id, index: 'a1', x, y: 0, rotation: 0, props: { w: 100, h: 100, geo: 'rectangle' } })

describe('phase progress of a document', () => {
  it('counts shapes added and changed after the state vector, not older ones, deleted ones or other records', () => {
    const doc = new Y.Doc()
    const records = doc.getMap<Record<string, unknown>>('tl_records')
    records.set(page.id, page)
    records.set('shape:old', geo('shape:old', 0))
    records.set('shape:untouched', geo('shape:untouched', 0))
    records.set('shape:gone', geo('shape:gone', 0))
    const since = Y.decodeStateVector(Y.encodeStateVector(doc))
    expect(phaseProgress(doc, since)).toEqual({ added: 0, changed: 0 })

    records.set('shape:old', geo('shape:old', 50))
    records.set('shape:new', geo('shape:new', 10))
    records.set('shape:new', geo('shape:new', 20))
    records.delete('shape:gone')
    records.set(page.id, { ...page, name: 'Umbenannt' })
    expect(phaseProgress(doc, since)).toEqual({ added: 1, changed: 1 })

    // Another client's edits count the same (state vectors are per client).
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    other.getMap('tl_records').set('shape:untouched', geo('shape:untouched', 99))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    expect(phaseProgress(doc, since)).toEqual({ added: 1, changed: 2 })
  })

  it('finds the state vectors of the current phase’s snapshot, none before a phase started', () => {
    expect(phaseStartVectors({ history: [], snapshots: [] })).toBeNull()
    const doc = new Y.Doc()
    doc.getMap('tl_records').set('shape:a', { typeName: 'shape' })
    const sv = Buffer.from(Y.encodeStateVector(doc)).toString('base64')
    const board = { boardId: 'b', municipalityId: null, kind: 'whiteboard', title: 'B', stateVector: sv, bytes: 0 }
    const history = [
      { phaseIndex: 0, title: 'Eins', at: 100 },
      { phaseIndex: 1, title: 'Zwei', at: 200 },
    ]
    const first = { label: 'Eins', kind: 'phase' as const, at: 101, takenBy: 'x', boards: [{ ...board, stateVector: '' }] }
    // The second phase's snapshot is missing: no progress rather than a wrong one.
    expect(phaseStartVectors({ history, snapshots: [first] })).toBeNull()
    const found = phaseStartVectors({ history, snapshots: [first, { label: 'Zwei', kind: 'phase', at: 201, takenBy: 'x', boards: [board] }] })!
    expect(found.startedAt).toBe(200)
    expect(found.vectorOf('b').get(doc.clientID)).toBe(1)
    // A board created during the phase: everything on it is new.
    expect(found.vectorOf('neu').size).toBe(0)
  })
})

describe('Leitstand data: last activity and phase progress', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let socket: Socket
  let sessionId: string
  let client: Client | null = null

  type GroupData = { name: string; activity: { lastActivityAt: number; progress: { added: number; changed: number } | null } | null }
  const hammGroup = async () => {
    // Remix single fetch: the route's loader data, turbo-stream encoded.
    const route = 'routes/kurse.$courseId_.sitzung.$sessionId'
    const res = await fetch(`${server.url}/kurse/${world.course.id}/sitzung/${sessionId}.data?_routes=${encodeURIComponent(route)}`, { headers: { cookie: world.person.lecturer.cookie } })
    expect(res.status).toBe(200)
    const decoded = await decode(res.body!)
    await decoded.done
    const data = (decoded.value as Record<string, { data: { groups: GroupData[] } }>)[route].data
    return data.groups.find((g) => g.name === world.municipality.hamm.name)!
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.lecturer.token } })
    const opened = await socket.timeout(5000).emitWithAck('session:open', {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2',
      phases: [{ title: 'Akteursanalyse' }, { title: 'Plenum' }],
    })
    sessionId = opened.session.id
  })
  afterAll(async () => {
    client?.destroy()
    socket?.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('shows no progress before the first phase, then counts the group’s edits in the phase; the last activity follows every stored edit', async () => {
    client = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    await client.synced
    const records = client.doc.getMap('tl_records')
    records.set(page.id, page)
    records.set('shape:vorher', geo('shape:vorher', 0))
    await waitFor(async () => (await hammGroup()).activity !== null, 'the board has a last activity')
    const before = await hammGroup()
    expect(before.activity!.progress).toBeNull()
    expect(Date.now() - before.activity!.lastActivityAt).toBeLessThan(60_000)

    expect((await socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 0 } })).ok).toBe(true)
    expect((await hammGroup()).activity!.progress).toEqual({ added: 0, changed: 0 })

    await new Promise((r) => setTimeout(r, 20))
    records.set('shape:vorher', geo('shape:vorher', 300))
    records.set('shape:neu', geo('shape:neu', 600))
    await waitFor(async () => (await hammGroup()).activity?.progress?.added === 1, 'the new shape counts', 10_000)
    const after = await hammGroup()
    expect(after.activity!.progress).toEqual({ added: 1, changed: 1 })
    expect(after.activity!.lastActivityAt).toBeGreaterThan(before.activity!.lastActivityAt)
  })

  it('counts the same from storage once nobody has the board open, and starts again at the next phase', async () => {
    client!.destroy()
    client = null
    await waitFor(async () => (await server.rooms.connectionCounts([world.board.hamm.id]))[world.board.hamm.id] === 0, 'the participant left')
    await waitFor(async () => (await server.rooms.readLoaded(world.board.hamm.id, () => true)) === null, 'the room unloaded', 10_000)
    expect((await hammGroup()).activity!.progress).toEqual({ added: 1, changed: 1 })

    expect((await socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 1 } })).ok).toBe(true)
    expect((await hammGroup()).activity!.progress).toEqual({ added: 0, changed: 0 })
  })
})
