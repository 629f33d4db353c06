/**
 * The first records of a board: checks shape records against the tldraw schema (without the
 * editor, only `@tldraw/tlschema`) and writes a new board's document, first page and shapes
 * into its Y.Doc in the layout of ./document.ts. Callers write through `rooms.edit`.
 */
import { createTLSchema } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { boardMetaMap, recordsMap, SCHEMA_KEY } from './document'
import { FIRST_PAGE_ID, type ShapeRecord } from '../templates/records'

const schema = createTLSchema()
const shapeType = schema.types.shape

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

/** Writes the first page and `shapes` into an empty board's Y.Doc, with the schema they follow. */
export function writeFirstRecords(doc: Y.Doc, shapes: ShapeRecord[], pageName: string): void {
  const records = recordsMap<unknown>(doc)
  if (records.size > 0) return
  doc.transact(() => {
    for (const record of [...firstPageRecords(pageName), ...shapes]) records.set(record.id, record)
    boardMetaMap(doc).set(SCHEMA_KEY, schema.serialize())
  })
}
