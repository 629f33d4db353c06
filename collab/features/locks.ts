/**
 * Locks on a board (issue 5): a lecturer makes the whole board, a frame (with everything in
 * it) or chosen shapes read-only for participants. The locks live in the board's own Y.Doc
 * (map `werkraum_locks`), written only by the server (`Rooms.edit`), so they are stored,
 * replicated to every client and peer process, and survive restarts like any edit.
 *
 * `lockGate` is the room's write gate: it decides whether a client's update may be stored.
 * It costs nothing on boards that never had a lock; on the others it applies the update to a
 * scratch copy of the document and looks at which records it touches
 * (see docs/decisions/0019-locks-on-the-yjs-channel.md).
 */
import * as Y from 'yjs'
import { RECORDS_MAP_NAME, type BoardRecord } from '../../domain/board/document'
import { childrenByParent, descendants } from '../../domain/board/tree'

/** Name of the Y.Map holding a board's locks (keys `board`, `frame:<id>`, `shapes:<id>`). */
export const LOCKS_MAP_NAME = 'werkraum_locks'

export type LockTarget = { kind: 'board' } | { kind: 'frame'; id: string } | { kind: 'shapes'; ids: string[] }

/** One lock as stored: who set it, when, and which records the server marked `isLocked` for it. */
export type LockEntry = { kind: LockTarget['kind']; ids: string[]; by: string; at: number; flagged: string[] }

/** Who is writing: exempt writers (lecturers, as the policy decides) pass every lock. */
export type GateAccess = { personId: string | null; exemptFromLocks?: boolean }

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
 * The write gate of a room: null when `update` may be stored, else the reason it may not.
 * Exempt writers pass; on a board that never had a lock only an attempt to write the locks
 * themselves is refused; otherwise the update is tried on a scratch copy.
 */
export function lockGate(access: GateAccess, update: Uint8Array, doc: Y.Doc): string | null {
  if (access.exemptFromLocks) return null
  const locksMap = doc.getMap<LockEntry>(LOCKS_MAP_NAME)
  // Y.Map keeps deleted entries in `_map`: empty means no lock was ever set on this board, so
  // any write to the map names it as its parent (decodeUpdate gives the root type's name).
  if (locksMap._map.size === 0) {
    const { structs } = Y.decodeUpdate(update)
    return structs.some((s) => s instanceof Y.Item && (s.parent as unknown) === LOCKS_MAP_NAME) ? 'locked: only a lecturer can lock or unlock' : null
  }
  const locks = locksMap.toJSON() as Record<string, LockEntry>
  const anyLock = Object.keys(locks).length > 0
  if (locks.board) return 'locked: this board is locked by the lecturer'

  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
    const records = scratch.getMap<Partial<BoardRecord>>(RECORDS_MAP_NAME)
    const before = anyLock ? lockedIds(records, locks) : new Set<string>()
    const touched = new Set<string>()
    let locksTouched = false
    records.observeDeep((events) => {
      for (const event of events) {
        if (event.target === records) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) touched.add(key)
        else if (typeof event.path[0] === 'string') touched.add(event.path[0])
      }
    })
    scratch.getMap(LOCKS_MAP_NAME).observeDeep(() => (locksTouched = true))
    Y.applyUpdate(scratch, update)
    if (locksTouched) return 'locked: only a lecturer can lock or unlock'
    if (!anyLock || touched.size === 0) return null
    const after = lockedIds(records, locks)
    for (const id of touched) if (before.has(id) || after.has(id)) return 'locked: this part of the board is locked by the lecturer'
    return null
  } finally {
    scratch.destroy()
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
