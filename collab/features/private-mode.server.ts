/**
 * Private mode of live facilitation (decision 0020): while it is on for a board, each
 * participant's new notes go to their private layer (a board of kind 'private', replicated
 * only to its owner and the facilitators), never into the shared board document that every
 * client receives whole. Revealing moves every layer's shapes and bindings into the board —
 * stored before anyone sees them (`Rooms.edit`) — and only then empties the layers, so a crash
 * in between leaves the notes in both places (same ids) rather than in none.
 */
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import { recordsMap, withStateDoc, type BoardRecord } from '../../domain/board/document'
import type { Rooms } from '../rooms'

const MOVED_TYPES = new Set(['shape', 'binding'])

/** Moves the shapes of every private layer of a board into the board; returns how many records were revealed. */
export async function revealPrivateLayers(deps: { sql: Sql; rooms: Rooms }, boardId: string): Promise<number> {
  let revealed = 0
  for (const layer of await boards.privateLayers(deps.sql, boardId)) {
    const records = withStateDoc(await deps.rooms.currentState(layer.id), (doc) =>
      [...recordsMap<Partial<BoardRecord> | null>(doc).entries()].filter(([, r]) => r && MOVED_TYPES.has(String(r.typeName))),
    )
    if (records.length === 0) continue
    await deps.rooms.edit(boardId, (main) => {
      const target = recordsMap<unknown>(main)
      for (const [id, record] of records) target.set(id, record)
    })
    await deps.rooms.edit(layer.id, (private_) => {
      const source = recordsMap(private_)
      for (const [id] of records) source.delete(id)
    })
    revealed += records.length
  }
  return revealed
}
