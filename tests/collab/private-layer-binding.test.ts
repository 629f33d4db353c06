/**
 * Tests for collab/private-layer-binding.ts: two participants' tldraw stores on one board (their
 * board docs relayed through a "server" doc), participant A with a private layer bound to the
 * same store. Real stores and Y.Docs in-process; the server's reveal is replayed by hand in both
 * orders in which its two updates can arrive.
 */
import {
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  createShapeId,
  createTLStore,
  toRichText,
  type IndexKey,
  type TLGeoShape,
  type TLPageId,
  type TLShapeId,
  type TLStore,
} from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindPrivateLayer, privateLayerSkip } from '../../collab/private-layer-binding'
import { bindStoreToYDoc, getRecordsMap } from '../../collab/tldraw-binding'

const REMOTE = 'remote'
const PAGE_ID: TLPageId = PageRecordType.createId('page')
const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

const later = <T>(value: T) => {
  cleanups.push(() => (value as { destroy?: () => void; dispose?: () => void }).destroy?.() ?? (value as { dispose?: () => void }).dispose?.())
  return value
}

/** Relays updates between `a` and `b` (the update's origin is the doc it came from), like the room would. */
function link(a: Y.Doc, b: Y.Doc) {
  const forward = (source: Y.Doc, target: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (origin !== target) Y.applyUpdate(target, update, source)
  }
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), a)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), b)
  a.on('update', forward(a, b))
  b.on('update', forward(b, a))
}

function note(id: TLShapeId, text: string): TLGeoShape {
  return {
    id,
    typeName: 'shape',
    type: 'geo',
    parentId: PAGE_ID,
    index: 'a2' as IndexKey,
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      w: 200,
      h: 200,
      geo: 'rectangle',
      dash: 'draw',
      growY: 0,
      url: '',
      scale: 1,
      flipX: false,
      flipY: false,
      color: 'yellow',
      labelColor: 'black',
      fill: 'solid',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: toRichText(text),
    },
  }
}

/** The world: a server board doc, A and B bound to it, A's layer doc bound to A's store. */
function world(options: { graceMs?: number } = {}) {
  const server = later(new Y.Doc())
  const boardA = later(new Y.Doc())
  const boardB = later(new Y.Doc())
  const layer = later(new Y.Doc())
  link(server, boardA)
  link(server, boardB)
  const a: TLStore = later(createTLStore())
  const b: TLStore = later(createTLStore())
  later(bindStoreToYDoc(a, boardA, { skip: privateLayerSkip(a) }))
  later(bindStoreToYDoc(b, boardB))
  a.put([DocumentRecordType.create({ id: TLDOCUMENT_ID }), PageRecordType.create({ id: PAGE_ID, name: 'Seite 1', index: 'a1' as IndexKey })])
  const privateA = later(bindPrivateLayer(a, layer, boardA, options))
  return { server, boardA, layer, a, b, privateA }
}

const textOf = (store: TLStore, id: TLShapeId) => JSON.stringify((store.get(id) as TLGeoShape | undefined)?.props.richText ?? null)

