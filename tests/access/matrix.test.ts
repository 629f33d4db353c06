/**
 * The authorization matrix: every role × every board × every channel (JSON API, Yjs socket,
 * socket.io event, comments) against the one policy — allowed and denied. A participant of Hamm can
 * neither read nor write Duisburg's board on any channel; a guest can read but never write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { encodeUpdate } from '../../collab/protocol'
import { countLogRows } from '../../db/board-documents.server'
import type { RunningServer } from '../../server/app'
import { waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import * as boards from '../../db/boards.server'
import * as comments from '../../db/comments.server'
import { buildWorld, makePerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type Access = 'none' | 'read' | 'write'
type PersonKey = keyof World['person']
type BoardKey = keyof World['board']

/** What the policy promises, written out by hand (the tests compare the server with this table). */
const expected: Record<PersonKey, Record<BoardKey, Access>> = {
  administrator: { hamm: 'write', duisburg: 'write', herne: 'write', plenum: 'write' },
  coordinator: { hamm: 'read', duisburg: 'read', herne: 'read', plenum: 'write' },
  courseCoordinator: { hamm: 'read', duisburg: 'read', herne: 'none', plenum: 'write' },
  lecturer: { hamm: 'write', duisburg: 'write', herne: 'none', plenum: 'write' },
  mediatorHamm: { hamm: 'write', duisburg: 'none', herne: 'none', plenum: 'read' },
  participantHamm: { hamm: 'write', duisburg: 'none', herne: 'none', plenum: 'read' },
  participantDuisburg: { hamm: 'none', duisburg: 'write', herne: 'none', plenum: 'read' },
  guestHamm: { hamm: 'read', duisburg: 'none', herne: 'none', plenum: 'none' },
  outsider: { hamm: 'none', duisburg: 'none', herne: 'none', plenum: 'none' },
}

const cells = Object.entries(expected).flatMap(([person, row]) =>
  Object.entries(row).map(([board, access]) => [person as PersonKey, board as BoardKey, access] as const),
)

