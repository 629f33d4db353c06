/**
 * A whiteboard as a tldraw snapshot (`{schema, records}`, the records of a `.tldr` file) and
 * back: export reads the current state through the room; import checks the file against the
 * board's tldraw schema (migrating it from the file's schema first), takes a "vor Import"
 * snapshot of the municipality's design so that nothing is lost without a way back, and writes
 * through `rooms.edit` (stored before anyone sees it, received live). Import either adds the
 * file's shapes to the board's first page under new ids (`add`, what the board page does) or
 * makes the board's records exactly the file's (`replace`). docs/decisions/0024.
 */
import { randomUUID } from 'node:crypto'
import { getIndicesAbove, type IndexKey } from '@tldraw/utils'
import { T } from '@tldraw/validate'
import * as Y from 'yjs'
import type { Sql } from '../../db/client.server'
import type { Board } from '../../db/boards.server'
import { createBoardSchema } from '../../domain/board/kms-shape'
import { boardMetaMap, firstPage, readRecords, recordsMap, SCHEMA_KEY, storedSchema, withStateDoc, type BoardRecord } from '../../domain/board/document'
import { fillLabel, labelsFor, languages, type Language } from '../../domain/labels'
import { makeDocEqual } from '../../domain/snapshots/restore'
import type { Rooms } from '../rooms'
import { checkBoardRecord } from '../board-records.server'
import { takeSnapshot } from './snapshots.server'
import * as snapshotStore from '../../db/snapshots.server'

export type TldrawSnapshot = { schema: unknown; records: BoardRecord[] }
export type ImportMode = 'add' | 'replace'

const boardSchema = createBoardSchema()

/** How a "vor Import" Stand's label starts (it is found by it for the rate limit and retention). */
/** How every language's "vor Import" label begins (the part before the board's title), to find those Stände whoever took them. */
const BEFORE_IMPORT_PREFIXES = languages.map((language) => labelsFor(language).beforeImport.split('{{title}}')[0])

/**
 * "vor Import" Stände (decision 0036): at most one per municipality every `everyMinutes` — a
 * further import within that time shares the recent one as its way back — and only the newest
 * `keep` are kept.
 */
export type BeforeImportPolicy = { everyMinutes: number; keep: number }

/** A file the tldraw schema refuses; `message` names the first problem (record id and reason). */
export class BoardFileInvalid extends Error {}

/** The board's current records and schema, as tldraw's `loadSnapshot` takes them. */
export async function exportBoard(rooms: Pick<Rooms, 'currentState'>, boardId: string): Promise<TldrawSnapshot> {
  return withStateDoc(await rooms.currentState(boardId), (doc) => ({
    schema: storedSchema(doc),
    records: readRecords(doc).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }))
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error))

/**
 * The file's document records (document, pages, shapes, bindings, assets) migrated to the
 * board's schema and validated; session records (camera, instance state) are left out. Throws
 * BoardFileInvalid for an unknown record type, a failed migration or a record the schema refuses.
 */
export function checkBoardFile(records: BoardRecord[], schema: unknown): BoardRecord[] {
  const types = boardSchema.types as Partial<Record<string, { scope: string; validate: (record: unknown) => unknown }>>
  for (const record of records) if (!types[record.typeName]) throw new BoardFileInvalid(`${record.id}: unbekannter Typ „${record.typeName}“`)
  const store = Object.fromEntries(records.map((r) => [r.id, r]))
  let migrated: Record<string, BoardRecord>
  try {
    const result = boardSchema.migrateStoreSnapshot({ schema: (schema ?? boardSchema.serialize()) as never, store: store as never })
    if (result.type !== 'success') throw new BoardFileInvalid(`Migration: ${result.reason}`)
    migrated = result.value as unknown as Record<string, BoardRecord>
  } catch (error) {
    throw error instanceof BoardFileInvalid ? error : new BoardFileInvalid(`Migration: ${firstLine(error)}`)
  }
  const kept: BoardRecord[] = []
  for (const record of Object.values(migrated)) {
    const type = types[record.typeName]!
    if (type.scope !== 'document') continue
    try {
      type.validate(record)
    } catch (error) {
      throw new BoardFileInvalid(`${record.id}: ${firstLine(error)}`)
    }
    // The same check as every record entering a board (rich text, text length; decision 0040).
    const problem = checkBoardRecord(record)
    if (problem) throw new BoardFileInvalid(problem)
    kept.push(record)
  }
  return kept
}

