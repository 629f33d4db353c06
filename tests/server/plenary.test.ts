/**
 * The plenary view: a lecturer brings everyone to one group's board. That group's people follow
 * it; the other groups may not open it (the access policy), so they get its picture from the
 * session's plenary address — only while the summon lasts, only people of the course. A summon
 * to a board outside the course is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const NOTE_TEXT = 'Ergebnis der Gruppe Hamm: Anlaufstelle im Bürgerbüro'

describe('plenary view of a group board', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let sessionId: string
  const sockets: Socket[] = []

  const socketOf = (person: TestPerson) => {
    const s = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: person.token } })
    sockets.push(s)
    return (event: string, payload: unknown) => s.timeout(5000).emitWithAck(event, payload)
  }
  const plenum = (person: TestPerson) => fetch(`${server.url}/kurse/${world.course.id}/sitzung/${sessionId}/plenum`, { headers: { cookie: person.cookie }, redirect: 'manual' })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    sessionId = (await socketOf(world.person.lecturer)('session:open', { courseId: world.course.id, title: 'Modul 3 – Ergebnisse' })).session.id
    await server.rooms.edit(world.board.hamm.id, (doc) => {
      const records = doc.getMap('tl_records')
      records.set('page:page', { id: 'page:page', typeName: 'page', name: 'Seite 1', index: 'a1', meta: {} })
      records.set('shape:ergebnis', {
        id: 'shape:ergebnis',
        typeName: 'shape',
        type: 'note',
        parentId: 'page:page',
        index: 'a1',
        x: 0,
        y: 0,
        rotation: 0,
        isLocked: false,
        opacity: 1,
        meta: {},
        props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: NOTE_TEXT }] }] } },
      })
    })
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await server?.close()
    await db?.drop()
  })

  it('tells each participant their group when they join', async () => {
    expect((await socketOf(world.person.participantDuisburg)('session:join', { sessionId })).group).toBe(world.municipality.duisburg.id)
    expect((await socketOf(world.person.participantHamm)('session:join', { sessionId })).group).toBe(world.municipality.hamm.id)
  })

  it('refuses a summon to a board outside the course and changes nothing', async () => {
    const lecturer = socketOf(world.person.lecturer)
    const before = (await lecturer('session:join', { sessionId })).session
    expect(await lecturer('session:command', { sessionId, command: { type: 'summon', boardId: world.board.herne.id, follow: false } })).toEqual({ ok: false, error: 'invalid' })
    expect(await lecturer('session:command', { sessionId, command: { type: 'summon', boardId: '00000000-0000-4000-8000-000000000000', follow: false } })).toEqual({ ok: false, error: 'invalid' })
    expect((await lecturer('session:join', { sessionId })).session).toEqual(before)
    expect((await plenum(world.person.participantDuisburg)).status).toBe(404)
  })

  it('shows the summoned group board to the other groups as a picture with its text, only while the summon lasts', async () => {
    const lecturer = socketOf(world.person.lecturer)
    expect(await lecturer('session:command', { sessionId, command: { type: 'summon', boardId: world.board.hamm.id, follow: false } })).toEqual({ ok: true })
    const summon = (await lecturer('session:join', { sessionId })).session.state.summon
    expect(summon).toMatchObject({ boardId: world.board.hamm.id, municipalityId: world.municipality.hamm.id, title: world.board.hamm.title })

    // Duisburg may not open Hamm's board, but sees it in the plenary view.
    expect((await fetch(`${server.url}/boards/${world.board.hamm.id}`, { headers: { cookie: world.person.participantDuisburg.cookie } })).status).toBe(403)
    const picture = await plenum(world.person.participantDuisburg)
    expect(picture.status).toBe(200)
    expect(picture.headers.get('content-type')).toContain('image/svg+xml')
    expect((await picture.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Anlaufstelle im Bürgerbüro')

    // Nobody outside the course, and nobody signed out.
    expect((await plenum(world.person.outsider)).status).toBe(403)
    expect((await fetch(`${server.url}/kurse/${world.course.id}/sitzung/${sessionId}/plenum`, { redirect: 'manual' })).status).toBeGreaterThanOrEqual(300)
    // The session's address of another course does not open it either.
    expect((await fetch(`${server.url}/kurse/${world.otherCourse.id}/sitzung/${sessionId}/plenum`, { headers: { cookie: world.person.participantDuisburg.cookie } })).status).toBe(403)

    expect(await lecturer('session:command', { sessionId, command: { type: 'release' } })).toEqual({ ok: true })
    expect((await plenum(world.person.participantDuisburg)).status).toBe(404)
  })
})
