/**
 * The Systemdesign document over the real server with real y-websocket clients: typed lists
 * and prose converge, concurrent seeding yields one taxonomy, the access rules of boards hold
 * (a guest's writes are dropped), and the document never shows up as a whiteboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { getDesignDocument } from '../../db/boards.server'
import { addEntry, moveEntry, readList, removeEntry, sectionFragment, seedKonfliktfelder, seedKonfliktfelderOnce, updateEntry } from '../../domain/design/model'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const silent = { error: () => {} }

describe('the Systemdesign document', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let documentId: string
  const clients: Client[] = []
  const client = (token: string) => {
    const c = connectClient(server.url, documentId, token)
    clients.push(c)
    return c
  }
  const ids = (c: Client, kind: Parameters<typeof readList>[1]) =>
    readList(c.doc, kind)
      .map((e) => e.id)
      .join(',')

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    documentId = (await getDesignDocument(server.db.sql, world.municipality.hamm.id))!.id
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('two participants converge on Akteure they add, edit concurrently, reorder and remove, and on a prose section', async () => {
    const a = client(world.person.participantHamm.token)
    const b = client(world.person.mediatorHamm.token)
    await Promise.all([a.synced, b.synced])

    const ordnungsamt = addEntry(a.doc, 'akteure', { name: 'Ordnungsamt', sector: 'Verwaltung', influence: 4 })
    const moschee = addEntry(b.doc, 'akteure', { name: 'Moscheegemeinde', sector: 'Zivilgesellschaft' })
    await waitFor(() => readList(a.doc, 'akteure').length === 2 && readList(b.doc, 'akteure').length === 2, 'both see both Akteure')
    expect(ids(a, 'akteure')).toBe(ids(b, 'akteure'))

    // Concurrent edits to different fields of one entry both survive.
    updateEntry(a.doc, 'akteure', moschee, { influence: 5 })
    updateEntry(b.doc, 'akteure', moschee, { concern: 'Gebetsraum im Quartier' })
    await waitFor(
      () => [a, b].every((c) => readList(c.doc, 'akteure').some((e) => e.id === moschee && e.influence === 5 && e.concern === 'Gebetsraum im Quartier')),
      'both field edits reach both clients',
    )

    const first = readList(a.doc, 'akteure')[0].id
    moveEntry(b.doc, 'akteure', first, 1)
    await waitFor(() => readList(a.doc, 'akteure')[1]?.id === first, 'the move reaches a')
    expect(ids(a, 'akteure')).toBe(ids(b, 'akteure'))

    removeEntry(a.doc, 'akteure', ordnungsamt)
    await waitFor(() => ids(b, 'akteure') === moschee, 'the removal reaches b')

    const text = new Y.XmlText('Die Stadt Hamm beauftragt …')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [text])
    sectionFragment(a.doc, 'auftrag').insert(0, [paragraph])
    await waitFor(() => sectionFragment(b.doc, 'auftrag').toString().includes('Die Stadt Hamm beauftragt'), 'prose reaches b')

    const { doc: stored } = await loadBoardDoc(server.db.sql, documentId, silent)
    expect(readList(stored, 'akteure')).toEqual(readList(a.doc, 'akteure'))
    expect(sectionFragment(stored, 'auftrag').toString()).toContain('Die Stadt Hamm beauftragt')
  })

  it('two clients seeding the Konfliktfelder at the same moment end with one list of the nine seed fields', async () => {
    const duisburgDoc = (await getDesignDocument(server.db.sql, world.municipality.duisburg.id))!.id
    const a = connectClient(server.url, duisburgDoc, world.person.participantDuisburg.token)
    const b = connectClient(server.url, duisburgDoc, world.person.lecturer.token)
    clients.push(a, b)
    await Promise.all([a.synced, b.synced])
    // Both saw an unseeded document; both seed before either update arrives.
    expect(seedKonfliktfelderOnce(a.doc)).toBe(true)
    expect(seedKonfliktfelderOnce(b.doc)).toBe(true)
    const names = seedKonfliktfelder.map((k) => k.name)
    await waitFor(() => [a, b].every((c) => readList(c.doc, 'konfliktfelder').length === 9), 'both lists settle')
    await waitFor(() => ids(a, 'konfliktfelder') === ids(b, 'konfliktfelder'), 'both converge')
    expect(readList(a.doc, 'konfliktfelder').map((k) => k.name)).toEqual(names)
    // Both seeds use the same ids, so the clients agree at once; the stored document follows once both writes are committed.
    await waitFor(async () => readList((await loadBoardDoc(server.db.sql, duisburgDoc, silent)).doc, 'konfliktfelder').length === 9, 'the seed is stored')
    const { doc: stored } = await loadBoardDoc(server.db.sql, duisburgDoc, silent)
    expect(readList(stored, 'konfliktfelder').map((k) => k.name)).toEqual(names)
  })

  it("drops a guest's write to the design document but stores a participant's", async () => {
    const guest = client(world.person.guestHamm.token)
    const participant = client(world.person.participantHamm.token)
    await Promise.all([guest.synced, participant.synced])

    addEntry(guest.doc, 'massnahmen', { title: 'Vom Gast' })
    addEntry(participant.doc, 'massnahmen', { title: 'Anlaufstelle einrichten' })
    await waitFor(() => readList(guest.doc, 'massnahmen').some((m) => m.title === 'Anlaufstelle einrichten'), 'the guest still reads')
    await new Promise((r) => setTimeout(r, 300))

    const { doc: stored } = await loadBoardDoc(server.db.sql, documentId, silent)
    expect(readList(stored, 'massnahmen').map((m) => m.title)).toEqual(['Anlaufstelle einrichten'])
    expect(readList(participant.doc, 'massnahmen').map((m) => m.title)).toEqual(['Anlaufstelle einrichten'])
  })

  it('is created with every municipality and listed neither as a board of the municipality nor in GET /api/v1/boards', async () => {
    for (const m of Object.values(world.municipality)) expect(await getDesignDocument(server.db.sql, m.id)).toMatchObject({ kind: 'design', municipalityId: m.id })
    const api = (path: string) => fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${world.person.administrator.token}` } }).then((r) => r.json())
    const listed = (await api('/boards')) as { boards: { id: string; kind: string }[] }
    expect(listed.boards.length).toBeGreaterThan(0)
    expect(listed.boards.every((b) => b.kind === 'whiteboard')).toBe(true)
    expect(listed.boards.map((b) => b.id)).not.toContain(documentId)
    const municipality = (await api(`/municipalities/${world.municipality.hamm.id}`)) as { boards: { id: string }[] }
    expect(municipality.boards.map((b) => b.id)).toEqual([world.board.hamm.id])

    const page = await fetch(`${server.url}/boards/${documentId}`, { headers: { cookie: world.person.participantHamm.cookie }, redirect: 'manual' })
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toBe(`/kommunen/${world.municipality.hamm.id}/systemdesign`)
  })
})
