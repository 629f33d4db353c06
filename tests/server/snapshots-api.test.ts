/**
 * The snapshot endpoints against the real server: who may list, view, take and restore
 * (a guest of Hamm sees Hamm's snapshots, gets 403 for Duisburg's and cannot take or restore),
 * bad input changes nothing, and restore/compare work through HTTP with a live client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

type SnapshotJson = { id: string; label: string; kind: string; takenByName: string | null; boards: { boardId: string; kind: string; title: string }[] }

describe('snapshot API', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []
  const base = (municipalityId: string) => `${server.url}/api/v1/municipalities/${municipalityId}/snapshots`
  const call = (url: string, person: TestPerson, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { authorization: `Bearer ${person.token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } })
  const take = (municipalityId: string, person: TestPerson, body: unknown) => call(base(municipalityId), person, { method: 'POST', body: JSON.stringify(body) })
  const count = async (municipalityId: string) => ((await (await call(base(municipalityId), world.person.administrator)).json()) as { snapshots: unknown[] }).snapshots.length

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('lets the team take a snapshot with a label and everyone who sees the municipality list and view it', async () => {
    const client = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    clients.push(client)
    await client.synced
    client.doc.getMap('tl_records').set('page:page', { id: 'page:page', typeName: 'page', index: 'a1', name: 'Seite 1' })
    client.doc.getMap('tl_records').set('shape:a', {
      id: 'shape:a',
      typeName: 'shape',
      type: 'note',
      parentId: 'page:page',
      index: 'a1',
      x: 0,
      y: 0,
      props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Schiedsamt' }] }] } },
    })
    await waitFor(async () => (await server.rooms.currentState(world.board.hamm.id)).length > 150, 'stored')

    const res = await take(world.municipality.hamm.id, world.person.participantHamm, { label: '  Modul 1  ', note: 'Ende Tag 1' })
    expect(res.status).toBe(201)
    const snapshot = (await res.json()) as SnapshotJson
    expect(snapshot).toMatchObject({ label: 'Modul 1', kind: 'manual', takenByName: 'Teilnehmerin Hamm' })
    expect(snapshot.boards.map((b) => b.kind).sort()).toEqual(['design', 'whiteboard'])

    for (const person of [world.person.guestHamm, world.person.mediatorHamm, world.person.lecturer, world.person.coordinator]) {
      const list = await call(base(world.municipality.hamm.id), person)
      expect(list.status, person.email).toBe(200)
      expect(((await list.json()) as { snapshots: SnapshotJson[] }).snapshots.map((s) => s.id)).toContain(snapshot.id)
      expect((await call(`${base(world.municipality.hamm.id)}/${snapshot.id}`, person)).status).toBe(200)
    }
    const svg = await call(`${base(world.municipality.hamm.id)}/${snapshot.id}/boards/${world.board.hamm.id}/svg`, world.person.guestHamm)
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toContain('image/svg+xml')
    expect(await svg.text()).toContain('Schiedsamt')
    const json = await call(`${base(world.municipality.hamm.id)}/${snapshot.id}/boards/${world.board.hamm.id}/json`, world.person.guestHamm)
    expect(((await json.json()) as { records: { id: string }[] }).records.map((r) => r.id).sort()).toEqual(['page:page', 'shape:a'])
  })

  it('refuses a guest of Hamm Duisburg’s snapshots (403), taking and restoring (403); outsiders see nothing', async () => {
    const duisburg = (await (await take(world.municipality.duisburg.id, world.person.participantDuisburg, { label: 'Duisburg 1' })).json()) as SnapshotJson
    const hamm = ((await (await call(base(world.municipality.hamm.id), world.person.guestHamm)).json()) as { snapshots: SnapshotJson[] }).snapshots[0]
    const guest = world.person.guestHamm
    expect((await call(base(world.municipality.duisburg.id), guest)).status).toBe(403)
    expect((await call(`${base(world.municipality.duisburg.id)}/${duisburg.id}`, guest)).status).toBe(403)
    expect((await call(`${base(world.municipality.duisburg.id)}/${duisburg.id}/boards/${world.board.duisburg.id}/svg`, guest)).status).toBe(403)
    // Duisburg's snapshot asked for under Hamm's address is not Hamm's: 404.
    expect((await call(`${base(world.municipality.hamm.id)}/${duisburg.id}`, guest)).status).toBe(404)

    const before = await count(world.municipality.hamm.id)
    expect((await take(world.municipality.hamm.id, guest, { label: 'Gast' })).status).toBe(403)
    expect((await take(world.municipality.hamm.id, world.person.coordinator, { label: 'Koordination' })).status).toBe(403)
    expect((await call(`${base(world.municipality.hamm.id)}/${hamm.id}/restore`, guest, { method: 'POST' })).status).toBe(403)
    expect((await call(`${base(world.municipality.hamm.id)}/${hamm.id}/restore`, world.person.participantDuisburg, { method: 'POST' })).status).toBe(403)
    expect(await count(world.municipality.hamm.id)).toBe(before)

    expect((await call(base(world.municipality.hamm.id), world.person.outsider)).status).toBe(403)
    expect((await call(base('00000000-0000-0000-0000-000000000000'), world.person.administrator)).status).toBe(404)
    expect((await call(`${base(world.municipality.hamm.id)}/nope`, world.person.administrator)).status).toBe(404)
    expect((await fetch(base(world.municipality.hamm.id))).status).toBe(401)
  })

  it.each([
    ['no label', {}],
    ['an empty label', { label: '   ' }],
    ['a too long label', { label: 'x'.repeat(201) }],
    ['a label of the wrong type', { label: 7 }],
    ['a too long note', { label: 'ok', note: 'x'.repeat(2001) }],
  ])('refuses %s with 400 and stores nothing', async (_name, body) => {
    const before = await count(world.municipality.hamm.id)
    const res = await take(world.municipality.hamm.id, world.person.participantHamm, body)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_body')
    expect(await count(world.municipality.hamm.id)).toBe(before)
  })

  it('compares a snapshot with now and restores it through the API, live for a connected client', async () => {
    const client = connectClient(server.url, world.board.hamm.id, world.person.mediatorHamm.token)
    clients.push(client)
    await client.synced
    const snapshot = (await (await take(world.municipality.hamm.id, world.person.lecturer, { label: 'Vorher' })).json()) as SnapshotJson
    client.doc.getMap('tl_records').delete('shape:a')
    await waitFor(async () => {
      const res = await call(`${base(world.municipality.hamm.id)}/compare?from=${snapshot.id}`, world.person.guestHamm)
      const body = (await res.json()) as { boards: { changes: { change: string; text: string }[] }[] }
      return body.boards.flatMap((b) => b.changes).some((c) => c.change === 'removed' && c.text === 'Schiedsamt')
    }, 'deletion shows in the comparison')
    expect((await call(`${base(world.municipality.hamm.id)}/compare?from=garbage`, world.person.guestHamm)).status).toBe(400)

    const res = await call(`${base(world.municipality.hamm.id)}/${snapshot.id}/restore`, world.person.participantHamm, { method: 'POST' })
    expect(res.status).toBe(200)
    const result = (await res.json()) as { restored: string[]; beforeRestore: SnapshotJson }
    expect(result.beforeRestore.kind).toBe('before_restore')
    await waitFor(() => client.doc.getMap('tl_records').has('shape:a'), 'restored shape seen live by the connected client')
    const after = (await (await call(`${base(world.municipality.hamm.id)}/compare?from=${snapshot.id}&to=now`, world.person.guestHamm)).json()) as {
      boards: { presence: string; changes: unknown[] }[]
    }
    expect(after.boards.every((b) => b.presence === 'both' && b.changes.length === 0)).toBe(true)
  })

  it('records taking and restoring in the audit log, listed for coordinators only', async () => {
    const url = `${server.url}/api/v1/municipalities/${world.municipality.hamm.id}/audit`
    for (const person of [world.person.coordinator, world.person.courseCoordinator, world.person.administrator]) {
      expect((await call(url, person)).status, person.email).toBe(200)
    }
    for (const person of [world.person.guestHamm, world.person.participantHamm, world.person.lecturer, world.person.outsider]) {
      expect((await call(url, person)).status, person.email).toBe(403)
    }
    const { entries } = (await (await call(url, world.person.coordinator)).json()) as { entries: { action: string; personName: string | null; details: { label?: string } }[] }
    expect(entries[0]).toMatchObject({ action: 'snapshot.restore', personName: 'Teilnehmerin Hamm', details: { label: 'Vorher' } })
    expect(entries).toContainEqual(expect.objectContaining({ action: 'snapshot.take', personName: 'Dozentin', details: expect.objectContaining({ label: 'Vorher' }) }))
  })
})
