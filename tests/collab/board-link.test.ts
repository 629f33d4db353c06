/**
 * The board ↔ Systemdesign link below the browser: the pure mapping between KMS shape records
 * and design entries, and KMS shape records travelling through the real server between real
 * tldraw stores bound to Yjs — kept by a store whose schema knows the shape, dropped by one
 * whose schema does not (why every board store must be built with the custom shapes).
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, createTLStore, type IndexKey, type TLRecord, type TLStore } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../collab/tldraw-binding'
import { getDesignDocument } from '../../db/boards.server'
import { entriesNotOnBoard, entryPatchFromShape, kmsShapeId, planShapeUpdates, type KmsLinkProps, type KmsShapeLike } from '../../domain/design/board-link'
import { readModel } from '../../domain/design/checks'
import { createBoardSchema, KMS_SHAPE_TYPE, type KmsShape } from '../../domain/board/kms-shape'
import { addEntry, readList, removeEntry, updateEntry } from '../../domain/design/model'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'

const DESIGN = 'design-1'
const shape = (id: string, props: Partial<KmsLinkProps>): KmsShapeLike => ({
  id,
  props: { kind: 'akteure', entryId: '', designId: DESIGN, label: '', glaslStage: 0, linked: true, ...props },
})

describe('KMS shapes ↔ design entries (mapping)', () => {
  it('mirrors entry names and Glasl stages onto their shapes, marks shapes of deleted entries unlinked, and relinks them', () => {
    const doc = new Y.Doc()
    const akteur = addEntry(doc, 'akteure', { name: 'Ordnungsamt' })
    const konflikt = addEntry(doc, 'konflikte', { title: 'Lärm', glaslStage: 5 })
    const shapes = [
      shape(kmsShapeId(akteur), { entryId: akteur, label: 'Ordnungsamt' }),
      shape(kmsShapeId(konflikt), { kind: 'konflikte', entryId: konflikt, label: 'Lärm', glaslStage: 5 }),
      shape('shape:other-design', { entryId: akteur, designId: 'design-2', label: 'fremd' }),
    ]
    expect(planShapeUpdates(shapes, readModel(doc), DESIGN)).toEqual([])

    updateEntry(doc, 'konflikte', konflikt, { title: 'Lärm am Spielplatz', glaslStage: 6 })
    updateEntry(doc, 'akteure', akteur, { name: 'Ordnungsamt Hamm' })
    expect(planShapeUpdates(shapes, readModel(doc), DESIGN)).toEqual([
      { id: kmsShapeId(akteur), props: { label: 'Ordnungsamt Hamm' } },
      { id: kmsShapeId(konflikt), props: { label: 'Lärm am Spielplatz', glaslStage: 6 } },
    ])

    removeEntry(doc, 'akteure', akteur)
    expect(planShapeUpdates(shapes, readModel(doc), DESIGN)).toContainEqual({ id: kmsShapeId(akteur), props: { linked: false } })
    const unlinked = [shape(kmsShapeId(akteur), { entryId: akteur, label: 'Ordnungsamt', linked: false })]
    expect(planShapeUpdates(unlinked, readModel(doc), DESIGN)).toEqual([])
    const back = addEntry(doc, 'akteure', { name: 'Jugendamt' })
    expect(planShapeUpdates([shape('shape:x', { entryId: back, label: 'Jugendamt', linked: false })], readModel(doc), DESIGN)).toEqual([{ id: 'shape:x', props: { linked: true } }])
  })

  it("turns a person's edit of a shape into an entry change, and refuses one that would make the entry invalid", () => {
    const doc = new Y.Doc()
    const id = addEntry(doc, 'konflikte', { title: 'Moscheebau', glaslStage: 3 })
    const entry = readList(doc, 'konflikte')[0]
    expect(entryPatchFromShape('konflikte', { label: 'Moscheebau', glaslStage: 3 }, entry)).toBeNull()
    expect(entryPatchFromShape('konflikte', { label: 'Moscheebau Nord', glaslStage: 7 }, entry)).toEqual({ title: 'Moscheebau Nord', glaslStage: 7 })
    expect(entryPatchFromShape('konflikte', { label: '', glaslStage: 3 }, entry)).toBeNull()
    expect(entryPatchFromShape('konflikte', { label: 'Moscheebau', glaslStage: 12 }, entry)).toBeNull()
    const akteur = readList(doc, 'akteure')
    expect(akteur).toEqual([])
    // A shape's stage means nothing for an Akteur.
    const a = addEntry(doc, 'akteure', { name: 'Rat' })
    expect(entryPatchFromShape('akteure', { label: 'Rat', glaslStage: 4 }, readList(doc, 'akteure')[0])).toBeNull()
    expect(id).not.toBe(a)
  })

  it('derives one shape id per entry (so two people placing it converge) and lists entries not on the board', () => {
    expect(kmsShapeId('abc')).toBe(kmsShapeId('abc'))
    expect(kmsShapeId('abc')).toMatch(/^shape:/)
    const doc = new Y.Doc()
    const a = addEntry(doc, 'akteure', { name: 'A' })
    const v = addEntry(doc, 'verfahren', { name: 'Mediation' })
    addEntry(doc, 'massnahmen', { title: 'keine Form auf dem Board' })
    const missing = entriesNotOnBoard([shape(kmsShapeId(a), { entryId: a })], readModel(doc))
    expect(missing.map((m) => [m.kind, m.entry.id])).toEqual([['verfahren', v]])
  })
})

describe('KMS shape records through the real server', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  const cleanups: (() => void)[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    for (const c of cleanups.reverse()) c()
    await server?.close()
    await db?.drop()
  })

  const open = (boardId: string): Client => {
    const c = connectClient(server.url, boardId, editor.token)
    cleanups.push(() => c.destroy())
    return c
  }
  const bound = async (boardId: string, store: TLStore) => {
    const c = open(boardId)
    await c.synced
    const binding = bindStoreToYDoc(store, c.doc)
    cleanups.push(() => {
      binding.dispose()
      store.dispose()
    })
    return c
  }

  it('a KMS shape created with its entry reaches another board-schema store and shows the entry; a store without the KMS schema drops it', async () => {
    const boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Konfliktlandkarte')
    const designId = (await getDesignDocument(server.db.sql, editor.municipalityId))!.id
    const design = open(designId)
    await design.synced

    const a = createTLStore({ schema: createBoardSchema() })
    await bound(boardId, a)
    const pageId = PageRecordType.createId('page')
    a.put([DocumentRecordType.create({ id: TLDOCUMENT_ID }), PageRecordType.create({ id: pageId, name: 'Seite 1', index: 'a1' as IndexKey })])
    // What the board's "Konflikt" button does: the entry in the design document, the shape on the board.
    const entryId = addEntry(design.doc, 'konflikte', { title: 'Lärm am Spielplatz', glaslStage: 5 })
    const record = {
      id: kmsShapeId(entryId),
      typeName: 'shape',
      type: KMS_SHAPE_TYPE,
      parentId: pageId,
      index: 'a1' as IndexKey,
      x: 10,
      y: 20,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: {},
      props: { w: 200, h: 110, kind: 'konflikte', entryId, designId, label: 'Lärm am Spielplatz', glaslStage: 5, linked: true },
    } as KmsShape
    a.put([record as TLRecord])

    const b = createTLStore({ schema: createBoardSchema() })
    await bound(boardId, b)
    const plain = createTLStore()
    const plainClient = await bound(boardId, plain)
    await waitFor(() => Boolean(b.get(record.id as never)), 'the KMS shape reaches the second board store')
    expect((b.get(record.id as never) as unknown as KmsShape).props).toEqual(record.props)
    // The Y.Doc holds it, but a store built without the KMS schema leaves it out as invalid.
    expect(plainClient.doc.getMap('tl_records').has(record.id)).toBe(true)
    expect(plain.get(record.id as never)).toBeUndefined()

    // The second person's design document has the entry: nothing to mirror. A rename there is mirrored.
    const design2 = open(designId)
    await design2.synced
    await waitFor(() => readList(design2.doc, 'konflikte').length === 1, 'the entry reaches the second design client')
    const shapesOf = (store: TLStore) => store.allRecords().filter((r) => r.typeName === 'shape' && (r as KmsShape).type === KMS_SHAPE_TYPE) as unknown as KmsShapeLike[]
    expect(planShapeUpdates(shapesOf(b), readModel(design2.doc), designId)).toEqual([])
    updateEntry(design.doc, 'konflikte', entryId, { glaslStage: 7 })
    await waitFor(() => readList(design2.doc, 'konflikte')[0]?.glaslStage === 7, 'the stage change reaches the second design client')
    expect(planShapeUpdates(shapesOf(b), readModel(design2.doc), designId)).toEqual([{ id: record.id, props: { glaslStage: 7 } }])
  })
})
