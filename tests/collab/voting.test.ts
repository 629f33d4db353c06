/**
 * Dot voting (Punktabfrage) over socket.io with real clients: the lecturer starts a round on
 * the shapes of a frame, participants place and take back dots, nobody exceeds N (also when
 * sending many at once), results appear only when the lecturer closes the round, are stored
 * with the session and survive a restart; a participant's forged start or close is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { SessionView } from '../../collab/features/facilitation.server'
import type { RunningServer } from '../../server/app'
import { waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { freePort } from '../support/ports'
import { startTestServer } from '../support/server'

type StateEvent = { session: SessionView; serverNow: number }
const note = (id: string, parentId: string, text: string) => ({
  id,
  typeName: 'shape',
  type: 'note',
  parentId,
  x: 0,
  y: 0,
  props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } },
})

describe('dot voting', () => {
  let db: TestDatabase
  let server: RunningServer
  let port: number
  let world: World
  let sessionId: string
  const sockets: Socket[] = []

  const connect = async (person: TestPerson) => {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    const states: StateEvent[] = []
    socket.on('session:state', (event: StateEvent) => states.push(event))
    sockets.push(socket)
    const joined = await socket.timeout(5000).emitWithAck('session:join', { sessionId })
    expect(joined.ok).toBe(true)
    const emit = (event: string, payload: unknown) => socket.timeout(5000).emitWithAck(event, payload)
    return { socket, states, emit, latest: () => (states.at(-1)?.session ?? joined.session) as SessionView }
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    port = await freePort()
    server = await startTestServer(db, { PORT: String(port) })
    world = await buildWorld(server.db.sql)
    await server.rooms.edit(world.board.hamm.id, (doc) => {
      const records = doc.getMap('tl_records')
      records.set('shape:frame', { id: 'shape:frame', typeName: 'shape', type: 'frame', parentId: 'page:page', props: { name: 'Ideen' } })
      records.set('shape:a', note('shape:a', 'shape:frame', 'Anlaufstelle im Rathaus'))
      records.set('shape:b', note('shape:b', 'shape:frame', 'Runder Tisch Quartier'))
      records.set('shape:c', note('shape:c', 'shape:frame', 'Schiedsamt stärken'))
      records.set('shape:outside', note('shape:outside', 'page:page', 'Nicht zur Wahl'))
    })
    const lecturer = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.lecturer.token } })
    sockets.push(lecturer)
    const opened = await lecturer.timeout(5000).emitWithAck('session:open', { courseId: world.course.id, moduleNumber: 3, title: 'Modul 3 – Verfahren' })
    sessionId = opened.session.id
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('a participant cannot start or close a round; a round needs a frame with shapes', async () => {
    const hamm = await connect(world.person.participantHamm)
    const start = { sessionId, boardId: world.board.hamm.id, frameId: 'shape:frame', dotsPerPerson: 3, anonymous: true }
    expect(await hamm.emit('vote:start', start)).toEqual({ ok: false, error: 'forbidden' })
    expect(await hamm.emit('vote:close', { sessionId })).toEqual({ ok: false, error: 'forbidden' })
    const lecturer = await connect(world.person.lecturer)
    expect(await lecturer.emit('vote:start', { ...start, frameId: 'shape:outside' })).toEqual({ ok: false, error: 'invalid' })
    expect(await lecturer.emit('vote:start', { ...start, dotsPerPerson: 0 })).toEqual({ ok: false, error: 'invalid' })
    expect(await lecturer.emit('vote:start', { ...start, boardId: world.board.herne.id })).toEqual({ ok: false, error: 'forbidden' })
    expect(lecturer.latest().state.votes).toEqual([])
  })

  it('counts dots correctly, nobody exceeds N, and results appear only when the lecturer closes the round', async () => {
    const lecturer = await connect(world.person.lecturer)
    const hamm = await connect(world.person.participantHamm)
    const duisburg = await connect(world.person.participantDuisburg)
    const mediator = await connect(world.person.mediatorHamm)
    expect(await lecturer.emit('vote:start', { sessionId, boardId: world.board.hamm.id, frameId: 'shape:frame', dotsPerPerson: 3, anonymous: true })).toEqual({ ok: true })
    await waitFor(() => hamm.latest().state.votes.length > 0, 'participants see the round')
    expect(hamm.latest().state.votes[0].targets.map((t) => t.label)).toEqual(['Anlaufstelle im Rathaus', 'Runder Tisch Quartier', 'Schiedsamt stärken'])

    const dot = (who: typeof hamm, target: string, delta: 1 | -1 = 1) => who.emit('vote:dot', { sessionId, target, delta })
    expect(await dot(hamm, 'shape:a')).toMatchObject({ ok: true, left: 2 })
    expect(await dot(hamm, 'shape:a')).toMatchObject({ ok: true, left: 1 })
    expect(await dot(hamm, 'shape:b')).toMatchObject({ ok: true, left: 0, mine: { 'shape:a': 2, 'shape:b': 1 } })
    expect(await dot(hamm, 'shape:c')).toEqual({ ok: false, error: 'limit' })
    expect(await dot(hamm, 'shape:a', -1)).toMatchObject({ ok: true, left: 1 })
    expect(await dot(hamm, 'shape:c')).toMatchObject({ ok: true, left: 0 })
    expect(await dot(hamm, 'shape:outside')).toEqual({ ok: false, error: 'invalid' })
    expect(await dot(mediator, 'shape:b', -1)).toEqual({ ok: false, error: 'invalid' })

    // Ten dots at once from one person: exactly three are accepted.
    const burst = await Promise.all(Array.from({ length: 10 }, () => dot(duisburg, 'shape:a')))
    expect(burst.filter((r) => r.ok)).toHaveLength(3)
    expect(burst.filter((r) => !r.ok).every((r) => r.error === 'limit')).toBe(true)
    expect(await mediator.emit('vote:mine', { sessionId })).toEqual({ ok: true, dots: { mine: {}, left: 3 } })
    expect(await dot(mediator, 'shape:b')).toMatchObject({ ok: true })

    // While the round runs nobody sees counts.
    expect(JSON.stringify(hamm.latest().state)).not.toMatch(/"dots":/)
    expect(await lecturer.emit('vote:close', { sessionId })).toEqual({ ok: true })
    await waitFor(() => hamm.latest().state.voteResults.length === 1, 'results reach the participants')
    const result = hamm.latest().state.voteResults[0]
    expect(result.totals.map((t) => [t.id, t.dots])).toEqual([
      ['shape:a', 4],
      ['shape:b', 2],
      ['shape:c', 1],
    ])
    expect(result).toMatchObject({ voters: 3, anonymous: true, byPerson: null, dotsPerPerson: 3 })
    expect(hamm.latest().state.votes).toEqual([])
    expect(await dot(hamm, 'shape:a', -1)).toEqual({ ok: false, error: 'invalid' })
  })

  it('a named round says who voted where', async () => {
    const lecturer = await connect(world.person.lecturer)
    const hamm = await connect(world.person.participantHamm)
    expect(await lecturer.emit('vote:start', { sessionId, boardId: world.board.hamm.id, frameId: 'shape:frame', dotsPerPerson: 1, anonymous: false })).toEqual({ ok: true })
    await waitFor(() => hamm.latest().state.votes.length > 0, 'round 2 reaches the participant')
    expect(await hamm.emit('vote:dot', { sessionId, target: 'shape:c', delta: 1 })).toMatchObject({ ok: true, left: 0 })
    expect(await lecturer.emit('vote:close', { sessionId })).toEqual({ ok: true })
    await waitFor(() => hamm.latest().state.voteResults.length === 2, 'round 2 results')
    expect(hamm.latest().state.voteResults[1].byPerson).toEqual([{ name: 'Teilnehmerin Hamm', target: 'shape:c', dots: 1 }])
  })

  it('results survive a server restart', async () => {
    const before = (await connect(world.person.lecturer)).latest().state.voteResults
    for (const s of sockets.splice(0)) s.disconnect()
    await server.close()
    server = await startTestServer(db, { PORT: String(port) })
    const after = (await connect(world.person.participantDuisburg)).latest().state.voteResults
    expect(after).toEqual(before)
    expect(after.map((r) => r.totals[0].dots)).toEqual([4, 1])
  })
})
