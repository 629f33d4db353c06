/**
 * The one definition of a whiteboard's layout inside a Y.Doc, for browser and server alike
 * (no tldraw editor, no DOM):
 * - map `tl_records`: document-scope tldraw records (document, pages, shapes, bindings, assets,
 *   users) as plain JSON values keyed by record id;
 * - map `tl_meta`, key `schema`: the serialized tldraw schema those records follow.
 * Everyone who reads or writes a board's records goes through these names and accessors.
 */
import * as Y from 'yjs'

/** Name of the Y.Map holding the board's document-scope records. */
export const RECORDS_MAP_NAME = 'tl_records'
/** Name of the Y.Map holding board metadata. */
export const META_MAP_NAME = 'tl_meta'
/** Key in the meta map under which the serialized tldraw schema is stored. */
export const SCHEMA_KEY = 'schema'

/** A tldraw record as the board stores it: plain JSON with an id and a type name; shapes carry the optional fields. */
export type BoardRecord = {
  id: string
  typeName: string
  type?: string
  parentId?: string
  index?: string
  x?: number
  y?: number
  rotation?: number
  isLocked?: boolean
  props?: Record<string, unknown>
  meta?: Record<string, unknown>
  [key: string]: unknown
}

/** The Y.Map holding a board's records (id → record). */
export function recordsMap<T = BoardRecord>(doc: Y.Doc): Y.Map<T> {
  return doc.getMap<T>(RECORDS_MAP_NAME)
}

/** The Y.Map holding a board's metadata (the tldraw schema). */
export function boardMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_MAP_NAME)
}

/** The serialized tldraw schema the board's records follow, or null when none is stored. */
export function storedSchema(doc: Y.Doc): unknown {
  return boardMetaMap(doc).get(SCHEMA_KEY) ?? null
}

/** The board's records as plain values (anything that is not an object with a string id is left out). */
export function readRecords(doc: Y.Doc): BoardRecord[] {
  return [...recordsMap<unknown>(doc).values()].filter((r): r is BoardRecord => !!r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string')
}

/** Decodes a stored Yjs state into a fresh Y.Doc (the caller destroys it). */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

/** Runs `read` on a throw-away Y.Doc decoded from a stored state, and destroys the doc afterwards. */
export function withStateDoc<R>(state: Uint8Array, read: (doc: Y.Doc) => R): R {
  const doc = docFromState(state)
  try {
    return read(doc)
  } finally {
    doc.destroy()
  }
}

/** A shape record: a board record of type name 'shape' with its shape type. */
export type BoardShape = BoardRecord & { typeName: 'shape'; type: string }

/** The board's first page (lowest index key) among its records, or undefined when it has none. */
export function firstPage<T extends { typeName?: unknown; index?: unknown }>(records: T[]): T | undefined {
  return records.filter((r) => r.typeName === 'page').sort((a, b) => (String(a.index ?? '') < String(b.index ?? '') ? -1 : 1))[0]
}
