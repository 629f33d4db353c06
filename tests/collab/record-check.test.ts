/**
 * The one record check (decision 0040): rich text that tldraw's editor cannot render — an empty
 * text node, a number as text, null in a content list, an unknown node type — and text over
 * MAX_TEXT_CHARS never reach storage or another person, whether they come over the raw Yjs
 * socket (put back by the room, the sender's next edit flowing on) or through the import API.
 *
 * The fuzz part generates rich-text documents, valid and crafted, writes each as a note through
 * a room's write gate and loads what the room then holds into a tldraw store built from the
 * board's schema (as tests/collab/binding.test.ts does), rendering every note's text with
 * tldraw's own TipTap extensions (the ProseMirror schema whose RangeError was "Something went
 * wrong" in the editors of the probe). Nothing the room holds may throw there.
 */
import { getSchema, generateText, type JSONContent } from '@tiptap/core'
import fc from 'fast-check'
import { createTLStore, tipTapDefaultExtensions, type TLRecord } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { createBoardSchema } from '../../domain/board/kms-shape'
import { boardRecordRule } from '../../collab/board-records.server'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { checkRecordContent, checkRichText } from '../../collab/record-check'
import { bindStoreToYDoc } from '../../collab/tldraw-binding'
import { RoomGate } from '../../collab/write-gate'
import type { RunningServer } from '../../server/app'
import { connectClient, openRawSocket, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { noteShape, richText } from '../support/records'
import { startTestServer } from '../support/server'

const proseMirror = getSchema(tipTapDefaultExtensions)

/** What tldraw's editor does with a note's rich text: build the ProseMirror document and render its text. Throws where the editor would. */
function renderLikeTldraw(doc: unknown) {
  proseMirror.nodeFromJSON(doc as JSONContent).check()
  const text = generateText(doc as JSONContent, tipTapDefaultExtensions, { blockSeparator: '\n' })
  if (typeof text !== 'string') throw new Error('text did not render to a string')
}

const text = fc.string({ minLength: 1, maxLength: 12 })
const mark = fc.constantFrom(
  { type: 'bold' },
  { type: 'italic' },
  { type: 'code' },
  { type: 'strike' },
  { type: 'underline' },
  { type: 'highlight' },
  { type: 'link', attrs: { href: 'https://example.org', target: '_blank', rel: null, class: null, title: 'Beispiel' } },
)
const dir = fc.option(fc.record({ dir: fc.constantFrom('ltr', 'rtl', 'auto', null) }), { nil: undefined })
const inline = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { type: fc.constant('text'), text, marks: fc.option(fc.uniqueArray(mark, { selector: (m) => m.type, maxLength: 3 }), { nil: undefined }) },
      { requiredKeys: ['type', 'text'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('hardBreak'), attrs: dir }, { requiredKeys: ['type'] }) },
)
const paragraph = fc.record({ type: fc.constant('paragraph'), attrs: dir, content: fc.array(inline, { maxLength: 4 }) }, { requiredKeys: ['type', 'content'] })
const heading = fc.record({ type: fc.constant('heading'), attrs: fc.record({ level: fc.integer({ min: 1, max: 6 }) }), content: fc.array(inline, { maxLength: 3 }) })
const listItem = fc.record({ type: fc.constant('listItem'), content: fc.tuple(paragraph, fc.array(fc.oneof(paragraph, heading), { maxLength: 1 })).map(([p, rest]) => [p, ...rest]) })
const list = fc.oneof(
  fc.record({ type: fc.constant('bulletList'), content: fc.array(listItem, { minLength: 1, maxLength: 3 }) }),
  fc.record({
    type: fc.constant('orderedList'),
    attrs: fc.record({ start: fc.integer({ min: 0, max: 99 }), type: fc.constantFrom(null, '1', 'a') }),
    content: fc.array(listItem, { minLength: 1, maxLength: 3 }),
  }),
)
const validDoc = fc.record({ type: fc.constant('doc'), attrs: dir, content: fc.array(fc.oneof(paragraph, heading, list), { minLength: 1, maxLength: 4 }) }, { requiredKeys: ['type', 'content'] })

