/**
 * One live session served by two real server processes on one PostgreSQL database and one
 * Redis (decision 0037): the lecturer on the first process, participants on the second. At every
 * step of a whole session (open, phase with timer, hand, help, lock, vote, private mode, reveal,
 * next phase, end) pages on both processes hold the identical `session:state`, and each process
 * reads the same state; killing one process mid-session and starting it again loses nothing;
 * the Leitstand's "Personen da" counts people on both processes; two phase commands for one
 * session sent to both processes at the same moment apply once each, one after the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import { decode } from 'turbo-stream'
import type * as Y from 'yjs'
import type { SessionView } from '../../collab/features/facilitation.server'
import { readLocks } from '../../collab/features/locks'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import * as store from '../../db/facilitation.server'
import type { Sql } from '../../db/client.server'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestRedis, type TestRedis } from '../support/redis'
import { startChildServer, type ChildServer } from '../support/server'

type StateEvent = { session: SessionView; serverNow: number }
type Rec = { id: string; typeName: string; type?: string; x: number; meta?: Record<string, unknown> }
/** An acknowledgement as these tests read it (the wire, untyped on purpose: decision 0030). */
type Answer = { ok: boolean; session: SessionView; serverNow: number; left?: number }
type Page = { socket: Socket; states: StateEvent[]; emit: (event: string, payload: unknown) => Promise<Answer> }

