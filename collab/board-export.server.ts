/**
 * A whiteboard as a tldraw snapshot (`{schema, records}`) and back: export reads the current
 * state through the room; import makes the board's records exactly the given ones through
 * `rooms.edit` (stored before anyone sees them, received live), after a "vor Import" snapshot
 * of the municipality's design so that nothing is overwritten without a way back.
 */
import * as Y from 'yjs'
import type { Sql } from '../db/client.server'
import type { Board } from '../db/boards.server'
import { docFromState } from '../app/snapshots/content'
import { makeDocEqual } from './restore'
import type { Rooms } from './room'
import { takeSnapshot } from './snapshots.server'

export type TldrawSnapshot = { schema: unknown; records: { id: string; typeName: string; [key: string]: unknown }[] }

/** The board's current records and schema, as tldraw's `loadSnapshot` takes them. */
export async function exportBoard(rooms: Pick<Rooms, 'currentState'>, boardId: string): Promise<TldrawSnapshot> {
  const doc = docFromState(await rooms.currentState(boardId))
  try {
    const records = [...doc.getMap<TldrawSnapshot['records'][number]>('tl_records').values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { schema: doc.getMap('tl_meta').get('schema') ?? null, records }
  } finally {
    doc.destroy()
  }
}

/** Replaces a whiteboard's records with `records` (and its schema, when given); returns how many and the safety snapshot. */
export async function importBoard(input: {
  sql: Sql
  rooms: Pick<Rooms, 'currentState' | 'edit'>
  board: Board
  records: TldrawSnapshot['records']
  schema: unknown
  personId: string | null
}): Promise<{ records: number; beforeImport: string | null }> {
  const before = input.board.municipalityId
    ? await takeSnapshot({
        sql: input.sql,
        rooms: input.rooms,
        municipalityId: input.board.municipalityId,
        label: `vor Import in „${input.board.title}“`.slice(0, 200),
        kind: 'before_restore',
        takenBy: input.personId,
      })
    : null
  const source = new Y.Doc()
  try {
    const current = docFromState(await input.rooms.currentState(input.board.id))
    const schema = input.schema ?? current.getMap('tl_meta').get('schema')
    current.destroy()
    source.transact(() => {
      const map = source.getMap('tl_records')
      for (const record of input.records) map.set(record.id, record)
      if (schema) source.getMap('tl_meta').set('schema', schema)
    })
    await input.rooms.edit(input.board.id, (doc) => makeDocEqual(doc, source, 'whiteboard'))
  } finally {
    source.destroy()
  }
  return { records: input.records.length, beforeImport: before?.id ?? null }
}
