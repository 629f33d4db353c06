/**
 * Snapshots (Stände) of a municipality's design: take one (every whiteboard and the
 * Systemdesign document, read through the rooms so a live room's latest committed state is
 * what is frozen), restore one (first a "vor Wiederherstellung" snapshot of now, then each
 * board made equal to the snapshot through `rooms.edit`, live for everyone connected), and
 * load two sides for comparison (a snapshot, or "now").
 */
import type * as Y from 'yjs'
import { z } from 'zod'
import type { Sql } from '../../db/client.server'
import type { BoardKind } from '../../db/boards.server'
import * as store from '../../db/snapshots.server'
import { recordAudit } from '../../db/audit.server'
import { fillLabel, labelsFor, type Language } from '../../domain/labels'
import { docFromState, readRecords, storedSchema, withStateDoc } from '../../domain/board/document'
import { renderBoardSvg, renderDesignSvg, type Highlight } from '../../domain/board/svg'
import { contentFromState, type BoardSide, type DesignContent } from '../../domain/snapshots/content'
import { makeDocEqual } from '../../domain/snapshots/restore'
import type { Rooms } from '../rooms'
import { boardRecordCheck } from '../board-records.server'
import { checkRecordContent } from '../record-check'

/** Raised for input that cannot make a snapshot (e.g. a manual snapshot without a label); nothing is stored. */
export class SnapshotInputError extends Error {}

export const snapshotInput = z
  .object({
    municipalityId: z.uuid(),
    label: z.string().trim().max(200),
    note: z.string().trim().max(2000).default(''),
    kind: z.enum(store.snapshotKinds).default('manual'),
    takenBy: z.uuid().nullable().default(null),
  })
  .refine((v) => v.kind !== 'manual' || v.label.length > 0, { message: 'a manual snapshot needs a label', path: ['label'] })

export type TakeSnapshotInput = {
  sql: Sql
  rooms: Pick<Rooms, 'currentState' | 'edit'>
  municipalityId: string
  label: string
  note?: string
  kind?: store.SnapshotKind
  takenBy?: string | null
  /** The language of the stored pictures' captions: the reader's, or the course's for a phase (German by default). */
  language?: Language
}

/** All boards of a municipality that make up its design: every whiteboard and its Systemdesign document (never a person's private layer). */
export async function designBoards(sql: Sql, municipalityId: string): Promise<{ id: string; title: string; kind: Exclude<BoardKind, 'private'>; createdAt: Date }[]> {
  return sql`
    select id, title, kind, created_at as "createdAt" from boards
    where municipality_id = ${municipalityId} and kind in ('whiteboard', 'design') order by kind = 'design' desc, title, id`
}

/** The stored SVG of a board's state. */
export function boardSvg(state: Uint8Array, kind: BoardKind, title: string, highlight?: Map<string, Highlight>, language: Language = 'de'): string {
  if (kind === 'design') return renderDesignSvg(contentFromState(state, 'design') as DesignContent, title, labelsFor(language).listCaptions)
  return withStateDoc(state, (doc) => renderBoardSvg(readRecords(doc), title, { highlight }))
}

/** Takes a snapshot of a municipality's whole design now; throws SnapshotInputError on bad input (nothing stored). */
export async function takeSnapshot(input: TakeSnapshotInput): Promise<store.Snapshot> {
  const parsed = snapshotInput.safeParse({ ...input, sql: undefined, rooms: undefined })
  if (!parsed.success) throw new SnapshotInputError(parsed.error.issues.map((i) => i.message).join('; '))
  const { municipalityId, label, note, kind, takenBy } = parsed.data
  const captured = await captureDesign(input.sql, input.rooms, municipalityId, input.language)
  const snapshot = await store.insertSnapshot(input.sql, { municipalityId, kind, label, note, takenBy, ...captured })
  await recordAudit(input.sql, { personId: takenBy, action: 'snapshot.take', municipalityId, subjectId: snapshot.id, details: { kind, label } })
  return snapshot
}

