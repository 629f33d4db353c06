/**
 * Phase snapshots of a live session (issue 5): advancing a phase and ending the session record
 * the state of every group's boards and Systemdesign document, labelled like
 * "Modul 2 – Phase 3 – Akteursanalyse". Until the snapshot store (issue 6, `takeSnapshot`) is
 * merged, the record is kept in the session: per board its Yjs state vector and size.
 * `recordPhaseSnapshot` is the single call site to switch over to `takeSnapshot`.
 */
import * as Y from 'yjs'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'
import * as courses from '../db/courses.server'
import type { Rooms } from './room'

export type PhaseSnapshotBoard = { boardId: string; municipalityId: string | null; kind: string; title: string; stateVector: string; bytes: number }
export type PhaseSnapshot = { label: string; kind: 'phase' | 'end'; at: number; takenBy: string; boards: PhaseSnapshotBoard[] }

/** The label of a phase snapshot: "Modul 2 – Phase 3 – Akteursanalyse" (or "… – Sitzungsende"). */
export function phaseSnapshotLabel(session: { moduleNumber: number | null; title: string }, phase: { index: number; title: string } | null): string {
  const head = session.moduleNumber ? `Modul ${session.moduleNumber}` : session.title
  return phase ? `${head} – Phase ${phase.index + 1} – ${phase.title}` : `${head} – Sitzungsende`
}

/**
 * Records the current state of every board and design document of the course's groups (and
 * the course's own boards) under `label`. Integrator: replace the body's per-board loop with
 * `takeSnapshot({ sql, rooms, municipalityId, label, note, kind, takenBy })` per group.
 */
export async function recordPhaseSnapshot(input: {
  sql: Sql
  rooms: Rooms
  courseId: string
  label: string
  kind: 'phase' | 'end'
  takenBy: string
}): Promise<PhaseSnapshot> {
  const teams = await courses.listTeams(input.sql, input.courseId)
  const municipalityIds = teams.map((m) => m.id)
  const whiteboards = await boards.listBoards(input.sql, { municipalityIds, courseIds: [input.courseId] })
  const designs = (await Promise.all(municipalityIds.map((id) => boards.getDesignDocument(input.sql, id)))).filter((b) => b !== null)
  const recorded: PhaseSnapshotBoard[] = []
  for (const board of [...whiteboards, ...designs]) {
    const state = await input.rooms.currentState(board.id)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    recorded.push({
      boardId: board.id,
      municipalityId: board.municipalityId,
      kind: board.kind,
      title: board.title,
      stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
      bytes: state.length,
    })
    doc.destroy()
  }
  return { label: input.label, kind: input.kind, at: Date.now(), takenBy: input.takenBy, boards: recorded }
}
