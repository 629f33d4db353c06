/**
 * Tests for collab/tldraw-binding.ts: real tldraw stores synced through real Y.Docs and
 * y-protocols Awareness instances, connected in-process (no network, no mocks).
 */
import {
  CameraRecordType,
  DocumentRecordType,
  InstancePageStateRecordType,
  PageRecordType,
  PointerRecordType,
  TLDOCUMENT_ID,
  TLINSTANCE_ID,
  TLPOINTER_ID,
  createShapeId,
  createTLStore,
  toRichText,
  type IndexKey,
  type TLGeoShape,
  type TLGeoShapeProps,
  type TLInstancePresence,
  type TLPageId,
  type TLRecord,
  type TLShapeId,
  type TLStore,
} from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { SCHEMA_KEY, bindPresence, bindStoreToYDoc, getMetaMap, getRecordsMap } from '../../collab/tldraw-binding'

if (process.env.NODE_ENV !== 'test') {
  throw new Error('binding tests need NODE_ENV=test (the vitest default): otherwise tldraw schedules store ' + 'listeners with requestAnimationFrame, which Node lacks')
}

const REMOTE = 'remote'
const PAGE_ID: TLPageId = PageRecordType.createId('main')

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

function newDoc(): Y.Doc {
  const doc = new Y.Doc()
  cleanups.push(() => doc.destroy())
  return doc
}

function newStore(): TLStore {
  const store = createTLStore()
  cleanups.push(() => store.dispose())
  return store
}

function bind(store: TLStore, doc: Y.Doc): { dispose(): void } {
  const binding = bindStoreToYDoc(store, doc)
  cleanups.push(() => binding.dispose())
  return binding
}

/** Forwards every local update of each doc to the other while connected, like a relay would. */
function linkDocs(a: Y.Doc, b: Y.Doc): { disconnect(): void; reconnect(): void } {
  let connected = true
  const forward = (target: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (connected && origin !== REMOTE) Y.applyUpdate(target, update, REMOTE)
  }
  const toB = forward(b)
  const toA = forward(a)
  a.on('update', toB)
  b.on('update', toA)
  cleanups.push(() => {
    a.off('update', toB)
    b.off('update', toA)
  })
  return {
    disconnect() {
      connected = false
    },
    reconnect() {
      connected = true
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE)
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE)
    },
  }
}

function geoProps(overrides: Partial<TLGeoShapeProps> = {}): TLGeoShapeProps {
  return {
    w: 100,
    h: 100,
    geo: 'rectangle',
    dash: 'draw',
    growY: 0,
    url: '',
    scale: 1,
    flipX: false,
    flipY: false,
    color: 'black',
    labelColor: 'black',
    fill: 'none',
    size: 'm',
    font: 'draw',
    align: 'middle',
    verticalAlign: 'middle',
    richText: toRichText(''),
    ...overrides,
  }
}

function geoShape(id: TLShapeId, index: string, overrides: Partial<TLGeoShape> = {}): TLGeoShape {
  return {
    id,
    typeName: 'shape',
    type: 'geo',
    parentId: PAGE_ID,
    index: index as IndexKey,
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: geoProps(),
    ...overrides,
  }
}

/** Puts the document and page records a mounted editor would create, as a user change. */
function seedBoard(store: TLStore): void {
  store.put([DocumentRecordType.create({ id: TLDOCUMENT_ID }), PageRecordType.create({ id: PAGE_ID, name: 'Main', index: 'a1' as IndexKey })])
}

/** Puts the session records (instance, page state, camera, pointer) a mounted editor would create. */
function addSessionRecords(store: TLStore): void {
  store.put([
    store.schema.types.instance.create({ id: TLINSTANCE_ID, currentPageId: PAGE_ID }),
    InstancePageStateRecordType.create({
      id: InstancePageStateRecordType.createId(PAGE_ID),
      pageId: PAGE_ID,
    }),
    CameraRecordType.create({ id: CameraRecordType.createId(PAGE_ID) }),
    PointerRecordType.create({ id: TLPOINTER_ID }),
  ])
}

function documentRecords(store: TLStore): TLRecord[] {
  const documentTypes = store.scopedTypes.document
  return store
    .allRecords()
    .filter((record) => documentTypes.has(record.typeName))
    .sort((a, b) => a.id.localeCompare(b.id))
}

