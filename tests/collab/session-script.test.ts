/**
 * The session script (Ablaufplan) over socket.io with real clients: a lecturer prepares a
 * planned session and edits its phases (a participant's forged edit and invalid plans are
 * refused with a German message, nothing changed), opens it, and advancing a phase applies it
 * to every group board at once — the template as a new frame right of what is there, the lock
 * (a participant's Yjs update is refused), private mode, one voting round per group board on
 * the template's frame; the next phase unlocks and reveals; the end lifts every lock. An old
 * stored state with a single `vote` still loads; a double click on a phase applies it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import { initialState, type SessionView } from '../../collab/features/facilitation.server'
import { readLocks } from '../../collab/features/locks'
import { frameTargets } from '../../domain/board/vote-targets'
import * as courseTemplates from '../../db/course-templates.server'
import { buildTemplate } from '../../domain/templates/catalogue'
import { normaliseFrame } from '../../collab/features/templates.server'
import * as store from '../../db/facilitation.server'
import { snapshotBoards } from '../../db/snapshots.server'
import type { RunningServer } from '../../server/app'
import { rawChangeAttempt, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type StateEvent = { session: SessionView; serverNow: number }
type Rec = { id: string; typeName: string; type?: string; parentId?: string; x: number; y: number; index?: string; meta?: Record<string, unknown>; props?: Record<string, unknown> }

const akteursanalyse = {
  title: 'Akteursanalyse',
  prompt: 'Wer ist beteiligt?',
  durationSeconds: 1200,
  template: 'akteursanalyse',
  lock: 'lock',
  privateMode: true,
  voteDots: 3,
  voteAnonymous: true,
}
const werkstatt = { title: 'Zukunftswerkstatt', template: 'zukunftswerkstatt', lock: 'unlock', privateMode: false }

describe('session script', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let sessionId: string
  const sockets: (Socket | WebSocket)[] = []

  const connect = (person: TestPerson) => {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    const states: StateEvent[] = []
    socket.on('session:state', (event: StateEvent) => states.push(event))
    sockets.push(socket)
    const emit = (event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload)
    return { socket, states, emit }
  }
  const sessionAs = async (person: TestPerson, id = sessionId) => {
    const joined = await connect(person).emit('session:join', { sessionId: id })
    expect(joined.ok).toBe(true)
    return joined.session as SessionView
  }
  const boardDoc = async (boardId: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(boardId))
    return doc
  }
  const shapes = (doc: Y.Doc) => [...doc.getMap<Rec>('tl_records').values()].filter((r) => r.typeName === 'shape')
  const templateFrame = (doc: Y.Doc, templateId: string) => shapes(doc).find((r) => r.type === 'frame' && r.meta?.templateId === templateId)

  /** Sends one raw Yjs update as a participant; resolves with the server's refusals (permission denied). */
  async function rawAttempt(person: TestPerson, boardId: string, change: (doc: Y.Doc) => void): Promise<string[]> {
    return rawChangeAttempt(server.url, boardId, person.token, await server.rooms.currentState(boardId), change, (ws) => sockets.push(ws))
  }
  const note = (id: string, x: number) => ({ id, typeName: 'shape', type: 'note', parentId: 'page:page', x, y: 0, isLocked: false, props: {} })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    // Hamm already worked: a frame from 0 to 900 on its first page. Duisburg's board is empty.
    await server.rooms.edit(world.board.hamm.id, (doc) => {
      const records = doc.getMap('tl_records')
      records.set('page:page', { id: 'page:page', typeName: 'page', name: 'Seite 1', index: 'a1', meta: {} })
      records.set('shape:earlier', { id: 'shape:earlier', typeName: 'shape', type: 'frame', parentId: 'page:page', index: 'a5', x: 0, y: 40, isLocked: false, props: { w: 900, h: 600, name: 'Vorher' } })
    })
  })
  afterAll(async () => {
    for (const s of sockets) (s as Socket).disconnect?.() ?? (s as WebSocket).close()
    await server?.close()
    await db?.drop()
  })

  it('a lecturer prepares a planned session and edits its phases; invalid or forged edits change nothing', async () => {
    const lecturer = connect(world.person.lecturer)
    const created = await lecturer.emit('session:open', { courseId: world.course.id, planned: true, moduleNumber: 2, title: 'Modul 2 – Akteure', phases: [{ title: 'Ankommen' }] })
    expect(created).toMatchObject({ ok: true, session: { status: 'planned' } })
    sessionId = created.session.id
    expect((await store.openSessions(server.db.sql, [world.course.id])).map((s) => s.id)).not.toContain(sessionId)

    // Add, reorder, change fields.
    const plan = { sessionId, title: 'Modul 2 – Akteure', moduleNumber: 2, phases: [{ title: 'Ankommen', durationSeconds: 300 }, werkstatt, akteursanalyse] }
    expect(await lecturer.emit('session:plan', plan)).toEqual({ ok: true })
    expect((await sessionAs(world.person.lecturer)).phases.map((p) => p.title)).toEqual(['Ankommen', 'Zukunftswerkstatt', 'Akteursanalyse'])
    // Remove and reorder.
    expect(await lecturer.emit('session:plan', { ...plan, phases: [akteursanalyse, werkstatt] })).toEqual({ ok: true })

    const refusals = [
      [{ ...plan, phases: [akteursanalyse, { ...werkstatt, voteDots: 2, template: null }] }, /Phase 2 hat eine Punktabfrage, aber keine Vorlage/],
      [{ ...plan, phases: [{ ...akteursanalyse, template: 'gibtsnicht' }] }, /Vorlage von Phase 1/],
      [{ ...plan, phases: [{ ...akteursanalyse, voteDots: 21 }] }, /Punkte pro Person in Phase 1/],
      [{ ...plan, phases: [{ ...akteursanalyse, lock: 'forever' }] }, /Sperre von Phase 1/],
      [{ ...plan, phases: [akteursanalyse, { ...werkstatt, title: '  ' }] }, /Phase 2 braucht einen Titel/],
      [{ ...plan, title: '' }, /Titel/],
    ] as const
    for (const [payload, message] of refusals) {
      const answer = await lecturer.emit('session:plan', payload)
      expect(answer).toMatchObject({ ok: false, error: 'invalid' })
      expect(answer.message).toMatch(message)
    }
    // A course template of another course is not this course's to use.
    const foreign = await courseTemplates.createCourseTemplate(server.db.sql, { courseId: world.otherCourse.id, name: 'Fremd', records: [], createdBy: world.person.administrator.id })
    const foreignAnswer = await lecturer.emit('session:plan', { ...plan, phases: [{ ...akteursanalyse, template: `course:${foreign.id}` }] })
    expect(foreignAnswer).toMatchObject({ ok: false, error: 'invalid', problem: { key: 'script.errors.template', phase: 1 } })

    // A participant can neither change the script nor open the session.
    const hamm = connect(world.person.participantHamm)
    expect(await hamm.emit('session:plan', { ...plan, phases: [{ title: 'Gekapert' }] })).toEqual({ ok: false, error: 'forbidden' })
    expect(await hamm.emit('session:start', { sessionId })).toEqual({ ok: false, error: 'forbidden' })
    // Nor does a planned session take commands yet.
    expect(await lecturer.emit('session:command', { sessionId, command: { type: 'phase', index: 0 } })).toEqual({ ok: false, error: 'planned' })

    const stored = await store.listPhases(server.db.sql, sessionId)
    expect(stored.map((p) => p.title)).toEqual(['Akteursanalyse', 'Zukunftswerkstatt'])
    expect(stored[0]).toMatchObject({ template: 'akteursanalyse', lock: 'lock', privateMode: true, voteDots: 3, voteAnonymous: true, durationSeconds: 1200 })
    expect(stored[1]).toMatchObject({ template: 'zukunftswerkstatt', lock: 'unlock', privateMode: false, voteDots: null })
  })

  it('opening makes it a running session whose script can no longer change', async () => {
    const lecturer = connect(world.person.lecturer)
    expect(await lecturer.emit('session:start', { sessionId })).toEqual({ ok: true })
    expect((await sessionAs(world.person.participantHamm)).status).toBe('open')
    expect((await store.openSessions(server.db.sql, [world.course.id])).map((s) => s.id)).toContain(sessionId)
    const late = await lecturer.emit('session:plan', { sessionId, title: 'Zu spät', phases: [] })
    expect(late).toMatchObject({ ok: false, error: 'invalid' })
    expect(late.message).toMatch(/schon geöffnet/)
  })

  it('advancing a phase inserts its template, locks, starts private mode and one voting round per group board', async () => {
    const lecturer = connect(world.person.lecturer)
    const hamm = connect(world.person.participantHamm)
    expect((await hamm.emit('session:join', { sessionId })).ok).toBe(true)
    // A double click sends the phase twice at once: it is applied once.
    const phase0 = { sessionId, command: { type: 'phase', index: 0 } }
    expect(await Promise.all([lecturer.emit('session:command', phase0), lecturer.emit('session:command', phase0)])).toEqual([{ ok: true }, { ok: true }])
    await waitFor(() => (hamm.states.at(-1)?.session.state.votes.length ?? 0) === 2, 'the rounds reach the participant')
    const state = hamm.states.at(-1)!.session.state
    const groupBoards = [world.board.hamm.id, world.board.duisburg.id]
    expect(state.phaseIndex).toBe(0)
    expect([...state.privateBoards].sort()).toEqual([...groupBoards].sort())

    for (const boardId of groupBoards) {
      const doc = await boardDoc(boardId)
      const frame = templateFrame(doc, 'akteursanalyse')
      expect(frame, `template frame on ${boardId}`).toBeDefined()
      expect(shapes(doc).filter((r) => r.type === 'frame' && r.meta?.templateId === 'akteursanalyse')).toHaveLength(1)
      expect(frame!.parentId).toBe('page:page')
      expect(readLocks(doc).board).toBeDefined()
      const round = state.votes.find((v) => v.boardId === boardId)!
      expect(round).toMatchObject({ frameId: frame!.id, dotsPerPerson: 3, anonymous: true })
      expect(round.targets.map((t) => t.id)).toEqual(frameTargets(doc, frame!.id).map((t) => t.id))
      expect(round.targets.length).toBeGreaterThan(0)
      doc.destroy()
    }
    // Placed as a new frame right of Hamm's earlier work, above it in the stacking order.
    const hammDoc = await boardDoc(world.board.hamm.id)
    const frame = templateFrame(hammDoc, 'akteursanalyse')!
    expect(frame.x).toBeGreaterThanOrEqual(900)
    expect(frame.index! > 'a5').toBe(true)
    expect(shapes(hammDoc).find((r) => r.id === 'shape:earlier')).toMatchObject({ x: 0, y: 40 })
    // Boards outside the course's groups are untouched.
    expect(shapes(await boardDoc(world.board.herne.id))).toEqual([])
    expect(shapes(await boardDoc(world.board.plenum.id))).toEqual([])

    // The lock holds on the Yjs channel: a participant's update is refused.
    const denials = await rawAttempt(world.person.participantHamm, world.board.hamm.id, (doc) => doc.getMap('tl_records').set('shape:mine', note('shape:mine', 0)))
    expect(denials).toHaveLength(1)
    expect(denials[0]).toMatch(/^locked/)

    // Voting runs on each board's own round.
    const target = state.votes.find((v) => v.boardId === world.board.hamm.id)!.targets[0].id
    expect(await hamm.emit('vote:dot', { sessionId, target, delta: 1, boardId: world.board.hamm.id })).toMatchObject({ ok: true, left: 2 })
    expect(await hamm.emit('vote:mine', { sessionId, boardId: world.board.hamm.id })).toMatchObject({ ok: true, dots: { left: 2 } })
  })

  it('the next phase (lock lifted, private mode off) unlocks and reveals; its template goes right of the earlier one', async () => {
    const lecturer = connect(world.person.lecturer)
    const hamm = connect(world.person.participantHamm)
    const layer = await hamm.emit('private:layer', { sessionId, boardId: world.board.hamm.id })
    expect(layer.ok).toBe(true)
    await server.rooms.edit(layer.layerId, (doc) => doc.getMap('tl_records').set('shape:secret', note('shape:secret', 5000)))

    expect(await lecturer.emit('session:command', { sessionId, command: { type: 'phase', index: 1 } })).toEqual({ ok: true })
    const session = await sessionAs(world.person.lecturer)
    expect(session.state.phaseIndex).toBe(1)
    expect(session.state.privateBoards).toEqual([])
    const doc = await boardDoc(world.board.hamm.id)
    expect(readLocks(doc).board).toBeUndefined()
    expect(doc.getMap('tl_records').get('shape:secret')).toBeDefined()
    const first = templateFrame(doc, 'akteursanalyse')!
    const second = templateFrame(doc, 'zukunftswerkstatt')!
    expect(second.x).toBeGreaterThanOrEqual(first.x + (first.props!.w as number))
    expect(second.index! > first.index!).toBe(true)
    // Both phases recorded their snapshot, as before.
    expect(session.state.history.map((h) => h.phaseIndex)).toEqual([0, 1])
    // Stände: each phase's start (both applied a template) and the end of the first (issue 15).
    expect(session.state.snapshots.map((s) => s.label)).toEqual(['Modul 2 – Phase 1 – Akteursanalyse', 'Modul 2 – Ende Phase 1 – Akteursanalyse', 'Modul 2 – Phase 2 – Zukunftswerkstatt'])
    // The end of the private phase holds its result: the notes revealed by the next phase, not yet its template.
    const endOfPhase1 = session.state.snapshots[1].snapshots!.find((s) => s.municipalityId === world.municipality.hamm.id)!.snapshotId
    const stored = (await snapshotBoards(server.db.sql, endOfPhase1)).find((b) => b.boardId === world.board.hamm.id)!
    const then = new Y.Doc()
    Y.applyUpdate(then, stored.state)
    expect(then.getMap('tl_records').has('shape:secret')).toBe(true)
    expect(templateFrame(then, 'zukunftswerkstatt')).toBeUndefined()

    expect(await rawAttempt(world.person.participantHamm, world.board.hamm.id, (d) => d.getMap('tl_records').set('shape:mine', note('shape:mine', 0)))).toEqual([])
  })

  it('the end lifts every lock on the course’s group boards', async () => {
    const lecturer = connect(world.person.lecturer)
    expect(await lecturer.emit('board:lock', { boardId: world.board.hamm.id, target: { kind: 'board' }, locked: true })).toEqual({ ok: true })
    const frameId = templateFrame(await boardDoc(world.board.duisburg.id), 'akteursanalyse')!.id
    expect(await lecturer.emit('board:lock', { boardId: world.board.duisburg.id, target: { kind: 'frame', id: frameId }, locked: true })).toEqual({ ok: true })
    expect(await lecturer.emit('session:command', { sessionId, command: { type: 'end' } })).toEqual({ ok: true })
    for (const boardId of [world.board.hamm.id, world.board.duisburg.id]) {
      const doc = await boardDoc(boardId)
      expect(readLocks(doc)).toEqual({})
      expect(shapes(doc).filter((r) => (r as { isLocked?: boolean }).isLocked)).toEqual([])
    }
  })

  it('the script page’s form: others get 403, a bad plan a German message and no change, a good one is saved and opened', async () => {
    const created = await connect(world.person.lecturer).emit('session:open', { courseId: world.course.id, planned: true, title: 'Modul 3 – Verfahren', phases: [{ title: 'Start' }] })
    const id = created.session.id as string
    const post = (person: TestPerson, fields: [string, string][]) =>
      fetch(`${server.url}/kurse/${world.course.id}/sitzung/${id}/ablauf`, {
        method: 'POST',
        headers: { cookie: person.cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      })
    const phase = (title: string, template: string, dots: string): [string, string][] => [
      ['phaseTitle', title], ['phasePrompt', ''], ['phaseMinutes', '15'], ['phaseTemplate', template], ['phaseLock', 'lock'], ['phasePrivate', 'on'], ['phaseVoteDots', dots], ['phaseVoteAnonymous', 'no'],
    ]
    const head: [string, string][] = [['title', 'Modul 3 – Verfahren'], ['moduleNumber', '3']]

    expect((await post(world.person.participantHamm, [...head, ...phase('Gekapert', '', '')])).status).toBe(403)
    const refused = await post(world.person.lecturer, [...head, ['intent', 'open'], ...phase('Verfahrenswege', 'verfahrenswege', '2'), ...phase('Abstimmen', '', '3')])
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Phase 2 hat eine Punktabfrage, aber keine Vorlage')
    expect((await store.listPhases(server.db.sql, id)).map((p) => p.title)).toEqual(['Start'])
    expect((await store.getSession(server.db.sql, id))!.status).toBe('planned')

    const saved = await post(world.person.lecturer, [...head, ['intent', 'open'], ...phase('Verfahrenswege', 'verfahrenswege', '2'), ...phase('Plenum', '', '')])
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe(`/kurse/${world.course.id}/sitzung/${id}`)
    expect((await store.getSession(server.db.sql, id))!.status).toBe('open')
    const phases = await store.listPhases(server.db.sql, id)
    expect(phases.map((p) => p.title)).toEqual(['Verfahrenswege', 'Plenum'])
    expect(phases[0]).toMatchObject({ durationSeconds: 900, template: 'verfahrenswege', lock: 'lock', privateMode: true, voteDots: 2, voteAnonymous: false })
    expect((await post(world.person.lecturer, [...head, ...phase('Zu spät', '', '')])).status).toBe(409)
    await connect(world.person.lecturer).emit('session:command', { sessionId: id, command: { type: 'end' } })
  })

  it('a phase with a course template of this course inserts that template and votes on it', async () => {
    const built = normaliseFrame(buildTemplate('zukunftswerkstatt', { locale: 'de', idPrefix: 'x' }) as never)
    if (!('records' in built)) throw new Error(built.error)
    const saved = await courseTemplates.createCourseTemplate(server.db.sql, { courseId: world.course.id, name: 'Unsere Werkstatt', records: built.records, createdBy: world.person.lecturer.id })
    const lecturer = connect(world.person.lecturer)
    const created = await lecturer.emit('session:open', {
      courseId: world.course.id,
      title: 'Modul 4 – Eigene Vorlage',
      phases: [{ title: 'Werkstatt', template: `course:${saved.id}`, voteDots: 1, voteAnonymous: false }],
    })
    expect(created.ok).toBe(true)
    const id = created.session.id as string
    const before = shapes(await boardDoc(world.board.duisburg.id)).filter((r) => r.type === 'frame').length
    expect(await lecturer.emit('session:command', { sessionId: id, command: { type: 'phase', index: 0 } })).toEqual({ ok: true })
    const session = await sessionAs(world.person.lecturer, id)
    expect(session.state.votes).toHaveLength(2)
    const doc = await boardDoc(world.board.duisburg.id)
    const frames = shapes(doc).filter((r) => r.type === 'frame' && r.parentId === 'page:page')
    expect(frames).toHaveLength(before + 1)
    const round = session.state.votes.find((v) => v.boardId === world.board.duisburg.id)!
    expect(frames.map((f) => f.id)).toContain(round.frameId)
    expect(round.targets.map((t) => t.id)).toEqual(frameTargets(doc, round.frameId).map((t) => t.id))
    expect(round.anonymous).toBe(false)
    await lecturer.emit('session:command', { sessionId: id, command: { type: 'end' } })
  })

  it('an old stored state with one `vote` still loads, as one running round', async () => {
    const round = { roundId: 'alt-1', boardId: world.board.hamm.id, frameId: 'shape:earlier', targets: [{ id: 'shape:a', label: 'A' }], dotsPerPerson: 2, anonymous: true, startedAt: 1 }
    const { votes: _votes, ...old } = initialState()
    const row = await store.insertSession(server.db.sql, { courseId: world.course.id, moduleNumber: null, title: 'Alt', createdBy: world.person.lecturer.id, state: { ...old, vote: round }, phases: [] })
    const session = await sessionAs(world.person.lecturer, row.id)
    expect(session.state.votes).toEqual([round])
    expect('vote' in session.state).toBe(false)
    expect(await connect(world.person.lecturer).emit('vote:close', { sessionId: row.id })).toEqual({ ok: true })
    const closed = await sessionAs(world.person.lecturer, row.id)
    expect(closed.state.votes).toEqual([])
    expect(closed.state.voteResults.map((r) => r.roundId)).toEqual(['alt-1'])
  })
})