/** Imports checked records into a whiteboard (see the module comment); returns how many records and shapes were written and the safety snapshot. */
export async function importBoard(input: {
  sql: Sql
  rooms: Pick<Rooms, 'currentState' | 'edit'>
  board: Board
  records: BoardRecord[]
  schema: unknown
  mode: ImportMode
  personId: string | null
  beforeImport: BeforeImportPolicy
  /** The reader's language, for the safety snapshot's label (German by default). */
  language?: Language
}): Promise<{ records: number; shapes: number; beforeImport: string | null }> {
  const records = checkBoardFile(input.records, input.schema)
  const before = input.board.municipalityId ? await beforeImportStand(input, input.board.municipalityId) : null
  let written = records
  if (input.mode === 'replace') {
    const source = new Y.Doc()
    try {
      source.transact(() => {
        const map = recordsMap(source)
        for (const record of records) map.set(record.id, record)
        boardMetaMap(source).set(SCHEMA_KEY, boardSchema.serialize())
      })
      await input.rooms.edit(input.board.id, (doc) => makeDocEqual(doc, source, 'whiteboard'))
    } finally {
      source.destroy()
    }
  } else {
    await input.rooms.edit(input.board.id, (doc) => {
      const map = recordsMap(doc)
      written = addedRecords(readRecords(doc), records)
      doc.transact(() => {
        for (const record of written) map.set(record.id, record)
        if (!storedSchema(doc)) boardMetaMap(doc).set(SCHEMA_KEY, boardSchema.serialize())
      })
    })
  }
  return { records: written.length, shapes: written.filter((r) => r.typeName === 'shape').length, beforeImport: before?.id ?? null }
}

/** Whether a value is a valid fractional index (tldraw's `IndexKey`). */
function isIndexKey(value: unknown): boolean {
  return T.indexKey.isValid(value)
}

/** The "vor Import" Stand of this import: a recent one of the municipality, or a new one (older ones beyond `keep` deleted). */
async function beforeImportStand(
  input: { sql: Sql; rooms: Pick<Rooms, 'currentState' | 'edit'>; board: Board; personId: string | null; beforeImport: BeforeImportPolicy; language?: Language },
  municipalityId: string,
): Promise<{ id: string }> {
  const { everyMinutes, keep } = input.beforeImport
  const existing = await snapshotStore.snapshotsLabelled(input.sql, municipalityId, 'before_restore', BEFORE_IMPORT_PREFIXES)
  const recent = existing[0]
  if (recent && Date.now() - recent.takenAt.getTime() < everyMinutes * 60_000) return recent
  const taken = await takeSnapshot({
    sql: input.sql,
    rooms: input.rooms,
    municipalityId,
    label: fillLabel(labelsFor(input.language).beforeImport, { title: input.board.title }).slice(0, 200),
    kind: 'before_restore',
    takenBy: input.personId,
    language: input.language,
  })
  await snapshotStore.deleteSnapshotsOfKind(
    input.sql,
    municipalityId,
    'before_restore',
    existing.slice(Math.max(0, keep - 1)).map((s) => s.id),
  )
  return taken
}

/**
 * The records that put `incoming`'s shapes (with their bindings and assets) onto the first page
 * of a board holding `current`, under new ids and above its shapes, as tldraw's "put content
 * onto the current page" does. A board without a page takes the file's pages as they are.
 */
export function addedRecords(current: BoardRecord[], incoming: BoardRecord[]): BoardRecord[] {
  const page = firstPage(current)
  if (!page) return incoming.filter((r) => r.typeName !== 'document' || !current.some((c) => c.id === r.id))
  const fresh = new Map<string, string>()
  for (const r of incoming) if (r.typeName === 'shape' || r.typeName === 'binding' || r.typeName === 'asset') fresh.set(r.id, `${r.typeName}:${randomUUID()}`)
  const shapes = incoming.filter((r) => r.typeName === 'shape')
  const roots = shapes.filter((s) => !fresh.has(String(s.parentId))).sort((a, b) => (String(a.index) < String(b.index) ? -1 : 1))
  // A shape already on the board with a broken index (it should never have got in) is passed over
  // for placement, so it cannot make every later import fail (issue 16; decision 0036).
  const top = current
    .filter((r) => r.typeName === 'shape' && r.parentId === page.id && isIndexKey(r.index))
    .map((r) => String(r.index))
    .sort()
    .at(-1)
  const indices = getIndicesAbove((top ?? null) as IndexKey | null, roots.length)
  const rootIndex = new Map(roots.map((s, i) => [s.id, indices[i]!]))
  const out: BoardRecord[] = []
  for (const r of incoming) {
    const id = fresh.get(r.id)
    if (!id) continue
    if (r.typeName === 'shape') {
      const props = r.props as Record<string, unknown>
      const assetId = typeof props.assetId === 'string' ? (fresh.get(props.assetId) ?? props.assetId) : props.assetId
      out.push({
        ...r,
        id,
        parentId: fresh.get(String(r.parentId)) ?? page.id,
        index: rootIndex.get(r.id) ?? r.index,
        props: assetId === undefined ? props : { ...props, assetId },
      })
    } else if (r.typeName === 'binding') {
      // A binding to a shape that is not in the file would point at nothing.
      if (!fresh.has(String(r.fromId)) || !fresh.has(String(r.toId))) continue
      out.push({ ...r, id, fromId: fresh.get(String(r.fromId)) ?? r.fromId, toId: fresh.get(String(r.toId)) ?? r.toId })
    } else out.push({ ...r, id })
  }
  return out
}