function shapeOf(store: TLStore, id: TLShapeId): TLGeoShape | undefined {
  return store.get(id) as TLGeoShape | undefined
}

function presences(store: TLStore): TLInstancePresence[] {
  return store.query.records('instance_presence').get()
}

describe('bindStoreToYDoc', () => {
  it('stores bound to linked docs converge on shape create, update and delete', () => {
    const docA = newDoc()
    const docB = newDoc()
    linkDocs(docA, docB)
    const storeA = newStore()
    const storeB = newStore()
    bind(storeA, docA)
    bind(storeB, docB)

    seedBoard(storeA)
    const s1 = createShapeId('s1')
    const s2 = createShapeId('s2')
    storeA.put([geoShape(s1, 'a1', { x: 10, props: geoProps({ richText: toRichText('first') }) }), geoShape(s2, 'a2', { x: 20 })])
    expect(shapeOf(storeB, s1)?.props.richText).toEqual(toRichText('first'))
    expect(shapeOf(storeB, s2)?.x).toBe(20)

    storeB.update(s1, (shape) => ({ ...shape, x: 300 }))
    expect(shapeOf(storeA, s1)?.x).toBe(300)

    storeA.remove([s2])
    expect(storeB.get(s2)).toBeUndefined()
    expect(getRecordsMap(docB).has(s2)).toBe(false)

    expect(documentRecords(storeA)).toEqual(documentRecords(storeB))
    expect(documentRecords(storeA).map((record) => record.id)).toEqual([TLDOCUMENT_ID, PAGE_ID, s1].sort())
  })

  it('a store bound to a doc that already holds a board loads that board', () => {
    const docA = newDoc()
    const storeA = newStore()
    bind(storeA, docA)
    seedBoard(storeA)
    const s1 = createShapeId('s1')
    storeA.put([geoShape(s1, 'a1', { y: 42 })])

    const docB = newDoc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA), REMOTE)
    const storeB = newStore()
    bind(storeB, docB)

    expect(shapeOf(storeB, s1)?.y).toBe(42)
    expect(documentRecords(storeB)).toEqual(documentRecords(storeA))
  })

  it('concurrent offline edits merge: both stores end identical and edits to different shapes all survive', () => {
    const docA = newDoc()
    const docB = newDoc()
    const link = linkDocs(docA, docB)
    const storeA = newStore()
    const storeB = newStore()
    bind(storeA, docA)
    bind(storeB, docB)
    seedBoard(storeA)
    const s1 = createShapeId('s1')
    const s2 = createShapeId('s2')
    const shared = createShapeId('shared')
    storeA.put([geoShape(s1, 'a1'), geoShape(s2, 'a2'), geoShape(shared, 'a3')])
    expect(documentRecords(storeB)).toEqual(documentRecords(storeA))

    link.disconnect()
    storeA.update(s1, (shape) => ({ ...shape, x: 111 }))
    storeB.update(s2, (shape) => ({ ...shape, y: 222 }))
    storeA.update(shared, (shape) => ({ ...shape, x: -1 }))
    storeB.update(shared, (shape) => ({ ...shape, y: -2 }))
    const sharedFromA = shapeOf(storeA, shared)
    const sharedFromB = shapeOf(storeB, shared)
    expect(shapeOf(storeB, s1)?.x).toBe(0)
    expect(shapeOf(storeA, s2)?.y).toBe(0)

    link.reconnect()

    expect(documentRecords(storeA)).toEqual(documentRecords(storeB))
    expect(documentRecords(storeA)).toEqual([...getRecordsMap(docA).values()].sort((a, b) => a.id.localeCompare(b.id)))
    for (const store of [storeA, storeB]) {
      expect(shapeOf(store, s1)?.x).toBe(111)
      expect(shapeOf(store, s2)?.y).toBe(222)
      expect([sharedFromA, sharedFromB]).toContainEqual(shapeOf(store, shared))
    }
  })

  it('a board stored with an older tldraw schema is migrated on load and the doc is upgraded', () => {
    const store = newStore()
    const currentSchema = store.schema.serialize()
    expect(currentSchema.sequences['com.tldraw.shape.geo']).toBeGreaterThanOrEqual(12)
    const oldSchema = {
      ...currentSchema,
      sequences: { ...currentSchema.sequences, 'com.tldraw.shape.geo': 9 },
    }
    const shapeId = createShapeId('legacy')
    const currentProps: Partial<TLGeoShapeProps> = geoProps()
    delete currentProps.richText
    delete currentProps.flipX
    delete currentProps.flipY
    const legacyShape = { ...geoShape(shapeId, 'a1'), props: { ...currentProps, text: 'Hello' } }

    const doc = newDoc()
    doc.transact(() => {
      getMetaMap(doc).set(SCHEMA_KEY, oldSchema)
      const records = getRecordsMap(doc)
      records.set(TLDOCUMENT_ID, DocumentRecordType.create({ id: TLDOCUMENT_ID }))
      records.set(PAGE_ID, PageRecordType.create({ id: PAGE_ID, name: 'Main', index: 'a1' as IndexKey }))
      records.set(shapeId, legacyShape as unknown as TLRecord)
    })

    bind(store, doc)

    const loaded = shapeOf(store, shapeId)
    expect(loaded?.props.richText).toEqual(toRichText('Hello'))
    expect(loaded?.props.flipX).toBe(false)
    expect(loaded?.props).not.toHaveProperty('text')
    for (const record of store.allRecords()) {
      expect(() => store.schema.validateRecord(store, record, 'tests', null)).not.toThrow()
    }

    expect(getMetaMap(doc).get(SCHEMA_KEY)).toEqual(currentSchema)
    const stored = getRecordsMap(doc).get(shapeId) as TLGeoShape
    expect(stored.props.richText).toEqual(toRichText('Hello'))
    expect(stored.props).not.toHaveProperty('text')

    const laterStore = newStore()
    bind(laterStore, doc)
    expect(documentRecords(laterStore)).toEqual(documentRecords(store))
  })

  it('binding refuses a board written with a newer tldraw schema and leaves the doc untouched', () => {
    const store = newStore()
    const currentSchema = store.schema.serialize()
    const newerSchema = {
      ...currentSchema,
      sequences: { ...currentSchema.sequences, 'com.tldraw.shape.geo': 999 },
    }
    const doc = newDoc()
    doc.transact(() => {
      getMetaMap(doc).set(SCHEMA_KEY, newerSchema)
      getRecordsMap(doc).set(TLDOCUMENT_ID, DocumentRecordType.create({ id: TLDOCUMENT_ID }))
    })
    const before = Y.encodeStateAsUpdate(doc)

    expect(() => bindStoreToYDoc(store, doc)).toThrow(/cannot migrate/)
    seedBoard(store)

    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    expect(getMetaMap(doc).get(SCHEMA_KEY)).toEqual(newerSchema)
  })

  it('records that fail the tldraw schema never reach the store, on load or live; valid ones do', () => {
    const doc = newDoc()
    const writer = newStore()
    bind(writer, doc)
    seedBoard(writer)
    const good = createShapeId('good')
    const broken = createShapeId('broken')
    const records = getRecordsMap(doc)
    // A raw Yjs client writes a broken shape (no props), a shape of the wrong kind and junk values.
    doc.transact(() => {
      records.set(broken, { ...geoShape(broken, 'a2'), props: undefined } as unknown as TLRecord)
      records.set('shape:number' as TLRecord['id'], 42 as unknown as TLRecord)
      records.set('shape:nonsense' as TLRecord['id'], { id: 'shape:nonsense', typeName: 'shape', type: 'geo', x: 'far away' } as unknown as TLRecord)
    }, REMOTE)
    writer.put([geoShape(good, 'a3')])
    expect(writer.get(broken)).toBeUndefined()
    expect(shapeOf(writer, good)?.type).toBe('geo')

    // A second editor loading the same doc gets the valid records only, and keeps working.
    const reader = newStore()
    const docB = newDoc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(doc), REMOTE)
    bind(reader, docB)
    expect(reader.get(broken)).toBeUndefined()
    expect(reader.get('shape:nonsense' as TLShapeId)).toBeUndefined()
    expect(shapeOf(reader, good)?.type).toBe('geo')
    reader.update(good, (shape) => ({ ...shape, x: 77 }))
    expect((getRecordsMap(docB).get(good) as TLGeoShape).x).toBe(77)
  })

  it('dispose stops syncing in both directions', () => {
    const docA = newDoc()
    const docB = newDoc()
    linkDocs(docA, docB)
    const storeA = newStore()
    const storeB = newStore()
    const bindingA = bind(storeA, docA)
    bind(storeB, docB)
    seedBoard(storeA)
    const s1 = createShapeId('s1')
    storeA.put([geoShape(s1, 'a1')])
    expect(storeB.get(s1)).toBeDefined()

    bindingA.dispose()
    storeA.update(s1, (shape) => ({ ...shape, x: 500 }))
    storeB.update(s1, (shape) => ({ ...shape, y: 700 }))

    expect(shapeOf(storeB, s1)?.x).toBe(0)
    expect((getRecordsMap(docA).get(s1) as TLGeoShape).x).toBe(0)
    expect(shapeOf(storeA, s1)?.y).toBe(0)
  })
})

