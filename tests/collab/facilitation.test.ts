/**
 * Live facilitation over socket.io with a lecturer and three groups of participants: the
 * timer is server time and identical everywhere (also after a reconnect or a restart), a phase
 * advance reaches everyone, and a participant's forged lecturer-only command is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import * as courses from '../../db/courses.server'
import type { RunningServer } from '../../server/app'
import type { SessionView } from '../../collab/features/facilitation.server'
import { waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, makePerson, type TestPerson, type World } from '../support/fixtures'
import { freePort } from '../support/ports'
import { startTestServer } from '../support/server'

type StateEvent = { session: SessionView; serverNow: number }

describe('live facilitation', () => {
  let db: TestDatabase
  let server: RunningServer
  let port: number
  let world: World
  let thirdGroup: TestPerson
  let sessionId: string
  const sockets: Socket[] = []

  const connect = (person: TestPerson) => {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    const states: StateEvent[] = []
    socket.on('session:state', (event: StateEvent) => states.push(event))
    sockets.push(socket)
    return { socket, states }
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    port = await freePort()
    server = await startTestServer(db, { PORT: String(port) })
    world = await buildWorld(server.db.sql)
    const herten = (await courses.createMunicipality(server.db.sql, { name: `Herten ${Date.now()}`, kind: 'Stadt' }))!
    await courses.addTeam(server.db.sql, world.course.id, herten.id)
    thirdGroup = await makePerson(server.db.sql, 'Teilnehmer Herten', [{ role: 'participant', courseId: world.course.id, municipalityId: herten.id }])
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('the lecturer opens a session; participants of all three groups join and see the same timer', async () => {
    const lecturer = connect(world.person.lecturer)
    const opened = await lecturer.socket.timeout(5000).emitWithAck('session:open', {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2 – Konfliktanalyse',
      phases: [
        { title: 'Ankommen', durationSeconds: 300 },
        { title: 'Akteursanalyse', prompt: 'Wer ist beteiligt?', durationSeconds: 1200 },
        { title: 'Plenum', durationSeconds: null },
      ],
    })
    expect(opened).toMatchObject({ ok: true, role: 'facilitator' })
    sessionId = opened.session.id
    const groups = [world.person.participantHamm, world.person.participantDuisburg, thirdGroup].map(connect)
    for (const g of groups) {
      const joined = await g.socket.timeout(5000).emitWithAck('session:join', { sessionId })
      expect(joined).toMatchObject({ ok: true, role: 'participant' })
    }
    expect(await lecturer.socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'timer', action: 'start', seconds: 600 } })).toEqual({ ok: true })
    await waitFor(() => groups.every((g) => g.states.length > 0), 'everyone receives the timer')
    const timers = groups.map((g) => g.states.at(-1)!.session.state.timers.all)
    expect(new Set(timers.map((t) => t!.endsAt)).size).toBe(1)
    expect(timers[0]).toMatchObject({ running: true, durationMs: 600_000 })
    // Countdown = endsAt - serverNow: about ten minutes, whatever the client's clock says.
    const event = groups[0].states.at(-1)!
    expect(event.session.state.timers.all!.endsAt! - event.serverNow).toBeGreaterThan(590_000)

    // A participant reconnects (a page reload): the same timer and phase come back.
    groups[1].socket.disconnect()
    const again = connect(world.person.participantDuisburg)
    const rejoined = await again.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    expect(rejoined.session.state.timers.all.endsAt).toBe(timers[0]!.endsAt)
  })

  it('a phase advance reaches every group and starts the phase’s timer', async () => {
    const lecturer = connect(world.person.lecturer)
    await lecturer.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    const groups = [world.person.participantHamm, world.person.participantDuisburg, thirdGroup].map(connect)
    for (const g of groups) await g.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    expect(await lecturer.socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 1 } })).toEqual({ ok: true })
    await waitFor(() => groups.every((g) => g.states.at(-1)?.session.state.phaseIndex === 1), 'everyone is in phase 2')
    const state = groups[2].states.at(-1)!.session.state
    expect(state.timers.all).toMatchObject({ running: true, durationMs: 1_200_000 })
    expect(state.history.map((h) => h.title)).toEqual(['Akteursanalyse'])
  })

  it.each([
    ['start a timer', { type: 'timer', action: 'start', seconds: 5 }],
    ['advance the phase', { type: 'phase', index: 2 }],
    ['announce', { type: 'announce', text: 'Alle ins Plenum' }],
    ['summon everyone', { type: 'summon', boardId: '00000000-0000-0000-0000-000000000000', follow: true }],
    ['end the session', { type: 'end' }],
  ])('a participant’s forged lecturer-only command (%s) is refused and changes nothing', async (_name, command) => {
    const participant = connect(world.person.participantHamm)
    const joined = await participant.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    const reply = await participant.socket.timeout(5000).emitWithAck('session:command', { sessionId, command })
    expect(reply).toEqual({ ok: false, error: 'forbidden' })
    const after = await participant.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    expect(after.session).toEqual(joined.session)
  })

  it('people outside the course cannot join; malformed payloads are refused', async () => {
    for (const person of [world.person.outsider, world.person.guestHamm]) {
      const { socket } = connect(person)
      expect(await socket.timeout(5000).emitWithAck('session:join', { sessionId })).toEqual({ ok: false, error: 'forbidden' })
      expect(await socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'hand', raised: true, kind: 'hand' } })).toEqual({ ok: false, error: 'forbidden' })
    }
    const { socket } = connect(world.person.lecturer)
    for (const payload of [null, {}, { sessionId: 'x' }, { sessionId, command: { type: 'timer', action: 'start', seconds: -5 } }, { sessionId, command: { type: 'nuke' } }]) {
      expect(await socket.timeout(5000).emitWithAck('session:command', payload)).toEqual({ ok: false, error: 'invalid' })
    }
    expect(await socket.timeout(5000).emitWithAck('session:open', { courseId: world.otherCourse.id, title: 'Fremd' })).toEqual({ ok: false, error: 'forbidden' })
  })

  it('hands are raised per person with their group, queued for the lecturer, and cleared by the lecturer', async () => {
    const lecturer = connect(world.person.lecturer)
    await lecturer.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    const hamm = connect(world.person.participantHamm)
    await hamm.socket.timeout(5000).emitWithAck('session:join', { sessionId })
    await hamm.socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'hand', raised: true, kind: 'help' } })
    await waitFor(() => (lecturer.states.at(-1)?.session.state.hands.length ?? 0) === 1, 'the lecturer sees the raised hand')
    expect(lecturer.states.at(-1)!.session.state.hands[0]).toMatchObject({ kind: 'help', municipalityId: world.municipality.hamm.id, personId: world.person.participantHamm.id })
    await lecturer.socket.timeout(5000).emitWithAck('session:command', { sessionId, command: { type: 'hand:clear', personId: world.person.participantHamm.id } })
    await waitFor(() => lecturer.states.at(-1)?.session.state.hands.length === 0, 'hand cleared')
  })

  it('the session state survives a server restart', async () => {
    const before = await connect(world.person.lecturer).socket.timeout(5000).emitWithAck('session:join', { sessionId })
    for (const s of sockets.splice(0)) s.disconnect()
    await server.close()
    server = await startTestServer(db, { PORT: String(port) })
    const after = await connect(world.person.participantDuisburg).socket.timeout(5000).emitWithAck('session:join', { sessionId })
    expect(after.session.state).toEqual(before.session.state)
    expect(after.session.state.phaseIndex).toBe(1)
  })
})