/** Reads every board of a municipality's design through the rooms (their latest committed state) with its SVG, and the tldraw schema. */
export async function captureDesign(
  sql: Sql,
  rooms: Pick<Rooms, 'currentState'>,
  municipalityId: string,
  language: Language = 'de',
): Promise<{ boards: store.SnapshotBoard[]; tldrawSchema: unknown }> {
  const boards = await designBoards(sql, municipalityId)
  let tldrawSchema: unknown = null
  const captured: store.SnapshotBoard[] = []
  for (const board of boards) {
    const state = await rooms.currentState(board.id)
    if (board.kind === 'whiteboard' && tldrawSchema === null) {
      tldrawSchema = withStateDoc(state, storedSchema)
    }
    captured.push({ boardId: board.id, boardKind: board.kind, title: board.title, state, svg: boardSvg(state, board.kind, board.title, undefined, language) })
  }
  return { boards: captured, tldrawSchema }
}

export type RestoreResult = {
  /** The snapshot of the state just before the restore (the way back). */
  beforeRestore: store.Snapshot
  restored: string[]
  /** Boards of the snapshot that no longer exist (not recreated). */
  missing: string[]
  /** Boards created after the snapshot: left as they are. */
  newer: string[]
}

/**
 * Restores a snapshot: snapshots the current state first ("vor Wiederherstellung"), then makes
 * each of the snapshot's boards equal to its stored state through the room — stored before
 * any client sees it, and seen live by everyone connected. Boards made later are left alone.
 */
export async function restoreSnapshot(input: { sql: Sql; rooms: Pick<Rooms, 'currentState' | 'edit'>; snapshotId: string; restoredBy: string | null; language?: Language }): Promise<RestoreResult> {
  const snapshot = await store.getSnapshot(input.sql, input.snapshotId)
  if (!snapshot) throw new SnapshotInputError('no such snapshot')
  const stamp = snapshot.takenAt.toISOString().slice(0, 16).replace('T', ' ')
  const beforeRestore = await takeSnapshot({
    sql: input.sql,
    rooms: input.rooms,
    municipalityId: snapshot.municipalityId,
    label: fillLabel(labelsFor(input.language).beforeRestore, { label: snapshot.label || stamp }).slice(0, 200),
    kind: 'before_restore',
    takenBy: input.restoredBy,
    language: input.language,
  })
  const current = await designBoards(input.sql, snapshot.municipalityId)
  const existing = new Set(current.map((b) => b.id))
  const saved = await store.snapshotBoards(input.sql, snapshot.id)
  const inSnapshot = new Set(saved.map((b) => b.boardId))
  const restored: string[] = []
  const missing: string[] = []
  for (const board of saved) {
    if (!existing.has(board.boardId)) {
      missing.push(board.boardId)
      continue
    }
    const source = docFromState(board.state)
    try {
      if (board.boardKind === 'whiteboard') dropInvalidRecords(source)
      await input.rooms.edit(board.boardId, (doc) => makeDocEqual(doc, source, board.boardKind))
    } finally {
      source.destroy()
    }
    restored.push(board.boardId)
  }
  await recordAudit(input.sql, {
    personId: input.restoredBy,
    action: 'snapshot.restore',
    municipalityId: snapshot.municipalityId,
    subjectId: snapshot.id,
    details: { label: snapshot.label, beforeRestore: beforeRestore.id, restored: restored.length, missing: missing.length },
  })
  return { beforeRestore, restored, missing, newer: current.filter((b) => !inSnapshot.has(b.id)).map((b) => b.id) }
}

/** One side of a comparison: the boards of a snapshot, or of now ('now'). */
export async function loadSide(sql: Sql, rooms: Pick<Rooms, 'currentState'>, municipalityId: string, side: string): Promise<(BoardSide & { state: Uint8Array })[] | null> {
  if (side === 'now') {
    const boards = await designBoards(sql, municipalityId)
    return Promise.all(
      boards.map(async (b) => {
        const state = await rooms.currentState(b.id)
        return { boardId: b.id, kind: b.kind, title: b.title, state, content: contentFromState(state, b.kind) }
      }),
    )
  }
  if (!z.uuid().safeParse(side).success) return null
  const snapshot = await store.getSnapshot(sql, side)
  if (!snapshot || snapshot.municipalityId !== municipalityId) return null
  const boards = await store.snapshotBoards(sql, snapshot.id)
  return boards.map((b) => ({ boardId: b.boardId, kind: b.boardKind, title: b.title, state: b.state, content: contentFromState(b.state, b.boardKind) }))
}

/** A stored Stand may predate the record check (decision 0040): records whose content it refuses are not restored. */
function dropInvalidRecords(doc: Y.Doc) {
  const records = doc.getMap<unknown>('tl_records')
  for (const [key, record] of [...records.entries()]) if (checkRecordContent(key, record, boardRecordCheck()) !== null) records.delete(key)
}
