/**
 * Phase snapshots of a live session (issues 5 and 15): a phase's end (the next phase starting),
 * a phase's start when it applied a template, and the end of the session record the state of
 * every group's boards and Systemdesign document, labelled like "Modul 2 – Ende Phase 2 –
 * Sammeln", "Modul 2 – Phase 3 – Akteursanalyse", "Modul 2 – Sitzungsende": each group's design becomes a snapshot (Stand) in the
 * snapshot store (`takeSnapshot`, kind 'phase' or 'session_end'), on its timeline like any other;
 * the session keeps the list (snapshot ids, and per board its state vector and size).
 */
import * as Y from 'yjs'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import { fillLabel, labelsFor, type Language } from '../../domain/labels'
import type { Rooms } from '../rooms'
import { takeSnapshot } from './snapshots.server'

export type PhaseSnapshotBoard = { boardId: string; municipalityId: string | null; kind: string; title: string; stateVector: string; bytes: number }
export type PhaseSnapshot = {
  label: string
  kind: 'phase' | 'end'
  at: number
  takenBy: string
  boards: PhaseSnapshotBoard[]
  /** The snapshot (Stand) taken of each group's design. */
  snapshots?: { municipalityId: string; snapshotId: string }[]
}

/**
 * The label of a phase snapshot in the course's language: "Modul 2 – Phase 3 – Akteursanalyse" at a
 * phase's start, "Modul 2 – Ende Phase 3 – Akteursanalyse" at its end, "Modul 2 – Sitzungsende" without a phase.
 */
export function phaseSnapshotLabel(
  session: { moduleNumber: number | null; title: string },
  phase: { index: number; title: string } | null,
  language: Language = 'de',
  moment: 'start' | 'end' = 'start',
): string {
  const labels = labelsFor(language)
  const head = session.moduleNumber ? fillLabel(labels.module, { number: session.moduleNumber }) : session.title
  if (!phase) return fillLabel(labels.sessionEndSnapshot, { head })
  return fillLabel(moment === 'end' ? labels.phaseEndSnapshot : labels.phaseSnapshot, { head, number: phase.index + 1, title: phase.title })
}

/**
 * Takes a snapshot of every group's design under `label` (unless `stand` is false), and records
 * the state of every board and design document of the course's groups (and the course's own
 * boards) in the session.
 */
export async function recordPhaseSnapshot(input: {
  sql: Sql
  rooms: Rooms
  courseId: string
  label: string
  kind: 'phase' | 'end'
  takenBy: string
  /** The course's language, for the stored pictures' captions. */
  language?: Language
  /** false: only the boards' state vectors (a phase's start without a template: the Leitstand's progress counts from them), no Stand. */
  stand?: boolean
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
  if (input.stand === false) return { label: input.label, kind: input.kind, at: Date.now(), takenBy: input.takenBy, boards: recorded }
  const snapshots: { municipalityId: string; snapshotId: string }[] = []
  for (const municipalityId of municipalityIds) {
    const snapshot = await takeSnapshot({
      sql: input.sql,
      rooms: input.rooms,
      municipalityId,
      label: input.label,
      kind: input.kind === 'phase' ? 'phase' : 'session_end',
      takenBy: input.takenBy,
      language: input.language,
    })
    snapshots.push({ municipalityId, snapshotId: snapshot.id })
  }
  return { label: input.label, kind: input.kind, at: Date.now(), takenBy: input.takenBy, boards: recorded, snapshots }
}