/** The probe's crafted cases and their relatives, put somewhere into a valid document. */
const poison = fc.constantFrom<unknown>(
  { type: 'text', text: '' },
  { type: 'text', text: 42 },
  { type: 'text' },
  null,
  7,
  'text',
  { type: 'script', content: [] },
  { type: 'paragraph', content: [null] },
  { type: 'paragraph', content: 'nope' },
  { type: 'text', text: 'x', marks: [{ type: 'blink' }] },
  { type: 'text', text: 'x', marks: [null] },
  { type: 'heading', attrs: { level: 99 }, content: [] },
  { type: 'bulletList', content: [] },
  { type: 'bulletList', content: [{ type: 'paragraph' }] },
  { type: 'listItem', content: [] },
  { type: 'doc', content: [] },
  { type: 'text', text: 'x', marks: [{ type: 'highlight', attrs: { color: 'red' } }] },
  { type: 'paragraph', attrs: { onclick: 'alert(1)' }, content: [] },
)
const craftedDoc = fc.tuple(validDoc, poison, fc.nat(), fc.boolean()).map(([doc, bad, at, deep]) => {
  const blocks = [...doc.content] as unknown[]
  const target = blocks.find((b) => (b as { type: string }).type === 'paragraph') as { content: unknown[] } | undefined
  if (deep && target) target.content.splice(at % (target.content.length + 1), 0, bad)
  else blocks.splice(at % (blocks.length + 1), 0, bad)
  return { type: 'doc', content: blocks }
})

