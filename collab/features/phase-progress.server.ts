/**
 * A group's progress in the current phase (issue 5, Leitstand): how many shapes of its board
 * were added or changed since the phase started. The phase snapshot recorded each board's
 * state vector when the phase began (collab/features/phase-snapshots.server.ts); a shape record whose current
 * value was written after that vector was added or changed in this phase. Reads item ids of
 * the document only — no copy, no encode (docs/decisions/0023-vote-dots-and-group-progress.md).
 */
import * as Y from 'yjs'
import { RECORDS_MAP_NAME } from '../../domain/board/document'
import type { LiveState } from './facilitation.server'

export type PhaseProgress = { added: number; changed: number }

/** Whether an item was written after the state vector `since` (client → next clock at that time). */
const newer = (item: Y.Item, since: Map<number, number>) => item.id.clock >= (since.get(item.id.client) ?? 0)

/** Counts the shapes of `doc` added, or changed (moved, edited, restyled), after the state vector `since`; deleted shapes are not counted. */
export function phaseProgress(doc: Y.Doc, since: Map<number, number>): PhaseProgress {
  const progress: PhaseProgress = { added: 0, changed: 0 }
  const records = doc.getMap<{ typeName?: unknown }>(RECORDS_MAP_NAME)
  for (const item of records._map.values()) {
    if (item.deleted || !newer(item, since)) continue
    const value = item.content.getContent()[0] as { typeName?: unknown } | undefined
    if (value?.typeName !== 'shape') continue
    // Earlier values of the same key sit to the left; one written before the phase means the shape existed then.
    let existed = false
    for (let left = item.left; left; left = left.left) {
      if (!newer(left, since)) {
        existed = true
        break
      }
    }
    if (existed) progress.changed++
    else progress.added++
  }
  return progress
}

/**
 * The state vectors of the boards when the current phase began, from the phase snapshot the
 * phase change recorded; null before the first phase or when that snapshot is missing. A board
 * the snapshot does not list was created during the phase: everything on it is new.
 */
export function phaseStartVectors(state: Pick<LiveState, 'history' | 'snapshots'>): { startedAt: number; vectorOf: (boardId: string) => Map<number, number> } | null {
  const started = state.history.at(-1)
  if (!started) return null
  const snapshot = [...state.snapshots].reverse().find((s) => s.kind === 'phase' && s.at >= started.at)
  if (!snapshot) return null
  const vectors = new Map(snapshot.boards.map((b) => [b.boardId, b.stateVector]))
  const empty = new Map<number, number>()
  return {
    startedAt: started.at,
    vectorOf: (boardId) => {
      const encoded = vectors.get(boardId)
      return encoded ? Y.decodeStateVector(Buffer.from(encoded, 'base64')) : empty
    },
  }
}
