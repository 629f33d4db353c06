/**
 * Server side of templates: checks shape records against the tldraw schema (without loading the
 * editor, only `@tldraw/tlschema`) and writes a new board's first records into its Y.Doc in the
 * layout of collab/tldraw-binding.ts, through `rooms.edit` (stored before anyone sees them).
 */
import { createTLSchema } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import type { Rooms } from '../../collab'
import { FIRST_PAGE_ID, type ShapeRecord } from './records'

const schema = createTLSchema()
const shapeType = schema.types.shape

/** The same names as in collab/tldraw-binding.ts (which imports tldraw and cannot be loaded here). */
const RECORDS_MAP_NAME = 'tl_records'
const META_MAP_NAME = 'tl_meta'
const SCHEMA_KEY = 'schema'

/** Returns an error message for the first shape record the tldraw schema refuses, else null. */
export function invalidShape(records: unknown[]): string | null {
  for (const record of records) {
    try {
      shapeType.validate(record)
    } catch (error) {
      return `${String((record as { id?: unknown })?.id ?? '?')}: ${error instanceof Error ? error.message.split('\n')[0] : 'invalid'}`
    }
  }
  return null
}

/** The document and first page of a new board, as the board page would create them. */
export function firstPageRecords(pageName: string) {
  return [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: FIRST_PAGE_ID, typeName: 'page', name: pageName, index: 'a1', meta: {} },
  ]
}

/** Writes the document, its first page and `shapes` into an empty board (a no-op when it already has records). */
export async function seedBoard(rooms: Rooms, boardId: string, shapes: ShapeRecord[], pageName: string): Promise<void> {
  const problem = invalidShape(shapes)
  if (problem) throw new Error(`template record refused by the tldraw schema: ${problem}`)
  await rooms.edit(boardId, (doc) => writeFirstRecords(doc, shapes, pageName))
}

/** Writes the first page and `shapes` into an empty board's Y.Doc, with the schema they follow. */
export function writeFirstRecords(doc: Y.Doc, shapes: ShapeRecord[], pageName: string): void {
  const records = doc.getMap(RECORDS_MAP_NAME)
  if (records.size > 0) return
  doc.transact(() => {
    for (const record of [...firstPageRecords(pageName), ...shapes]) records.set(record.id, record)
    doc.getMap(META_MAP_NAME).set(SCHEMA_KEY, schema.serialize())
  })
}