describe('authorization matrix', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const sockets: Socket[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  const get = (person: PersonKey, path: string) =>
    fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${world.person[person].token}` } }).then((r) => r.status)
  const send = (person: PersonKey, method: string, path: string, body: unknown) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${world.person[person].token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  describe('HTTP page: GET /boards/:id with the session cookie', () => {
    it.each(cells)('%s on %s board: %s', async (person, board, access) => {
      const res = await fetch(`${server.url}/boards/${world.board[board].id}`, {
        headers: { cookie: world.person[person].cookie },
        redirect: 'manual',
      })
      expect(res.status).toBe(access === 'none' ? 403 : 200)
      const html = await res.text()
      if (access === 'none') expect(html).toContain('Kein Zugriff')
      else expect(html).toContain(world.board[board].title)
    })

    it('sends a signed-out visitor to the sign-in page', async () => {
      const res = await fetch(`${server.url}/boards/${world.board.hamm.id}`, { redirect: 'manual' })
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toMatch(/^\/anmelden\?weiter=/)
    })
  })

  describe('JSON API: GET /api/v1/boards/:id', () => {
    it.each(cells)('%s on %s board: %s', async (person, board, access) => {
      const res = await fetch(`${server.url}/api/v1/boards/${world.board[board].id}`, {
        headers: { authorization: `Bearer ${world.person[person].token}` },
      })
      expect(res.status).toBe(access === 'none' ? 403 : 200)
    })
  })

  describe('Yjs websocket: upgrade, then an edit', () => {
    it.each(cells)('%s on %s board: %s', async (person, board, access) => {
      const boardId = world.board[board].id
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${boardId}`, {
        headers: { authorization: `Bearer ${world.person[person].token}` },
      })
      const opened = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => {})
      })
      expect(opened).toBe(access === 'none' ? 403 : 101)
      if (access === 'none') return

      const received: Uint8Array[] = []
      ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
      const rowsBefore = await countLogRows(server.db.sql, boardId)
      const doc = new Y.Doc()
      doc.getMap('tl_records').set(`shape:${person}`, { by: person })
      ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)))
      if (access === 'write') {
        await waitFor(async () => (await countLogRows(server.db.sql, boardId)) === rowsBefore + 1, 'the edit is stored')
      } else {
        // A read-only client is told (y-protocols auth message "permission denied") and nothing is stored.
        await waitFor(() => received.some((m) => decoding.readVarUint(decoding.createDecoder(m)) === 2), 'permission-denied message')
        expect(await countLogRows(server.db.sql, boardId)).toBe(rowsBefore)
      }
      ws.close()
    })

    it('refuses an upgrade without credentials with 401, before the upgrade', async () => {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${world.board.hamm.id}`)
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => {})
      })
      expect(status).toBe(401)
    })

    it('refuses an upgrade from a foreign origin riding on a cookie with 403', async () => {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${world.board.hamm.id}`, {
          headers: { cookie: world.person.participantHamm.cookie, origin: 'https://evil.example' },
        })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => resolve(101))
        ws.on('error', () => {})
      })
      expect(status).toBe(403)
    })
  })

  describe('socket.io: connect, then board:join', () => {
    it.each(cells)('%s on %s board: %s', async (person, board, access) => {
      const socket = connectSocketIo(server.url, {
        transports: ['websocket'],
        forceNew: true,
        extraHeaders: { cookie: world.person[person].cookie },
      })
      sockets.push(socket)
      const reply = await socket.timeout(5000).emitWithAck('board:join', { boardId: world.board[board].id })
      expect(reply.ok).toBe(access !== 'none')
      if (access === 'none') expect(reply.error).toBe('forbidden')
      else expect(reply.access).toBe(access)
      socket.disconnect()
    })

    it('refuses a connection without credentials', async () => {
      const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true })
      sockets.push(socket)
      const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve))
      expect(error.message).toBe('unauthorized')
    })

    it('answers malformed events with an error and changes nothing', async () => {
      const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.administrator.token } })
      sockets.push(socket)
      for (const payload of [null, 42, 'x', {}, { boardId: 7 }, { boardId: 'x'.repeat(500) }]) {
        const reply = await socket.timeout(5000).emitWithAck('board:join', payload)
        expect(reply).toEqual({ ok: false, error: 'invalid' })
      }
      expect((await socket.timeout(5000).emitWithAck('board:join', { boardId: 'nope' })).error).toBe('not_found')
    })
  })

  describe('comments: read with board.view, write with board.edit (guests read, never write)', () => {
    it.each(cells)('%s on %s board: %s', async (person, board, access) => {
      const boardId = world.board[board].id
      expect(await get(person, `/boards/${boardId}/comments`)).toBe(access === 'none' ? 403 : 200)
      const before = Number((await server.db.sql`select count(*)::int as n from comments`)[0].n)
      const created = await send(person, 'POST', `/boards/${boardId}/comments`, { anchor: { kind: 'shape', id: 'shape:x' }, body: `von ${person}` })
      expect(created.status).toBe(access === 'write' ? 201 : 403)
      const after = Number((await server.db.sql`select count(*)::int as n from comments`)[0].n)
      expect(after - before).toBe(access === 'write' ? 1 : 0)
      if (access !== 'write') return
      const thread = (await created.json()) as { id: string }
      // Reply and resolve follow the same rule for everyone else on the same board.
      for (const other of Object.keys(expected) as PersonKey[]) {
        const may = expected[other][board]
        const replied = await send(other, 'POST', `/comment-threads/${thread.id}/replies`, { body: 'Antwort' })
        expect(replied.status, `${other} replies`).toBe(may === 'write' ? 201 : 403)
      }
    })
  })

  describe('courses, municipalities and roles over the API', () => {

    it.each([
      ['administrator', 200, 200],
      ['coordinator', 200, 200],
      ['courseCoordinator', 200, 200],
      ['lecturer', 200, 200],
      ['mediatorHamm', 200, 200],
      ['participantHamm', 200, 200],
      ['participantDuisburg', 200, 403],
      ['guestHamm', 403, 200],
      ['outsider', 403, 403],
    ] as const)('%s: course %i, municipality Hamm %i', async (person, course, hamm) => {
      expect(await get(person, `/courses/${world.course.id}`)).toBe(course)
      expect(await get(person, `/municipalities/${world.municipality.hamm.id}`)).toBe(hamm)
    })

    it('only administrators and programme coordinators create courses and municipalities', async () => {
      for (const person of ['lecturer', 'participantHamm', 'guestHamm', 'courseCoordinator'] as const) {
        expect((await send(person, 'POST', '/courses', { name: 'Neue Runde' })).status).toBe(403)
        expect((await send(person, 'POST', '/municipalities', { name: `Neu ${person}`, kind: 'Gemeinde' })).status).toBe(403)
      }
      expect((await send('coordinator', 'POST', '/courses', { name: 'Dritte Runde', format: 'shortened' })).status).toBe(201)
      expect((await send('administrator', 'POST', '/municipalities', { name: 'Solingen (Test)', kind: 'Stadt' })).status).toBe(201)
    })

    it('a guest can never change the design status; a participant of the municipality can', async () => {
      const path = `/municipalities/${world.municipality.hamm.id}/design/status`
      expect((await send('guestHamm', 'PUT', path, { status: 'Beschlossen' })).status).toBe(403)
      expect((await send('participantDuisburg', 'PUT', path, { status: 'Beschlossen' })).status).toBe(403)
      const ok = await send('participantHamm', 'PUT', path, { status: 'Abgestimmt' })
      expect(ok.status).toBe(200)
      expect((await ok.json()).status).toBe('Abgestimmt')
      expect((await send('participantHamm', 'PUT', path, { status: 'Erledigt' })).status).toBe(400)
    })

    it('roles can only be granted within one’s own reach, and never administrator by others', async () => {
      const target = world.person.outsider
      const grantIn = (person: PersonKey, body: Record<string, unknown>) => send(person, 'POST', '/memberships', { email: target.email, ...body })
      expect((await grantIn('participantHamm', { role: 'participant', municipalityId: world.municipality.hamm.id })).status).toBe(403)
      expect((await grantIn('lecturer', { role: 'participant', courseId: world.otherCourse.id, municipalityId: world.municipality.herne.id })).status).toBe(403)
      expect((await grantIn('lecturer', { role: 'administrator' })).status).toBe(403)
      expect((await grantIn('coordinator', { role: 'administrator' })).status).toBe(403)
      expect((await send('lecturer', 'POST', '/memberships', { email: 'niemand@nirgends.test', role: 'guest', municipalityId: world.municipality.hamm.id })).status).toBe(404)
      // A forged role name is a bad request, not a grant.
      expect((await grantIn('administrator', { role: 'superuser' })).status).toBe(400)
      expect((await get('outsider', `/boards/${world.board.hamm.id}`))).toBe(403)
    })
  })

  describe('personal data across two courses: who reads which export, and what it holds', () => {
    // A person in a team of each course (Hamm in the Pilotrunde, Herne in the Zweite Runde), with work in both.
    let both: Awaited<ReturnType<typeof makePerson>>
    const mark = { hamm: 'Kommentar-in-Hamm', herne: 'Kommentar-in-Herne', hammStand: 'Stand-Hamm', herneStand: 'Stand-Herne' }
    beforeAll(async () => {
      const sql = server.db.sql
      both = await makePerson(sql, 'In beiden Runden', [
        { role: 'participant', courseId: world.course.id, municipalityId: world.municipality.hamm.id },
        { role: 'participant', courseId: world.otherCourse.id, municipalityId: world.municipality.herne.id },
      ])
      for (const where of ['hamm', 'herne'] as const) {
        const board = world.board[where]
        await comments.createThread(sql, { boardId: board.id, anchor: { kind: 'board', id: '', label: '' }, authorId: both.id, body: mark[where], mentions: [] })
        await boards.recordVisit(sql, both.id, board.id)
        const label = where === 'hamm' ? mark.hammStand : mark.herneStand
        await sql`insert into snapshots (municipality_id, kind, label, taken_by) values (${world.municipality[where].id}, 'manual', ${label}, ${both.id})`
      }
    })

    /** Who may read the municipality exports of Hamm (Pilotrunde) and Herne (Zweite Runde), and the person's own export. */
    const exportCells: [PersonKey, { hamm: number; herne: number; person: number }][] = [
      ['administrator', { hamm: 200, herne: 200, person: 200 }],
      ['coordinator', { hamm: 200, herne: 200, person: 403 }],
      ['courseCoordinator', { hamm: 200, herne: 403, person: 403 }],
      ['lecturer', { hamm: 200, herne: 403, person: 403 }],
      ['mediatorHamm', { hamm: 403, herne: 403, person: 403 }],
      ['participantHamm', { hamm: 403, herne: 403, person: 403 }],
      ['participantDuisburg', { hamm: 403, herne: 403, person: 403 }],
      ['guestHamm', { hamm: 403, herne: 403, person: 403 }],
      ['outsider', { hamm: 403, herne: 403, person: 403 }],
    ]

    it.each(exportCells)('%s: Hamm, Herne, the person — %o', async (person, want) => {
      for (const where of ['hamm', 'herne'] as const) {
        const res = await fetch(`${server.url}/api/v1/municipalities/${world.municipality[where].id}/personal-data`, { headers: { authorization: `Bearer ${world.person[person].token}` } })
        expect(res.status, where).toBe(want[where])
        if (res.status !== 200) continue
        const text = await res.text()
        const entry = (JSON.parse(text) as { people: { person: { id: string } }[] }).people.find((p) => p.person.id === both.id)
        expect(entry, `the person is in ${where}'s export`).toBeDefined()
        // Only this municipality's work: comments, visited boards and Stände of the other course's municipality never appear.
        const other = where === 'hamm' ? 'herne' : 'hamm'
        expect(text).toContain(mark[where])
        expect(text).toContain(world.board[where].title)
        expect(text).toContain(where === 'hamm' ? mark.hammStand : mark.herneStand)
        expect(text).not.toContain(mark[other])
        expect(text).not.toContain(world.board[other].title)
        expect(text).not.toContain(other === 'hamm' ? mark.hammStand : mark.herneStand)
        expect(text).not.toContain(world.municipality[other].id)
        expect(JSON.stringify(entry)).not.toContain('"sessions":[{')
      }
      expect(await get(person, `/people/${both.id}/personal-data`)).toBe(want.person)
    })

    it('the person themselves reads everything stored about them, in both courses', async () => {
      const res = await fetch(`${server.url}/api/v1/people/${both.id}/personal-data`, { headers: { authorization: `Bearer ${both.token}` } })
      expect(res.status).toBe(200)
      const text = await res.text()
      for (const marker of Object.values(mark)) expect(text).toContain(marker)
      const data = JSON.parse(text)
      expect(data.sessions.length).toBeGreaterThan(0)
      expect(data.boardVisits.map((v: { title: string }) => v.title).sort()).toEqual([world.board.hamm.title, world.board.herne.title].sort())
    })
  })

  describe('access changes take effect on open connections', () => {
    it('a removed member’s Yjs socket is closed and their socket.io events are refused', async () => {
      const member = world.person.mediatorHamm
      const boardId = world.board.hamm.id
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${boardId}`, { headers: { authorization: `Bearer ${member.token}` } })
      await new Promise((resolve) => ws.once('open', resolve))
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
      const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: member.token } })
      sockets.push(socket)
      expect((await socket.timeout(5000).emitWithAck('board:join', { boardId })).ok).toBe(true)
      const revoked = new Promise<{ boardId: string }>((resolve) => socket.once('access:revoked', resolve))

      const list = await (
        await fetch(`${server.url}/api/v1/memberships?courseId=${world.course.id}`, { headers: { authorization: `Bearer ${world.person.lecturer.token}` } })
      ).json()
      const membership = list.memberships.find((m: { personId: string }) => m.personId === member.id)
      const res = await fetch(`${server.url}/api/v1/memberships/${membership.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${world.person.lecturer.token}` },
      })
      expect(res.status).toBe(204)

      expect(await closed).toBe(4403)
      expect((await revoked).boardId).toBe(boardId)
      expect((await socket.timeout(5000).emitWithAck('board:join', { boardId })).error).toBe('forbidden')
      expect((await get('mediatorHamm', `/boards/${boardId}`))).toBe(403)
    })
  })
})
