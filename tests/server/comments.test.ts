/**
 * Comments against the real server, database and socket.io: open a thread on a shape, reply,
 * @-mention a team member, resolve and reopen; guests are refused; a second client sees every
 * change live; bad input is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { RunningServer } from '../../server/app'
import { waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type Thread = { id: string; status: string; anchor: { kind: string; id: string }; comments: { body: string; authorName: string; mentions: { id: string; name: string }[] }[] }

describe('comments', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const sockets: Socket[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const count = async () => Number((await server.db.sql`select count(*)::int as n from comments`)[0].n)

  async function listen(token: string, boardId: string) {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token } })
    sockets.push(socket)
    const events: { event: string; thread: Thread }[] = []
    socket.on('comments:changed', (p: { thread: Thread }) => events.push({ event: 'changed', thread: p.thread }))
    socket.on('comments:mentioned', (p: { thread: Thread }) => events.push({ event: 'mentioned', thread: p.thread }))
    const reply = await socket.timeout(5000).emitWithAck('board:join', { boardId })
    expect(reply.ok).toBe(true)
    return events
  }

  it('create, reply with a mention, resolve and reopen — each seen live by another client; the mentioned person is told', async () => {
    const board = world.board.hamm
    const mediatorEvents = await listen(world.person.mediatorHamm.token, board.id)
    const guestEvents = await listen(world.person.guestHamm.token, board.id)
    const participant = world.person.participantHamm

    const mentionable = (await (await call(participant.token, 'GET', `/boards/${board.id}/mentionable`)).json()) as { people: { id: string; name: string }[] }
    const names = mentionable.people.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['Mediator Hamm', 'Dozentin', 'Gast Hamm']))
    expect(names).not.toContain('Teilnehmer Duisburg')

    const created = await call(participant.token, 'POST', `/boards/${board.id}/comments`, { anchor: { kind: 'shape', id: 'shape:akteur-1', label: 'Akteur' }, body: 'Wer vertritt den Moscheeverein?' })
    expect(created.status).toBe(201)
    const thread = (await created.json()) as Thread
    expect(thread).toMatchObject({ status: 'open', anchor: { kind: 'shape', id: 'shape:akteur-1' } })
    await waitFor(() => mediatorEvents.some((e) => e.thread.id === thread.id), 'new thread reaches the mediator live')
    await waitFor(() => guestEvents.some((e) => e.thread.id === thread.id), 'and the reading guest')

    const mediatorId = world.person.mediatorHamm.id
    const replied = await call(participant.token, 'POST', `/comment-threads/${thread.id}/replies`, { body: '@Mediator Hamm, kannst du das klären?', mentions: [mediatorId] })
    expect(replied.status).toBe(201)
    const afterReply = (await replied.json()) as Thread
    expect(afterReply.comments.map((c) => c.body)).toEqual(['Wer vertritt den Moscheeverein?', '@Mediator Hamm, kannst du das klären?'])
    expect(afterReply.comments[1].mentions).toEqual([{ id: mediatorId, name: 'Mediator Hamm' }])
    await waitFor(() => mediatorEvents.some((e) => e.event === 'mentioned' && e.thread.id === thread.id), 'the mentioned mediator is told')
    expect(guestEvents.some((e) => e.event === 'mentioned')).toBe(false)

    const resolved = await call(world.person.mediatorHamm.token, 'PUT', `/comment-threads/${thread.id}/status`, { status: 'resolved' })
    expect(((await resolved.json()) as Thread).status).toBe('resolved')
    await waitFor(() => guestEvents.some((e) => e.thread.id === thread.id && e.thread.status === 'resolved'), 'resolution seen live')
    const open = (await (await call(world.person.guestHamm.token, 'GET', `/boards/${board.id}/comments`)).json()) as { threads: Thread[] }
    expect(open.threads.map((t) => t.id)).not.toContain(thread.id)
    const all = (await (await call(world.person.guestHamm.token, 'GET', `/boards/${board.id}/comments?status=all`)).json()) as { threads: Thread[] }
    expect(all.threads.map((t) => t.id)).toContain(thread.id)

    expect((await call(participant.token, 'PUT', `/comment-threads/${thread.id}/status`, { status: 'open' })).status).toBe(200)
    const reopened = (await (await call(participant.token, 'GET', `/boards/${board.id}/comments`)).json()) as { threads: Thread[] }
    expect(reopened.threads.find((t) => t.id === thread.id)?.comments).toHaveLength(2)
  })

  it('guests read but never write: thread, reply and resolve are refused and nothing changes', async () => {
    const board = world.board.hamm
    const thread = (await (await call(world.person.participantHamm.token, 'POST', `/boards/${board.id}/comments`, { anchor: { kind: 'board' }, body: 'Offene Frage' })).json()) as Thread
    const before = await count()
    const guest = world.person.guestHamm.token
    expect((await call(guest, 'POST', `/boards/${board.id}/comments`, { anchor: { kind: 'board' }, body: 'Gast' })).status).toBe(403)
    expect((await call(guest, 'POST', `/comment-threads/${thread.id}/replies`, { body: 'Gast' })).status).toBe(403)
    expect((await call(guest, 'PUT', `/comment-threads/${thread.id}/status`, { status: 'resolved' })).status).toBe(403)
    expect(await count()).toBe(before)
    const still = (await (await call(guest, 'GET', `/boards/${board.id}/comments`)).json()) as { threads: Thread[] }
    expect(still.threads.find((t) => t.id === thread.id)?.status).toBe('open')
  })

  it('comments on a section and an entry of the Systemdesign are listed per design with those of the boards', async () => {
    const { getDesignDocument } = await import('../../db/boards.server')
    const design = (await getDesignDocument(server.db.sql, world.municipality.hamm.id))!
    const token = world.person.participantHamm.token
    expect((await call(token, 'POST', `/boards/${design.id}/comments`, { anchor: { kind: 'section', id: 'leitbild', label: 'Leitbild und Ziele' }, body: 'Ziele messbar formulieren' })).status).toBe(
      201,
    )
    expect((await call(token, 'POST', `/boards/${design.id}/comments`, { anchor: { kind: 'entry', id: 'akteur:123', label: 'Moscheeverein' }, body: 'Einfluss prüfen' })).status).toBe(201)
    const list = (await (await call(world.person.guestHamm.token, 'GET', `/municipalities/${world.municipality.hamm.id}/comments`)).json()) as { threads: (Thread & { board: { kind: string } })[] }
    const kinds = list.threads.map((t) => `${t.board.kind}:${t.anchor.kind}`)
    expect(kinds).toEqual(expect.arrayContaining(['design:section', 'design:entry', 'whiteboard:board']))
    expect(list.threads.every((t) => t.status === 'open')).toBe(true)
    expect((await call(world.person.participantDuisburg.token, 'GET', `/municipalities/${world.municipality.hamm.id}/comments`)).status).toBe(403)
  })

  it('bad input and mentions of people without access are refused and change nothing', async () => {
    const board = world.board.hamm
    const token = world.person.participantHamm.token
    const before = await count()
    for (const body of [
      {},
      { anchor: { kind: 'shape', id: 'shape:a' }, body: '' },
      { anchor: { kind: 'shape', id: 'shape:a' }, body: 'x'.repeat(5001) },
      { anchor: { kind: 'elsewhere', id: 'a' }, body: 'x' },
      { anchor: { kind: 'shape', id: '' }, body: 'ohne Form' },
      { anchor: { kind: 'board' }, body: 'x', mentions: ['nope'] },
      { anchor: { kind: 'board' }, body: 'x', mentions: [world.person.participantDuisburg.id] },
      { anchor: { kind: 'board' }, body: 'x', mentions: [world.person.outsider.id] },
    ]) {
      expect((await call(token, 'POST', `/boards/${board.id}/comments`, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400)
    }
    expect((await call(token, 'POST', `/comment-threads/${crypto.randomUUID()}/replies`, { body: 'x' })).status).toBe(404)
    expect(await count()).toBe(before)
  })
})
