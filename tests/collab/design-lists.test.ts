/**
 * The remaining typed lists of the Systemdesign (Anlaufstellen, Konfliktbearbeiter:innen/Netzwerk,
 * Steuerungsgruppe, Beschlüsse) over the real server with real y-websocket clients, and the
 * design status on the Systemdesign page: shown to everyone, changeable only by those allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { getDesignDocument } from '../../db/boards.server'
import { getDesign } from '../../db/courses.server'
import { addEntry, readList, updateEntry } from '../../domain/design/model'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const silent = { error: () => {} }

describe('the remaining typed lists and the design status', () => {
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

  it('two team members fill Anlaufstellen, Bearbeiter:innen, Steuerungsgruppe and Beschlüsse concurrently; both converge and the server stores it', async () => {
    const a = client(world.person.participantHamm.token)
    const b = client(world.person.mediatorHamm.token)
    await Promise.all([a.synced, b.synced])

    const mediation = addEntry(a.doc, 'verfahren', { name: 'Mediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 })
    const anlaufstelle = addEntry(a.doc, 'anlaufstellen', { name: 'Konfliktanlaufstelle im Rathaus', traeger: 'Kommunales Integrationszentrum' })
    addEntry(b.doc, 'anlaufstellen', { name: 'Quartiersbüro Nord', kontakt: 'quartier@hamm.test' })
    const bearbeiterin = addEntry(b.doc, 'bearbeiter', { name: 'Frau Yilmaz', rolle: 'Konfliktbearbeiter', organisation: 'Ordnungsamt' })
    addEntry(a.doc, 'bearbeiter', { name: 'Schiedsamt Hamm', rolle: 'Netzwerkpartner' })
    addEntry(a.doc, 'steuerungsgruppe', { name: 'Dezernent Soziales', funktion: 'Vorsitz', organisation: 'Verwaltungsvorstand' })
    addEntry(b.doc, 'beschluesse', { title: 'Einrichtung der Konfliktanlaufstelle', gremium: 'Rat der Stadt', date: '2018-03-15' })
    await waitFor(() => [a, b].every((c) => readList(c.doc, 'verfahren').length === 1 && readList(c.doc, 'bearbeiter').length === 2), 'both see the Verfahren and both Bearbeiter')

    // Concurrent edits of different fields of one entry both survive; links to other lists are ids.
    updateEntry(a.doc, 'bearbeiter', bearbeiterin, { verfahrenIds: [mediation] })
    updateEntry(b.doc, 'bearbeiter', bearbeiterin, { organisation: 'Kommunales Integrationszentrum' })
    updateEntry(b.doc, 'anlaufstellen', anlaufstelle, { fieldIds: ['seed:oeffentlicher-raum'] })

    const snapshot = (c: Client) => JSON.stringify(['anlaufstellen', 'bearbeiter', 'steuerungsgruppe', 'beschluesse'].map((k) => readList(c.doc, k as never)))
    await waitFor(
      () =>
        snapshot(a) === snapshot(b) &&
        readList(a.doc, 'bearbeiter').some((e) => e.id === bearbeiterin && e.verfahrenIds[0] === mediation && e.organisation === 'Kommunales Integrationszentrum') &&
        readList(a.doc, 'anlaufstellen').some((e) => e.id === anlaufstelle && e.fieldIds[0] === 'seed:oeffentlicher-raum') &&
        readList(a.doc, 'anlaufstellen').length === 2 &&
        readList(a.doc, 'beschluesse').length === 1,
      'both clients converge on all four lists',
    )
    expect(readList(a.doc, 'beschluesse')[0]).toMatchObject({ title: 'Einrichtung der Konfliktanlaufstelle', gremium: 'Rat der Stadt', date: '2018-03-15' })
    expect(readList(a.doc, 'steuerungsgruppe')[0]).toMatchObject({ name: 'Dezernent Soziales', funktion: 'Vorsitz' })

    await waitFor(async () => snapshot({ doc: (await loadBoardDoc(server.db.sql, documentId, silent)).doc } as Client) === snapshot(a), 'the server stores what both see')
  })

  it('refuses invalid entries of the new lists and keeps the old values', async () => {
    const a = client(world.person.participantHamm.token)
    await a.synced
    expect(() => addEntry(a.doc, 'bearbeiter', { name: 'X', rolle: 'Chef' as never })).toThrow()
    expect(() => addEntry(a.doc, 'beschluesse', { title: 'Ohne gültiges Datum', date: '15.03.2018' })).toThrow()
    expect(() => addEntry(a.doc, 'steuerungsgruppe', { name: '   ' })).toThrow()
    const id = addEntry(a.doc, 'beschluesse', { title: 'Haushaltsmittel', date: '2019-01-01' })
    expect(updateEntry(a.doc, 'beschluesse', id, { date: 'morgen' })).toBe(false)
    expect(readList(a.doc, 'beschluesse').find((e) => e.id === id)?.date).toBe('2019-01-01')
  })

  it("drops a guest's write to the new lists", async () => {
    const guest = client(world.person.guestHamm.token)
    await guest.synced
    addEntry(guest.doc, 'steuerungsgruppe', { name: 'Vom Gast' })
    await new Promise((r) => setTimeout(r, 300))
    const { doc: stored } = await loadBoardDoc(server.db.sql, documentId, silent)
    expect(readList(stored, 'steuerungsgruppe').map((e) => e.name)).toEqual(['Dezernent Soziales'])
  })

  it('shows the design status on the Systemdesign page; a participant changes it there, a guest neither sees the control nor can post it', async () => {
    const page = `${server.url}/kommunen/${world.municipality.hamm.id}/systemdesign`
    const html = async (cookie: string) => (await fetch(page, { headers: { cookie, 'accept-language': 'de' } })).text()
    const post = (cookie: string, status: string) => fetch(page, { method: 'POST', headers: { cookie, origin: server.url }, body: new URLSearchParams({ status }), redirect: 'manual' })

    const guestHtml = await html(world.person.guestHamm.cookie)
    expect(guestHtml).toContain('data-testid="design-status"')
    expect(guestHtml).not.toContain('design-status-select')
    expect(await html(world.person.participantHamm.cookie)).toContain('design-status-select')

    expect((await post(world.person.guestHamm.cookie, 'Beschlossen')).status).toBe(403)
    expect((await getDesign(server.db.sql, world.municipality.hamm.id))?.status).toBe('Entwurf')
    expect((await post(world.person.participantHamm.cookie, 'Erledigt')).status).toBe(400)
    expect((await getDesign(server.db.sql, world.municipality.hamm.id))?.status).toBe('Entwurf')

    expect((await post(world.person.participantHamm.cookie, 'Abgestimmt')).status).toBe(200)
    expect((await getDesign(server.db.sql, world.municipality.hamm.id))?.status).toBe('Abgestimmt')
    expect(await html(world.person.guestHamm.cookie)).toMatch(/data-testid="design-status">Abgestimmt</)
  })
})
