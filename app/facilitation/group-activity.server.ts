/**
 * The Leitstand's "last activity" and "progress in the current phase" of every group board,
 * computed on the server for each refresh of the page: the last activity is the board's last
 * stored update (`boards.updated_at`), the progress is counted on the live room's document
 * (collab/features/phase-progress.server.ts). A board whose room is not loaded is read from storage once per
 * stored change and phase, then answered from a small cache.
 */
import * as Y from 'yjs'
import type { LiveState } from '../../collab/features/facilitation.server'
import { phaseProgress, phaseStartVectors, type PhaseProgress } from '../../collab/features/phase-progress.server'
import type { Rooms } from '../../collab/rooms'

export type GroupActivity = {
  /** Epoch ms of the board's last stored update. */
  lastActivityAt: number
  /** Shapes added and changed since the current phase started; null before the first phase (or without its snapshot). */
  progress: PhaseProgress | null
}

const CACHE_LIMIT = 500
/** Progress of boards whose room was not loaded, by board, phase start and last stored change. */
const stored = new Map<string, PhaseProgress>()

/** Last activity and phase progress of the given boards (by board id). */
export async function groupActivity(
  rooms: Pick<Rooms, 'readLoaded' | 'currentState'>,
  state: Pick<LiveState, 'history' | 'snapshots'>,
  boards: { id: string; updatedAt: Date }[],
): Promise<Record<string, GroupActivity>> {
  const phase = phaseStartVectors(state)
  const result: Record<string, GroupActivity> = {}
  for (const board of boards) {
    const progress = phase ? await progressOf(rooms, board, phase.startedAt, phase.vectorOf(board.id)) : null
    result[board.id] = { lastActivityAt: board.updatedAt.getTime(), progress }
  }
  return result
}

async function progressOf(rooms: Pick<Rooms, 'readLoaded' | 'currentState'>, board: { id: string; updatedAt: Date }, startedAt: number, since: Map<number, number>) {
  const live = await rooms.readLoaded(board.id, (doc) => phaseProgress(doc, since))
  if (live) return live
  const key = `${board.id}:${startedAt}:${board.updatedAt.getTime()}`
  const cached = stored.get(key)
  if (cached) return cached
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, await rooms.currentState(board.id))
    const progress = phaseProgress(doc, since)
    if (stored.size >= CACHE_LIMIT) stored.delete(stored.keys().next().value!)
    stored.set(key, progress)
    return progress
  } finally {
    doc.destroy()
  }
}