describe('bindPresence', () => {
  it("shows a remote user's name and colour and removes the presence when they leave", () => {
    const awarenessA = new Awareness(newDoc())
    const awarenessB = new Awareness(newDoc())
    cleanups.push(
      () => awarenessA.destroy(),
      () => awarenessB.destroy(),
    )
    const relay = (from: Awareness, to: Awareness) => {
      const onUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin === REMOTE) return
        const clients = [...change.added, ...change.updated, ...change.removed]
        applyAwarenessUpdate(to, encodeAwarenessUpdate(from, clients), REMOTE)
      }
      from.on('update', onUpdate)
      cleanups.push(() => from.off('update', onUpdate))
    }
    relay(awarenessA, awarenessB)
    relay(awarenessB, awarenessA)

    const storeA = newStore()
    const storeB = newStore()
    for (const store of [storeA, storeB]) {
      seedBoard(store)
      addSessionRecords(store)
    }
    const presenceA = bindPresence(storeA, awarenessA, { id: 'alice', name: 'Alice', color: '#e03131' })
    const presenceB = bindPresence(storeB, awarenessB, { id: 'bob', name: 'Bob', color: '#1971c2' })
    cleanups.push(
      () => presenceA.dispose(),
      () => presenceB.dispose(),
    )

    expect(presences(storeA)).toHaveLength(1)
    expect(presences(storeA)[0]).toMatchObject({ userName: 'Bob', color: '#1971c2', userId: 'user:bob' })
    expect(presences(storeB)).toHaveLength(1)
    expect(presences(storeB)[0]).toMatchObject({ userName: 'Alice', color: '#e03131' })

    storeB.update(TLPOINTER_ID, (pointer) => ({ ...pointer, x: 123, y: 456 }))
    expect(presences(storeA)[0].cursor).toMatchObject({ x: 123, y: 456 })

    presenceB.setUser({ id: 'bob', name: 'Robert', color: '#2f9e44' })
    expect(presences(storeA)[0]).toMatchObject({ userName: 'Robert', color: '#2f9e44' })

    removeAwarenessStates(awarenessB, [awarenessB.clientID], 'test')
    expect(presences(storeA)).toHaveLength(0)
  })

  it('dispose withdraws the local presence from other clients', () => {
    const awarenessA = new Awareness(newDoc())
    const awarenessB = new Awareness(newDoc())
    cleanups.push(
      () => awarenessA.destroy(),
      () => awarenessB.destroy(),
    )
    awarenessB.on('update', (change: { added: number[]; updated: number[]; removed: number[] }) => {
      const clients = [...change.added, ...change.updated, ...change.removed]
      applyAwarenessUpdate(awarenessA, encodeAwarenessUpdate(awarenessB, clients), REMOTE)
    })
    const storeA = newStore()
    const storeB = newStore()
    for (const store of [storeA, storeB]) {
      seedBoard(store)
      addSessionRecords(store)
    }
    const presenceA = bindPresence(storeA, awarenessA, { id: 'alice', name: 'Alice', color: '#e03131' })
    cleanups.push(() => presenceA.dispose())
    const presenceB = bindPresence(storeB, awarenessB, { id: 'bob', name: 'Bob', color: '#1971c2' })
    expect(presences(storeA)).toHaveLength(1)

    presenceB.dispose()
    expect(presences(storeA)).toHaveLength(0)
  })
})