describe('a live session on two processes', () => {
  let redis: TestRedis
  let db: TestDatabase
  let sql: Sql
  let first: ChildServer
  let second: ChildServer
  let world: World
  const sockets: Socket[] = []
  const clients: Client[] = []
  const env = () => ({ REDIS_URL: redis.url })

  const connect = (server: ChildServer, person: TestPerson): Page => {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    const states: StateEvent[] = []
    socket.on('session:state', (event: StateEvent) => states.push(event))
    sockets.push(socket)
    return { socket, states, emit: (event, payload) => socket.timeout(10_000).emitWithAck(event, payload) }
  }
  /** The newest state a page holds (by version, as the browser keeps it). */
  const newest = (page: Page, sessionId: string) =>
    page.states.filter((s) => s.session.id === sessionId).reduce<SessionView | null>((held, s) => (held && held.version > s.session.version ? held : s.session), null)
  const joinAs = async (server: ChildServer, person: TestPerson, sessionId: string) => {
    const page = connect(server, person)
    const joined = await page.emit('session:join', { sessionId })
    expect(joined.ok).toBe(true)
    // What a page shows: the state it joined with, until a newer one arrives.
    page.states.push({ session: joined.session, serverNow: joined.serverNow })
    return { page, session: joined.session as SessionView }
  }
  const storedDoc = async (boardId: string) => (await loadBoardDoc(sql, boardId, { error: () => {} })).doc
  const frames = (doc: Y.Doc) => [...doc.getMap<Rec>('tl_records').values()].filter((r) => r.typeName === 'shape' && r.type === 'frame')

  beforeAll(async () => {
    redis = await startTestRedis()
    // Two processes cannot share the embedded database: these tests always use PostgreSQL.
    db = await createTestDatabase('postgres')
    first = await startChildServer(db, env())
    second = await startChildServer(db, env())
    sql = postgres(db.url!, { max: 4, onnotice: () => {} }) as unknown as Sql
    world = await buildWorld(sql)
  }, 60_000)
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    for (const c of clients) c.destroy()
    for (const server of [first, second]) if (server && server.process.exitCode === null) server.process.kill('SIGTERM')
    await Promise.all([first?.exited, second?.exited])
    await (sql as unknown as postgres.Sql | undefined)?.end()
    await redis?.stop()
    await db?.drop()
  })

  it('a whole session gives identical state on both processes at every step, survives a killed process, and counts presence on both', async () => {
    const lecturer = connect(first, world.person.lecturer)
    const opened = await lecturer.emit('session:open', {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2 – zwei Prozesse',
      phases: [
        { title: 'Sammeln', prompt: 'Wer ist beteiligt?', durationSeconds: 600, template: 'akteursanalyse', voteDots: 2 },
        { title: 'Bewerten', durationSeconds: 300 },
      ],
    })
    expect(opened.ok).toBe(true)
    const sessionId: string = opened.session.id
    // Pages: the lecturer's on the first process, participants' (and a lecturer's second tab) on the second.
    let hamm = (await joinAs(second, world.person.participantHamm, sessionId)).page
    let duisburg = (await joinAs(second, world.person.participantDuisburg, sessionId)).page
    let lecturerOnSecond = (await joinAs(second, world.person.lecturer, sessionId)).page
    await lecturer.emit('session:join', { sessionId })

    /** After a command: both processes' pages hold the stored version, identically, and both processes read it. */
    const settled = async (step: string): Promise<SessionView> => {
      const stored = (await store.getSession(sql, sessionId))!
      await waitFor(
        () => newest(lecturer, sessionId)?.version === stored.version && newest(hamm, sessionId)?.version === stored.version,
        `${step}: both processes' pages get version ${stored.version}`,
      )
      const onFirst = newest(lecturer, sessionId)!
      expect(newest(hamm, sessionId), step).toEqual(onFirst)
      expect(newest(duisburg, sessionId), step).toEqual(onFirst)
      const [readByFirst, readBySecond] = await Promise.all([lecturer.emit('session:join', { sessionId }), hamm.emit('session:join', { sessionId })])
      expect(readByFirst.session, step).toEqual(onFirst)
      expect(readBySecond.session, step).toEqual(onFirst)
      return onFirst
    }
    const ok = (answer: { ok: boolean }) => expect(answer).toMatchObject({ ok: true })

    ok(await lecturer.emit('session:command', { sessionId, command: { type: 'phase', index: 0 } }))
    let state = await settled('phase 1 with its timer')
    expect(state.state.phaseIndex).toBe(0)
    expect(state.state.timers.all).toMatchObject({ running: true, durationMs: 600_000 })
    expect(state.state.votes).toHaveLength(2)
    const timer = state.state.timers.all

    // The reported bug: a hand raised on the other process kept that process's stale state (no phase, no timer).
    ok(await hamm.emit('session:command', { sessionId, command: { type: 'hand', raised: true, kind: 'hand' } }))
    state = await settled('hand')
    expect(state.state).toMatchObject({ phaseIndex: 0, timers: { all: timer } })
    expect(state.state.hands).toMatchObject([{ personId: world.person.participantHamm.id, kind: 'hand' }])

    ok(await duisburg.emit('session:command', { sessionId, command: { type: 'hand', raised: true, kind: 'help' } }))
    state = await settled('help')
    expect(state.state.hands.map((h) => h.kind)).toEqual(['hand', 'help'])

    // The second process dies mid-session and starts again: nothing is lost, and it serves on.
    second.process.kill('SIGKILL')
    await second.exited
    second = await startChildServer(db, env())
    hamm = (await joinAs(second, world.person.participantHamm, sessionId)).page
    duisburg = (await joinAs(second, world.person.participantDuisburg, sessionId)).page
    lecturerOnSecond = (await joinAs(second, world.person.lecturer, sessionId)).page
    expect((await hamm.emit('session:join', { sessionId })).session).toEqual(state)

    // A lock (a board change) reaches a board client on the other process.
    const hammBoard = connectClient(second.url, world.board.hamm.id, world.person.participantHamm.token)
    clients.push(hammBoard)
    await hammBoard.synced
    ok(await lecturer.emit('board:lock', { boardId: world.board.hamm.id, target: { kind: 'board' }, locked: true }))
    await waitFor(() => Object.keys(readLocks(hammBoard.doc)).length > 0, 'the lock reaches the client on the second process')
    state = await settled('lock')

    // Presence: one person on Hamm's board on each process.
    const onFirstToo = connectClient(first.url, world.board.hamm.id, world.person.lecturer.token)
    clients.push(onFirstToo)
    await onFirstToo.synced
    const leitstand = `${first.url}/kurse/${world.course.id}/sitzung/${sessionId}`
    // The Leitstand's data as the page loads it (Remix single fetch: a turbo-stream).
    const present = async () => {
      const res = await fetch(`${leitstand}.data`, { headers: { cookie: world.person.lecturer.cookie } })
      const decoded = await decode(res.body!)
      await decoded.done
      const route = (decoded.value as Record<string, { data: { groups: { id: string; present: number }[] } }>)['routes/kurse.$courseId_.sitzung.$sessionId']
      return route.data.groups.find((g) => g.id === world.municipality.hamm.id)!.present
    }
    await waitFor(async () => (await present()) === 2, 'the Leitstand on the first process counts both processes’ people', 10_000)

    // Vote: a dot on the second process, closed on the first.
    const round = state.state.votes.find((v) => v.boardId === world.board.hamm.id)!
    ok(await lecturer.emit('board:lock', { boardId: world.board.hamm.id, target: { kind: 'board' }, locked: false }))
    const dot = await hamm.emit('vote:dot', { sessionId, boardId: round.boardId, target: round.targets[0].id, delta: 1 })
    expect(dot).toMatchObject({ ok: true, left: 1 })
    ok(await lecturer.emit('vote:close', { sessionId, boardId: round.boardId }))
    state = await settled('vote closed')
    expect(state.state.voteResults.at(-1)).toMatchObject({ boardId: round.boardId, voters: 1 })
    expect(state.state.voteResults.at(-1)!.totals[0].dots).toBe(1)

    ok(await lecturer.emit('private:start', { sessionId, boardId: world.board.hamm.id }))
    state = await settled('private mode')
    expect(state.state.privateBoards).toEqual([world.board.hamm.id])
    // The participant on the other process is let into their layer at once.
    expect(await hamm.emit('private:layer', { sessionId, boardId: world.board.hamm.id })).toMatchObject({ ok: true })

    ok(await lecturer.emit('private:reveal', { sessionId, boardId: world.board.hamm.id }))
    state = await settled('reveal')
    expect(state.state.privateBoards).toEqual([])

    // The next phase from the lecturer's tab on the second process.
    ok(await lecturerOnSecond.emit('session:command', { sessionId, command: { type: 'phase', index: 1 } }))
    state = await settled('next phase')
    expect(state.state).toMatchObject({ phaseIndex: 1, timers: { all: { durationMs: 300_000 } } })
    expect(state.state.hands).toHaveLength(2)

    ok(await lecturer.emit('session:command', { sessionId, command: { type: 'end' } }))
    state = await settled('end')
    expect(state.status).toBe('ended')
    expect(state.state.history.map((h) => h.title)).toEqual(['Sammeln', 'Bewerten'])
  }, 90_000)

  it('two phase commands for one session sent to both processes at the same moment apply once each, one after the other', async () => {
    const lecturer = connect(first, world.person.lecturer)
    const opened = await lecturer.emit('session:open', {
      courseId: world.course.id,
      title: 'Gleichzeitig',
      phases: [
        { title: 'Eins', template: 'akteursanalyse' },
        { title: 'Zwei', template: 'zukunftswerkstatt' },
        { title: 'Drei', template: 'eskalationstreppe' },
      ],
    })
    const sessionId: string = opened.session.id
    const other = (await joinAs(second, world.person.lecturer, sessionId)).page
    const framesBefore = frames(await storedDoc(world.board.duisburg.id)).length

    // The same click reaching both processes: phase 1 once.
    const same = await Promise.all([
      lecturer.emit('session:command', { sessionId, command: { type: 'phase', index: 0 } }),
      other.emit('session:command', { sessionId, command: { type: 'phase', index: 0 } }),
    ])
    for (const answer of same) expect(answer).toEqual({ ok: true })
    let stored = (await store.getSession(sql, sessionId))!
    expect((stored.state as SessionView['state']).history.map((h) => h.title)).toEqual(['Eins'])
    expect(frames(await storedDoc(world.board.duisburg.id)).length).toBe(framesBefore + 1)

    // Two different phases at once: both apply, one after the other, each with its template and snapshot once.
    const both = await Promise.all([
      lecturer.emit('session:command', { sessionId, command: { type: 'phase', index: 1 } }),
      other.emit('session:command', { sessionId, command: { type: 'phase', index: 2 } }),
    ])
    for (const answer of both) expect(answer).toEqual({ ok: true })
    stored = (await store.getSession(sql, sessionId))!
    const state = stored.state as SessionView['state']
    const order = state.history.map((h) => h.title)
    expect(order.slice(0, 1)).toEqual(['Eins'])
    expect([...order.slice(1)].sort()).toEqual(['Drei', 'Zwei'])
    expect(state.phaseIndex).toBe(state.history.at(-1)!.phaseIndex)
    // Each phase's Stände follow their own phase: the end of the one before, then its start — no run interleaved with the other.
    const number = { Eins: 1, Zwei: 2, Drei: 3 } as Record<string, number>
    expect(state.snapshots.map((s) => s.label)).toEqual(
      order.flatMap((t, i) => [...(i > 0 ? [`Gleichzeitig – Ende Phase ${number[order[i - 1]]} – ${order[i - 1]}`] : []), `Gleichzeitig – Phase ${number[t]} – ${t}`]),
    )
    // The frames on each board were inserted in the order the phases applied (each one right of the one before).
    const templateOf = { Eins: 'akteursanalyse', Zwei: 'zukunftswerkstatt', Drei: 'eskalationstreppe' } as Record<string, string>
    for (const boardId of [world.board.hamm.id, world.board.duisburg.id]) {
      const placed = frames(await storedDoc(boardId)).filter((f) => typeof f.meta?.templateId === 'string')
      const sessionFrames = placed.sort((a, b) => a.x - b.x).slice(-3)
      expect(sessionFrames.map((f) => f.meta!.templateId)).toEqual(order.map((t) => templateOf[t]))
    }
  }, 60_000)
})
