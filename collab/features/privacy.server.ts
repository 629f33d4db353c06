/**
 * Scrubbing a deleted person's name out of board and design documents (GDPR Art. 17): tldraw
 * keeps a document-scope `user:<personId>` record with name and picture for attribution, and
 * records may carry it in their `meta`. The change goes through `Rooms.edit`, so it is stored
 * before any client sees it; the person's contributions (shapes, entries) stay, without the name.
 */
import type * as Y from 'yjs'
import type { Sql } from '../../db/client.server'
import { recordsMap, withStateDoc, type BoardRecord } from '../../domain/board/document'
import type { Rooms } from '../rooms'

/** Removes `name` from one record: the person's own user record loses name and picture, any record's meta loses exact matches. */
function scrubRecord(record: Partial<BoardRecord>, personId: string, name: string): Partial<BoardRecord> | null {
  let changed = false
  let next: Partial<BoardRecord> = record
  if (record.typeName === 'user' && record.id === `user:${personId}` && (record.name !== '' || record.imageUrl !== '')) {
    next = { ...next, name: '', imageUrl: '' }
    changed = true
  }
  if (name && record.meta && typeof record.meta === 'object' && !Array.isArray(record.meta)) {
    const meta = Object.fromEntries(Object.entries(record.meta).map(([k, v]) => [k, v === name ? '' : v]))
    if (Object.entries(meta).some(([k, v]) => (record.meta as Record<string, unknown>)[k] !== v)) {
      next = { ...next, meta }
      changed = true
    }
  }
  return changed ? next : null
}

/** Scrubs the person from a document in place (inside the caller's transaction); returns how many records changed. */
export function scrubPersonFromDoc(doc: Y.Doc, personId: string, name: string): number {
  const records = recordsMap<Partial<BoardRecord>>(doc)
  let changed = 0
  for (const [id, record] of records.entries()) {
    if (!record || typeof record !== 'object') continue
    const next = scrubRecord(record, personId, name)
    if (next) {
      records.set(id, next)
      changed++
    }
  }
  return changed
}

/** Scrubs the person from every board and design document that names them; returns the ids of the boards changed. */
export async function scrubPersonFromBoards(sql: Sql, rooms: Rooms, personId: string, name: string): Promise<string[]> {
  const boards = await sql<{ id: string }[]>`select id from boards order by id`
  const changed: string[] = []
  for (const { id } of boards) {
    const needed = withStateDoc(await rooms.currentState(id), (probe) => probe.transact(() => scrubPersonFromDoc(probe, personId, name)) > 0)
    if (!needed) continue
    await rooms.edit(id, (doc) => void scrubPersonFromDoc(doc, personId, name))
    changed.push(id)
  }
  return changed
}