describe('the record check, fuzzed through a room’s write gate into a tldraw store', () => {
  it('rich text the check passes renders with tldraw’s own extensions; the probe’s crafted cases do not pass', () => {
    fc.assert(
      fc.property(fc.oneof(validDoc, craftedDoc), (doc) => {
        if (checkRichText(doc) === null) renderLikeTldraw(doc)
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(validDoc, (doc) => checkRichText(doc) === null),
      { numRuns: 500 },
    )
    const para = (...content: unknown[]) => ({ type: 'doc', content: [{ type: 'paragraph', content }] })
    expect(checkRichText(para({ type: 'text', text: '' }))).toMatch(/without text/)
    expect(checkRichText(para({ type: 'text', text: 42 }))).toMatch(/without text/)
    expect(checkRichText(para(null))).not.toBeNull()
    expect(checkRichText({ type: 'doc', content: [null] })).not.toBeNull()
    expect(checkRichText({ type: 'doc', content: [{ type: 'iframe' }] })).not.toBeNull()
    expect(checkRecordContent('shape:huge', noteShape('shape:huge', 'x'.repeat(20_001)), { maxTextChars: 20_000 })).toMatch(/characters/)
    expect(checkRecordContent('shape:fine', noteShape('shape:fine', 'x'.repeat(1_000)), { maxTextChars: 20_000 })).toBeNull()
  })

  it('no record a room holds after any sequence of notes makes tldraw’s store or text rendering throw; the writer’s good notes all arrive', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(validDoc, craftedDoc), fc.boolean()), { minLength: 1, maxLength: 6 }), (notes) => {
        const room = new Y.Doc()
        const gate = new RoomGate(room, [boardRecordRule])
        const writer = new Y.Doc()
        const good: string[] = []
        notes.forEach(([doc, edit], i) => {
          // Either a new note, or an edit of the previous one (then a bad edit must leave the earlier good text).
          const id = edit && i > 0 ? `shape:n${i - 1}` : `shape:n${i}`
          const before = Y.encodeStateVector(writer)
          writer.getMap('tl_records').set(id, { ...noteShape(id, 'x'), props: { ...noteShape(id, 'x').props, richText: doc } })
          const admitted = gate.admit(Y.encodeStateAsUpdate(writer, before), { canWrite: true, personId: 'person:writer' })
          if (admitted.update) {
            Y.applyUpdate(room, admitted.update)
            gate.applied(admitted.update)
            Y.applyUpdate(writer, admitted.update)
          }
          if (checkRichText(doc) === null) good.push(id)
        })
        const store = createTLStore({ schema: createBoardSchema() })
        try {
          const records = room.getMap<TLRecord>('tl_records')
          // Every note the room holds is a valid record whose rich text renders.
          for (const record of records.values()) {
            store.schema.validateRecord(store, record, 'initialize', null)
            renderLikeTldraw((record as unknown as { props: { richText: unknown } }).props.richText)
          }
          store.put([...records.values()])
          for (const id of good) expect(records.has(id)).toBe(true)
          // The writer's own copy holds what the room holds.
          expect(writer.getMap('tl_records').toJSON()).toEqual(records.toJSON())
        } finally {
          store.dispose()
          gate.destroy()
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('crafted records over the raw socket and the import API', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let boardId: string
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    boardId = world.board.hamm.id
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('a crafted note over the raw socket reaches neither storage nor another editor; the sender’s next note does, within a second', async () => {
    const bystander = connectClient(server.url, boardId, world.person.mediatorHamm.token)
    clients.push(bystander)
    await bystander.synced
    // The other editor: a tldraw store bound to the board, as the board page binds it.
    const store = createTLStore({ schema: createBoardSchema() })
    const binding = bindStoreToYDoc(store, bystander.doc)

    const ws = await openRawSocket(server.url, boardId, world.person.participantHamm.token)
    const denials: string[] = []
    ws.on('message', (data: Buffer) => {
      if (data[0] === 2) denials.push(data.subarray(3).toString())
    })
    const local = new Y.Doc()
    Y.applyUpdate(local, await server.rooms.currentState(boardId))
    const send = (change: () => void) => {
      const before = Y.encodeStateVector(local)
      change()
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(local, before))
      ws.send(encoding.toUint8Array(e))
    }
    const crafted = noteShape('shape:crafted', 'x', {}, { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }, null, { type: 'text', text: 42 }] }] } })
    send(() => local.getMap('tl_records').set(crafted.id, crafted))
    const next = noteShape('shape:after-crafted', 'Weiter geht’s')
    send(() => local.getMap('tl_records').set(next.id, next))
    const sent = Date.now()
    await waitFor(() => bystander.doc.getMap('tl_records').has(next.id), 'the sender’s next note arrives', 1000)
    expect(Date.now() - sent).toBeLessThan(1000)
    expect(bystander.doc.getMap('tl_records').has(crafted.id)).toBe(false)
    expect(store.get(next.id as never)).toBeDefined()
    for (const record of store.allRecords()) if (record.typeName === 'shape' && 'richText' in record.props) renderLikeTldraw(record.props.richText)
    await waitFor(() => denials.length > 0, 'the sender is told')
    expect(denials[0]).toMatch(/invalid record/)
    const stored = (await loadBoardDoc(server.db.sql, boardId, { error: () => {} })).doc.getMap('tl_records')
    expect(stored.has(crafted.id)).toBe(false)
    expect(stored.has(next.id)).toBe(true)
    // The sender's own document is corrected too: the crafted note is gone there as well.
    await waitFor(async () => {
      const state = new Y.Doc()
      Y.applyUpdate(state, await server.rooms.currentState(boardId))
      return !state.getMap('tl_records').has(crafted.id)
    }, 'the room holds no crafted note')

    // A too long note and an edit that breaks a good note are put back the same way.
    send(() => local.getMap('tl_records').set('shape:long', noteShape('shape:long', 'x'.repeat(25_000))))
    send(() => local.getMap('tl_records').set(next.id, { ...next, props: { ...next.props, richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'video' }] }] } } }))
    const marker = noteShape('shape:marker', 'Markierung')
    send(() => local.getMap('tl_records').set(marker.id, marker))
    await waitFor(() => bystander.doc.getMap('tl_records').has(marker.id), 'the marker arrives')
    expect(bystander.doc.getMap('tl_records').has('shape:long')).toBe(false)
    expect((bystander.doc.getMap('tl_records').get(next.id) as typeof next).props.richText).toEqual(richText('Weiter geht’s'))
    binding.dispose()
    store.dispose()
    ws.close()
  })

  it('the import API refuses a file with a crafted note or a note over MAX_TEXT_CHARS', async () => {
    const schema = createBoardSchema().serialize()
    const importing = (records: unknown[]) =>
      fetch(`${server.url}/api/v1/boards/${boardId}/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.person.participantHamm.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ schema, records }),
      })
    const crafted = noteShape('shape:imported', 'x', {}, { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } })
    const craftedRes = await importing([crafted])
    expect(craftedRes.status).toBe(400)
    expect(await craftedRes.text()).toMatch(/without text/)
    expect((await importing([noteShape('shape:imported-long', 'x'.repeat(25_000))])).status).toBe(400)
    expect((await importing([noteShape('shape:imported-ok', 'Gut')])).status).toBe(200)
  })
})
