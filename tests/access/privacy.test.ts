/** Personal data: export per person and per municipality (Art. 15), deletion of a person (Art. 17). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('personal data', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const api = (token: string, path: string, init: RequestInit = {}) => fetch(`${server.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  it('a person reads everything stored about them, without any secret; others may not', async () => {
    const me = world.person.participantHamm
    // Things stored about them beyond their account: a snapshot they took (and its audit entry).
    const taken = await api(me.token, `/municipalities/${world.municipality.hamm.id}/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'Mein Stand' }),
    })
    expect(taken.status).toBe(201)
    const res = await api(me.token, `/people/${me.id}/personal-data`)
    expect(res.status).toBe(200)
    const text = await res.text()
    const data = JSON.parse(text)
    expect(data.person.email).toBe(me.email)
    expect(data.memberships).toEqual([expect.objectContaining({ role: 'participant', municipalityId: world.municipality.hamm.id })])
    expect(data.sessions.length).toBeGreaterThan(0)
    expect(data.accessTokens).toEqual([expect.objectContaining({ label: 'test' })])
    expect(data.snapshotsTaken).toEqual([expect.objectContaining({ label: 'Mein Stand', municipalityId: world.municipality.hamm.id })])
    // The role given to them (by the installation) and the snapshot they took.
    expect(data.audit).toEqual([expect.objectContaining({ action: 'role.grant', asActor: false }), expect.objectContaining({ action: 'snapshot.take', asActor: true })])
    expect(data.comments).toEqual([])
    expect(text).not.toContain(me.token)
    expect(text).not.toContain(me.cookie.split('=')[1])
    expect(text).not.toMatch(/[0-9a-f]{64}/)
    expect((await api(world.person.participantDuisburg.token, `/people/${me.id}/personal-data`)).status).toBe(403)
    expect((await api(world.person.administrator.token, `/people/${me.id}/personal-data`)).status).toBe(200)
  })

  it('a municipality’s export lists every person with a role there, for those who manage it', async () => {
    const res = await api(world.person.lecturer.token, `/municipalities/${world.municipality.hamm.id}/personal-data`)
    expect(res.status).toBe(200)
    const emails = (await res.json()).people.map((p: { person: { email: string } }) => p.person.email).sort()
    expect(emails).toEqual([world.person.guestHamm.email, world.person.mediatorHamm.email, world.person.participantHamm.email].sort())
    expect((await api(world.person.participantHamm.token, `/municipalities/${world.municipality.hamm.id}/personal-data`)).status).toBe(403)
  })

  it('deleting a person removes their account and roles, closes their sockets and keeps the boards', async () => {
    const leaving = world.person.mediatorHamm
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${world.board.hamm.id}`, { headers: { authorization: `Bearer ${leaving.token}` } })
    await new Promise((resolve) => ws.once('open', resolve))
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    expect((await api(world.person.lecturer.token, `/people/${leaving.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await api(world.person.administrator.token, `/people/${world.person.administrator.id}`, { method: 'DELETE' })).status).toBe(400)
    expect((await api(world.person.administrator.token, `/people/${leaving.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await closed).toBe(4403)
    expect((await api(leaving.token, '/me')).status).toBe(401)
    const rows = await server.db.sql`
      select (select count(*) from people where id = ${leaving.id}) + (select count(*) from memberships where person_id = ${leaving.id})
           + (select count(*) from sessions where person_id = ${leaving.id}) + (select count(*) from access_tokens where person_id = ${leaving.id}) as n`
    expect(Number(rows[0].n)).toBe(0)
    expect((await api(world.person.participantHamm.token, `/boards/${world.board.hamm.id}`)).status).toBe(200)
  })
})