describe('bindPrivateLayer', () => {
  it('writes a note made while private mode is on to the layer only; its edits and a board note’s edits go where each belongs', () => {
    const { server, layer, a, b } = world()
    const hidden = createShapeId('hidden')
    a.put([note(hidden, 'Geheime Idee')])
    expect(getRecordsMap(layer).get(hidden)).toBeTruthy()
    expect(getRecordsMap(server).has(hidden)).toBe(false)
    expect(b.has(hidden)).toBe(false)

    a.update(hidden, (shape) => ({ ...shape, x: 250 }))
    expect((getRecordsMap(layer).get(hidden) as TLGeoShape).x).toBe(250)
    expect(getRecordsMap(server).has(hidden)).toBe(false)
    expect(JSON.stringify(getRecordsMap(server).toJSON())).not.toContain('Geheime Idee')

    // A shape B made on the board stays a board shape when A moves it.
    const shared = createShapeId('shared')
    b.put([note(shared, 'Gemeinsam')])
    a.update(shared, (shape) => ({ ...shape, x: 99 }))
    expect((getRecordsMap(server).get(shared) as TLGeoShape).x).toBe(99)
    expect(getRecordsMap(layer).has(shared)).toBe(false)

    a.remove([hidden])
    expect(getRecordsMap(layer).has(hidden)).toBe(false)
    expect(getRecordsMap(server).has(hidden)).toBe(false)
  })

  it('records already in the layer appear in the store and their edits go to the layer', () => {
    const server = later(new Y.Doc())
    const board = later(new Y.Doc())
    link(server, board)
    const layer = later(new Y.Doc())
    const earlier = createShapeId('earlier')
    layer.transact(() => getRecordsMap(layer).set(earlier, note(earlier, 'Von gestern')), REMOTE)
    const a = later(createTLStore())
    later(bindStoreToYDoc(a, board, { skip: privateLayerSkip(a) }))
    a.put([DocumentRecordType.create({ id: TLDOCUMENT_ID }), PageRecordType.create({ id: PAGE_ID, name: 'Seite 1', index: 'a1' as IndexKey })])
    later(bindPrivateLayer(a, layer, board))
    expect(a.has(earlier)).toBe(true)
    a.update(earlier, (shape) => ({ ...shape, y: 40 }))
    expect((getRecordsMap(layer).get(earlier) as TLGeoShape).y).toBe(40)
    expect(getRecordsMap(server).has(earlier)).toBe(false)
  })

  for (const order of ['board first', 'layer first'] as const) {
    it(`after a reveal (${order}) the note stays on screen once and its edits go to the board`, async () => {
      const { server, layer, a, b, privateA } = world({ graceMs: 200 })
      const hidden = createShapeId('hidden')
      a.put([note(hidden, 'Geheime Idee')])
      const revealed = getRecordsMap(layer).get(hidden)!
      const seen: boolean[] = []
      const stop = a.listen(() => seen.push(a.has(hidden)))
      const toBoard = () => server.transact(() => getRecordsMap(server).set(hidden, revealed), 'server')
      const fromLayer = () => layer.transact(() => getRecordsMap(layer).delete(hidden), REMOTE)
      if (order === 'board first') {
        toBoard()
        fromLayer()
      } else {
        fromLayer()
        await new Promise((resolve) => setTimeout(resolve, 50))
        toBoard()
      }
      await new Promise((resolve) => setTimeout(resolve, 300))
      stop()
      expect(seen).not.toContain(false)
      expect(a.has(hidden)).toBe(true)
      expect(b.has(hidden)).toBe(true)
      expect(privateA.claimed.has(hidden)).toBe(false)

      a.update(hidden, (shape) => ({ ...shape, x: 500 }))
      expect((getRecordsMap(server).get(hidden) as TLGeoShape).x).toBe(500)
      expect((b.get(hidden) as TLGeoShape).x).toBe(500)
      expect(getRecordsMap(layer).has(hidden)).toBe(false)
    })
  }

  it('a note deleted from the layer elsewhere (not revealed) leaves the store after the grace time', async () => {
    const { layer, a } = world({ graceMs: 50 })
    const hidden = createShapeId('hidden')
    a.put([note(hidden, 'Geheime Idee')])
    layer.transact(() => getRecordsMap(layer).delete(hidden), REMOTE)
    expect(a.has(hidden)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(a.has(hidden)).toBe(false)
  })

  it('notes held while the page did not know whether the mode is on go to the board on release, stay on screen, and edit the board from then on', () => {
    const { server, layer, a, b, privateA } = world()
    const held = createShapeId('held')
    a.put([note(held, 'Vor der Antwort')])
    expect(getRecordsMap(server).has(held)).toBe(false)
    const seen: boolean[] = []
    const stop = a.listen(() => seen.push(a.has(held)))
    expect(privateA.release()).toBe(1)
    stop()
    expect(seen).not.toContain(false)
    expect(getRecordsMap(server).has(held)).toBe(true)
    expect(b.has(held)).toBe(true)
    expect(getRecordsMap(layer).has(held)).toBe(false)
    expect(privateA.claimed.has(held)).toBe(false)
    a.update(held, (shape) => ({ ...shape, x: 12 }))
    expect((getRecordsMap(server).get(held) as TLGeoShape).x).toBe(12)
  })

  it('once the mode ends, new shapes go to the board again while unrevealed ones stay in the layer', () => {
    const { server, layer, a, b, privateA } = world()
    const hidden = createShapeId('hidden')
    a.put([note(hidden, 'Geheime Idee')])
    privateA.setActive(false)
    const open = createShapeId('open')
    a.put([note(open, 'Offen')])
    expect(getRecordsMap(server).has(open)).toBe(true)
    expect(b.has(open)).toBe(true)
    expect(getRecordsMap(layer).has(open)).toBe(false)
    a.update(hidden, (shape) => ({ ...shape, x: 7 }))
    expect(getRecordsMap(server).has(hidden)).toBe(false)
    expect((getRecordsMap(layer).get(hidden) as TLGeoShape).x).toBe(7)
    expect(textOf(b, hidden)).toBe('null')
  })
})
