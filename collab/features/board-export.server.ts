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
import * as Y from 'yjs'
import type { Sql } from '../../db/client.server'
import type { Board } from '../../db/boards.server'
import { createBoardSchema } from '../../domain/board/kms-shape'
import { boardMetaMap, firstPage, readRecords, recordsMap, SCHEMA_KEY, storedSchema, withStateDoc, type BoardRecord } from '../../domain/board/document'
import { fillLabel, labelsFor, type Language } from '../../domain/labels'
import { makeDocEqual } from '../../domain/snapshots/restore'
import type { Rooms } from '../room'
import { takeSnapshot } from './snapshots.server'

export type TldrawSnapshot = { schema: unknown; records: BoardRecord[] }
export type ImportMode = 'add' | 'replace'

const boardSchema = createBoardSchema()

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
  /** The reader's language, for the safety snapshot's label (German by default). */
  language?: Language
}): Promise<{ records: number; shapes: number; beforeImport: string | null }> {
  const records = checkBoardFile(input.records, input.schema)
  const before = input.board.municipalityId
    ? await takeSnapshot({
        sql: input.sql,
        rooms: input.rooms,
        municipalityId: input.board.municipalityId,
        label: fillLabel(labelsFor(input.language).beforeImport, { title: input.board.title }).slice(0, 200),
        kind: 'before_restore',
        takenBy: input.personId,
        language: input.language,
      })
    : null
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
  const top = current
    .filter((r) => r.typeName === 'shape' && r.parentId === page.id)
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
