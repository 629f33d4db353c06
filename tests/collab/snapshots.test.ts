/**
 * Snapshots of a municipality's design against the real server, database and y-websocket
 * clients: immutable rows, the boards' bytes frozen, a restore that connected clients see live
 * and that leaves nothing different from the snapshot, and a diff that reports exactly the
 * seeded edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addEntry, listMap, readList, sectionFragment, updateEntry } from '../../domain/design/model'
import { compareBoards, isUnchanged, changeSummary, type Change } from '../../domain/snapshots/content'
import { loadSide, restoreSnapshot, SnapshotInputError, takeSnapshot } from '../../collab/features/snapshots.server'
import { getDesignDocument } from '../../db/boards.server'
import * as store from '../../db/snapshots.server'
import * as privacy from '../../db/privacy.server'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'
import { buildWorld, makePerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const page = { id: 'page:page', typeName: 'page', index: 'a1', name: 'Seite 1', meta: {} }
const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })
const geo = (id: string, x: number, y: number, text: string) => ({
  id,
  typeName: 'shape',
  type: 'geo',
  parentId: page.id,
  index: 'a1',
  x,
  y,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: { w: 240, h: 120, geo: 'rectangle', richText: paragraph(text) },
})

/** Writes a paragraph of text into a section fragment (what TipTap stores). */
function writeSection(doc: Y.Doc, key: 'leitbild' | 'auftrag', text: string) {
  const fragment = sectionFragment(doc, key)
  doc.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(text)])
    fragment.insert(0, [p])
  })
}

