/**
 * Locks on a board (issue 5): a lecturer makes the whole board, a frame (with everything in
 * it) or chosen shapes read-only for participants. The locks live in the board's own Y.Doc
 * (map `werkraum_locks`), written only by the server (`Rooms.edit`), so they are stored,
 * replicated to every client and peer process, and survive restarts like any edit.
 *
 * `lockRule` is the locks' rule of the room's write gate (collab/write-gate.ts): changes to
 * locked records are put back by a correction stored and sent with the update, never refused
 * (docs/decisions/0019-locks-on-the-yjs-channel.md, 0039-corrections-not-refusals.md).
 */
import type * as Y from 'yjs'
import { RECORDS_MAP_NAME, type BoardRecord } from '../../domain/board/document'
import { childrenByParent, descendants } from '../../domain/board/tree'
import { removed, type Fix, type GateRule, type KeyChange } from '../write-gate'

/** Name of the Y.Map holding a board's locks (keys `board`, `frame:<id>`, `shapes:<id>`). */
export const LOCKS_MAP_NAME = 'werkraum_locks'

export type LockTarget = { kind: 'board' } | { kind: 'frame'; id: string } | { kind: 'shapes'; ids: string[] }

/** One lock as stored: who set it, when, and which records the server marked `isLocked` for it. */
export type LockEntry = { kind: LockTarget['kind']; ids: string[]; by: string; at: number; flagged: string[] }

/** A record as the locks read it (any field may be missing in a stored document). */
type RecordLike = Partial<BoardRecord>

const keyOf = (target: LockTarget): string =>
  target.kind === 'board' ? 'board' : target.kind === 'frame' ? `frame:${target.id}` : `shapes:${[...target.ids].sort().join(',')}`

/** The locks on a board, by key. */
export function readLocks(doc: Y.Doc): Record<string, LockEntry> {
  return doc.getMap<LockEntry>(LOCKS_MAP_NAME).toJSON() as Record<string, LockEntry>
}

/** True when the whole board is locked. */
export function boardLocked(doc: Y.Doc): boolean {
  return doc.getMap(LOCKS_MAP_NAME).has('board')
}

/** Record ids a set of locks covers in these records: locked shapes, locked frames and everything nested in them. */
function lockedIds(records: Y.Map<Partial<BoardRecord>>, locks: Record<string, LockEntry>): Set<string> {
  const roots = new Set<string>()
  const frames = new Set<string>()
  for (const entry of Object.values(locks)) {
    if (entry.kind === 'shapes') for (const id of entry.ids) roots.add(id)
    if (entry.kind === 'frame') for (const id of entry.ids) frames.add(id)
  }
  if (frames.size === 0) return roots
  const children = childrenByParent(records.entries())
  const result = new Set<string>([...roots, ...frames])
  for (const frameId of frames) for (const { id } of descendants(children, frameId)) result.add(id)
  return result
}

/**
 * The locks' rule of the room's write gate (collab/write-gate.ts, decision 0039): for a writer
 * who is not exempt it puts back every change to the locks map, every change to a record
 * locked before or after the update (the whole board, a locked shape, a locked frame or
 * anything whose parent chain reaches one — so also moving a shape into a locked frame), and a
 * shape's `isLocked` flag that the writer changed against what the locks say (a stale write
 * made while a lock was being lifted must not leave a shape flagged with no lock behind it).
 */
export const lockRule: GateRule = (doc, writer) => {
  if (writer.exemptFromLocks) return null
  const locksMap = doc.getMap<LockEntry>(LOCKS_MAP_NAME)
  const records = doc.getMap<RecordLike>(RECORDS_MAP_NAME)
  const locks = locksMap.toJSON() as Record<string, LockEntry>
  const before = Object.keys(locks).length > 0 && !locks.board ? lockedIds(records, locks) : new Set<string>()
  return (changes) => {
    const fixes: Fix[] = []
    const reasons: string[] = []
    for (const [key, change] of changes.get(LOCKS_MAP_NAME) ?? []) fixes.push({ map: LOCKS_MAP_NAME, key, value: change.before ?? removed })
    if (fixes.length > 0) reasons.push('locked: only a lecturer can lock or unlock')
    const touched = changes.get(RECORDS_MAP_NAME) ?? new Map<string, KeyChange>()
    const after = locks.board ? before : Object.keys(locks).length > 0 ? lockedIds(records, locks) : before
    for (const [key, change] of touched) {
      if (locks.board || before.has(key) || after.has(key)) {
        fixes.push({ map: RECORDS_MAP_NAME, key, value: change.before ?? removed })
        reasons.push(locks.board ? 'locked: this board is locked by the lecturer' : 'locked: this part of the board is locked by the lecturer')
        continue
      }
      const now = records.get(key)
      const was = change.before as RecordLike | undefined
      if (now && typeof now === 'object' && now.typeName === 'shape' && (now.isLocked === true) !== (was?.isLocked === true)) {
        fixes.push({ map: RECORDS_MAP_NAME, key, value: { ...now, isLocked: was?.isLocked === true } })
        reasons.push('locked: only a lecturer can lock or unlock shapes')
      }
    }
    return fixes.length > 0 ? { fixes, reason: reasons[0]! } : null
  }
}

/**
 * Sets or lifts a lock inside a server change (`Rooms.edit`): records the lock and marks the
 * covered shapes `isLocked` so every editor shows them locked; lifting it unmarks only the
 * shapes this lock marked and no other lock still covers.
 */
export function applyLock(doc: Y.Doc, target: LockTarget, locked: boolean, by: string, now: number): void {
  const locksMap = doc.getMap<LockEntry>(LOCKS_MAP_NAME)
  const records = doc.getMap<Partial<BoardRecord>>(RECORDS_MAP_NAME)
  const key = keyOf(target)
  if (locked) {
    if (locksMap.has(key)) return
    const ids = target.kind === 'board' ? [] : target.kind === 'frame' ? [target.id] : target.ids
    const entry: LockEntry = { kind: target.kind, ids, by, at: now, flagged: [] }
    const covered = target.kind === 'board' ? new Set<string>() : lockedIds(records, { [key]: entry })
    for (const id of covered) {
      const record = records.get(id)
      if (record && record.typeName === 'shape' && record.isLocked !== true) {
        records.set(id, { ...record, isLocked: true })
        entry.flagged.push(id)
      }
    }
    locksMap.set(key, entry)
    return
  }
  // Unlocking shapes lifts every lock of those shapes, however they were grouped when locked.
  const keys = target.kind === 'shapes' ? Object.entries(readLocks(doc)).filter(([, e]) => e.kind === 'shapes' && e.ids.some((id) => target.ids.includes(id))).map(([k]) => k) : [key]
  const lifted = keys.map((k) => locksMap.get(k)).filter((e): e is LockEntry => !!e)
  for (const k of keys) locksMap.delete(k)
  const stillLocked = lockedIds(records, readLocks(doc))
  for (const id of lifted.flatMap((e) => e.flagged)) {
    const record = records.get(id)
    if (record && record.isLocked === true && !stillLocked.has(id)) records.set(id, { ...record, isLocked: false })
  }
}

/** Lifts every lock on a board (the session ended). */
export function clearLocks(doc: Y.Doc, by: string, now: number): void {
  for (const entry of Object.values(readLocks(doc))) {
    const target: LockTarget = entry.kind === 'board' ? { kind: 'board' } : entry.kind === 'frame' ? { kind: 'frame', id: entry.ids[0] } : { kind: 'shapes', ids: entry.ids }
    applyLock(doc, target, false, by, now)
  }
}