describe.each(databaseKinds())('snapshots on %s', (kind) => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let designId: string
  const clients: Client[] = []
  const connect = (boardId: string, token = world.person.participantHamm.token) => {
    const c = connectClient(server.url, boardId, token)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    designId = (await getDesignDocument(server.db.sql, world.municipality.hamm.id))!.id
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  const take = (label: string, extra: Partial<Parameters<typeof takeSnapshot>[0]> = {}) =>
    takeSnapshot({ sql: server.db.sql, rooms: server.rooms, municipalityId: world.municipality.hamm.id, label, takenBy: world.person.participantHamm.id, ...extra })

  it('captures every whiteboard and the Systemdesign document with an SVG showing the texts, escaped', async () => {
    const board = connect(world.board.hamm.id)
    await board.synced
    board.doc.transact(() => {
      board.doc.getMap('tl_records').set(page.id, page)
      board.doc.getMap('tl_records').set('shape:a', geo('shape:a', 0, 0, 'Runder Tisch <Nord> & "Süd"'))
      board.doc.getMap('tl_meta').set('schema', { schemaVersion: 2, sequences: { 'com.tldraw.shape.geo': 10 } })
    })
    await waitFor(async () => (await server.rooms.currentState(world.board.hamm.id)).length > 200, 'edit stored')

    const snapshot = await take('Modul 1')
    expect(snapshot).toMatchObject({ kind: 'manual', label: 'Modul 1', takenBy: world.person.participantHamm.id, takenByName: 'Teilnehmerin Hamm' })
    expect(snapshot.tldrawSchema).toEqual({ schemaVersion: 2, sequences: { 'com.tldraw.shape.geo': 10 } })
    const boards = await store.snapshotBoards(server.db.sql, snapshot.id)
    expect(boards.map((b) => [b.boardId, b.boardKind])).toEqual([
      [designId, 'design'],
      [world.board.hamm.id, 'whiteboard'],
    ])
    const svg = boards[1].svg
    expect(svg).toContain('>Runder Tisch</tspan>')
    expect(svg).toContain('>&lt;Nord&gt; &amp; &quot;Süd&quot;</tspan>')
    expect(svg).not.toContain('<Nord>')
    expect(svg.match(/<rect /g)).toHaveLength(1)
  })

  it('refuses a manual snapshot without a label and stores nothing', async () => {
    const before = (await store.listSnapshots(server.db.sql, world.municipality.hamm.id)).length
    await expect(take('   ')).rejects.toBeInstanceOf(SnapshotInputError)
    await expect(take('x'.repeat(201))).rejects.toBeInstanceOf(SnapshotInputError)
    expect((await store.listSnapshots(server.db.sql, world.municipality.hamm.id)).length).toBe(before)
    // Automatic snapshots may go without a label.
    const auto = await take('', { kind: 'auto', takenBy: null })
    expect(auto.kind).toBe('auto')
  })

  it('refuses every UPDATE of a snapshot or its boards in the database; deleting the author only forgets who it was', async () => {
    const snapshot = await take('Unveränderlich')
    await expect(server.db.sql`update snapshots set label = 'anders' where id = ${snapshot.id}`).rejects.toThrow(/immutable/)
    await expect(server.db.sql`update snapshot_boards set svg = '<svg/>' where snapshot_id = ${snapshot.id}`).rejects.toThrow(/immutable/)
    await expect(server.db.sql`update snapshots set taken_by = null, label = 'anders' where id = ${snapshot.id}`).rejects.toThrow(/immutable/)
    expect((await store.getSnapshot(server.db.sql, snapshot.id))!.label).toBe('Unveränderlich')

    const author = await makePerson(server.db.sql, 'Kurzzeit', [{ role: 'participant', municipalityId: world.municipality.hamm.id }])
    const theirs = await take('Von Kurzzeit', { takenBy: author.id })
    await privacy.deletePerson(server.db.sql, author.id)
    const after = (await store.getSnapshot(server.db.sql, theirs.id))!
    expect(after).toMatchObject({ label: 'Von Kurzzeit', takenBy: null, takenByName: null })
  })

  it('restores a snapshot live for a connected client, after a "vor Wiederherstellung" snapshot; the snapshot bytes never change', async () => {
    const board = connect(world.board.hamm.id)
    const design = connect(designId)
    await Promise.all([board.synced, design.synced])
    const records = board.doc.getMap<Record<string, unknown>>('tl_records')
    board.doc.transact(() => {
      records.set(page.id, page)
      records.set('shape:keep', geo('shape:keep', 0, 0, 'Anlaufstelle'))
      records.set('shape:move', geo('shape:move', 300, 0, 'Schiedsamt'))
      records.set('shape:text', geo('shape:text', 600, 0, 'Moderation'))
      records.set('shape:gone', geo('shape:gone', 900, 0, 'Jugendamt'))
    })
    const mediation = addEntry(design.doc, 'verfahren', { name: 'Mediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 })
    const akteur = addEntry(design.doc, 'akteure', { name: 'Ordnungsamt', sector: 'Verwaltung' })
    writeSection(design.doc, 'leitbild', 'Konflikte früh und fair bearbeiten.')
    await waitFor(async () => {
      const side = await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, 'now')
      return JSON.stringify(side).includes('Jugendamt') && JSON.stringify(side).includes('früh und fair')
    }, 'edits stored')

    const source = await take('Modul 2')
    const frozen = (await store.snapshotBoards(server.db.sql, source.id)).map((b) => Buffer.from(b.state).toString('base64'))

    // The seeded edits: add, delete, move, change text, change a Glasl range, change an Akteur, rewrite prose.
    board.doc.transact(() => {
      records.set('shape:new', geo('shape:new', 0, 400, 'Quartiersmanagement'))
      records.delete('shape:gone')
      records.set('shape:move', { ...records.get('shape:move')!, x: 320, y: 80 })
      records.set('shape:text', { ...records.get('shape:text')!, props: { ...(records.get('shape:text')!.props as object), richText: paragraph('Moderation und Runder Tisch') } })
    })
    updateEntry(design.doc, 'verfahren', mediation, { glaslFrom: 4 })
    updateEntry(design.doc, 'akteure', akteur, { influence: 5 })
    writeSection(design.doc, 'leitbild', 'Konflikte früh, fair und verbindlich bearbeiten.')
    await waitFor(async () => {
      const now = await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, 'now')
      return JSON.stringify(now).includes('verbindlich') && JSON.stringify(now).includes('Quartiersmanagement')
    }, 'later edits stored')
    expect((await store.snapshotBoards(server.db.sql, source.id)).map((b) => Buffer.from(b.state).toString('base64'))).toEqual(frozen)

    // The diff reports exactly those edits.
    const sourceSide = (await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, source.id))!
    const nowSide = (await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, 'now'))!
    const comparison = compareBoards(sourceSide, nowSide)
    const summary = (changes: Change[]) => changes.map(changeSummary).sort()
    expect(comparison.map((b) => [b.boardId, b.presence])).toEqual([
      [designId, 'both'],
      [world.board.hamm.id, 'both'],
    ])
    expect(summary(comparison[1].changes)).toEqual(['added geo „Quartiersmanagement“', 'removed geo „Jugendamt“', 'moved geo „Schiedsamt“', 'changed geo „Moderation und Runder Tisch“'].sort())
    expect(comparison[1].changes.find((c) => c.area === 'shape' && c.change === 'changed')).toMatchObject({ textBefore: 'Moderation' })
    expect(summary(comparison[0].changes)).toEqual(['changed akteure Ordnungsamt: influence 3 → 5', 'changed section leitbild', 'changed verfahren Mediation: glasl 3–7 → 4–7'].sort())

    // Restore: the connected clients see the snapshot's state without reconnecting.
    const seenLive = new Promise<void>((resolve) => records.observe((e) => e.keysChanged.has('shape:gone') && resolve()))
    const result = await restoreSnapshot({ sql: server.db.sql, rooms: server.rooms, snapshotId: source.id, restoredBy: world.person.participantHamm.id })
    await seenLive
    expect(result.restored.sort()).toEqual([designId, world.board.hamm.id].sort())
    expect(result.beforeRestore).toMatchObject({ kind: 'before_restore', label: 'vor Wiederherstellung von „Modul 2“' })
    await waitFor(() => readList(design.doc, 'verfahren').find((v) => v.id === mediation)?.glaslFrom === 3, 'design restored live')
    expect(records.has('shape:new')).toBe(false)
    expect(records.get('shape:move')).toMatchObject({ x: 300, y: 0 })
    expect(readList(design.doc, 'akteure').find((a) => a.id === akteur)?.influence).toBe(3)
    expect(sectionFragment(design.doc, 'leitbild').toString()).toContain('Konflikte früh und fair bearbeiten.')

    // Round trip: nothing differs from the source snapshot, in storage and in the client's copy.
    const after = (await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, 'now'))!
    expect(isUnchanged(compareBoards(sourceSide, after))).toBe(true)
    expect(compareBoards(sourceSide, after).flatMap((b) => b.changes)).toEqual([])
    const clientSide = [
      { ...sourceSide[0], content: (await import('../../domain/snapshots/content')).readContent(design.doc, 'design') },
      { ...sourceSide[1], content: (await import('../../domain/snapshots/content')).readContent(board.doc, 'whiteboard') },
    ]
    expect(compareBoards(sourceSide, clientSide).flatMap((b) => b.changes)).toEqual([])

    // The way back holds the edits; the source snapshot's bytes are unchanged by the restore.
    const way = (await loadSide(server.db.sql, server.rooms, world.municipality.hamm.id, result.beforeRestore.id))!
    expect(summary(compareBoards(sourceSide, way)[1].changes)).toHaveLength(4)
    expect((await store.snapshotBoards(server.db.sql, source.id)).map((b) => Buffer.from(b.state).toString('base64'))).toEqual(frozen)
    expect(listMap(design.doc, 'verfahren').size).toBe(1)
  })

  it('leaves boards created after the snapshot as they are', async () => {
    const snapshot = await take('Vor dem neuen Board')
    const { createBoard } = await import('../../db/boards.server')
    const later = await createBoard(server.db.sql, { title: 'Später', municipalityId: world.municipality.hamm.id })
    await server.rooms.edit(later.id, (doc) => doc.getMap('tl_records').set('shape:x', geo('shape:x', 0, 0, 'neu')))
    const result = await restoreSnapshot({ sql: server.db.sql, rooms: server.rooms, snapshotId: snapshot.id, restoredBy: null })
    expect(result.newer).toEqual([later.id])
    const state = await server.rooms.currentState(later.id)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    expect(doc.getMap('tl_records').has('shape:x')).toBe(true)
  })
})
