/**
 * The room's write gate (docs/decisions/0039-corrections-not-refusals.md): what a client's
 * update may change, enforced by **correction**, never by dropping the update.
 *
 * The gate keeps a shadow copy of the room's document that runs ahead of it by the updates
 * accepted but not yet stored. A client's update is applied to the shadow while observing what
 * it did to the keys of the root maps; the rules (locks, the record check) name the keys that
 * must be put back; the gate puts them back in a second transaction of the shadow and returns
 * the client's update merged with that correction. The room stores and fans out that one update
 * (the sender receives it too), so nobody — storage included — ever holds the forbidden change
 * uncorrected, and the sender's later updates, which build on the corrected one, flow on.
 *
 * Read-only connections never reach the gate: the room drops their stray updates, which nobody's
 * causal chain can depend on (decision 0039 says why they are not corrected and stored).
 */
import * as Y from 'yjs'

/** Who is writing, as the access policy decided at the upgrade. */
export type GateWriter = { canWrite: boolean; personId: string | null; exemptFromLocks?: boolean }

/** A key of a root map the update changed, with its value before (undefined: the key was absent). */
export type KeyChange = { before: unknown }

/** What one update did: root map name → key → change. */
export type MapChanges = Map<string, Map<string, KeyChange>>

/** The value a correction puts back under a key; `removed` deletes the key. */
export const removed: unique symbol = Symbol('removed')

/** One correction: set `map[key]` to `value` (or delete it). */
export type Fix = { map: string; key: string; value: unknown }

/** A rule's verdict on one update: the fixes it asks for and the reason told to the sender. */
export type Verdict = { fixes: Fix[]; reason: string } | null

/** Looks at what an update did (after it was applied to `doc`) and names what must be put back. */
export type Judge = (changes: MapChanges, doc: Y.Doc) => Verdict

/** A rule of the gate: called before the update is applied (to note what it needs), returns its judge or null when it has nothing to say about this writer. */
export type GateRule = (doc: Y.Doc, writer: GateWriter) => Judge | null

/** What the room stores and fans out for a client's update, and what the sender is told. */
export type Admitted = {
  /** The update merged with its correction; null when it changed nothing new (a resend, or structs waiting for a missing dependency). */
  update: Uint8Array | null
  /** Whether a correction is part of `update` (then the sender must receive it too). */
  corrected: boolean
  /** Reasons of the rules that corrected it (empty when nothing was corrected). */
  reasons: string[]
}

/** Origin of the client's update applied to the shadow. */
const fromClient = Symbol('client')
/** Origin of the gate's correction applied to the shadow. */
const fromGate = Symbol('gate')

/** The write gate of one room (see the module header). */
export class RoomGate {
  private shadow: Y.Doc
  /** Updates admitted into the shadow that the room has not applied to its document yet, oldest first. */
  private readonly pending: Uint8Array[] = []

  constructor(
    private readonly doc: Y.Doc,
    private readonly rules: GateRule[],
  ) {
    this.shadow = copyOf(doc)
    doc.on('update', this.follow)
  }

  /** Everything the room applies (peers, storage, server changes) reaches the shadow too; the shadow's own admissions are no-ops here. */
  private follow = (update: Uint8Array) => {
    Y.applyUpdate(this.shadow, update)
  }

  /**
   * Applies a client's update to the shadow and corrects what the rules forbid (see the module
   * header). Throws when the update does not apply; the shadow is rebuilt then.
   */
  admit(update: Uint8Array, writer: GateWriter): Admitted {
    const judges = this.rules.map((rule) => rule(this.shadow, writer)).filter((j): j is Judge => j !== null)
    const outputs: Uint8Array[] = []
    const collect = (u: Uint8Array) => outputs.push(u)
    const changes: MapChanges = new Map()
    const observe = (transaction: Y.Transaction) => {
      if (transaction.origin === fromClient) collectChanges(transaction, changes)
    }
    this.shadow.on('update', collect)
    this.shadow.on('afterTransaction', observe)
    try {
      Y.applyUpdate(this.shadow, update, fromClient)
      const reasons: string[] = []
      const fixes = new Map<string, Fix>()
      for (const judge of judges) {
        const verdict = judge(changes, this.shadow)
        if (!verdict || verdict.fixes.length === 0) continue
        reasons.push(verdict.reason)
        // A later rule's fix of the same key wins (the record check runs after the locks).
        for (const fix of verdict.fixes) fixes.set(`${fix.map}\u0000${fix.key}`, fix)
      }
      if (fixes.size > 0) this.shadow.transact(() => applyFixes(this.shadow, [...fixes.values()]), fromGate)
      if (outputs.length === 0) return { update: null, corrected: false, reasons: [] }
      const admitted = outputs.length === 1 ? outputs[0]! : Y.mergeUpdates(outputs)
      this.pending.push(admitted)
      return { update: admitted, corrected: outputs.length > 1, reasons }
    } catch (error) {
      this.rebuild()
      throw error
    } finally {
      this.shadow.off('update', collect)
      this.shadow.off('afterTransaction', observe)
    }
  }

  /** The room applied an admitted update to its document. */
  applied(update: Uint8Array): void {
    const at = this.pending.indexOf(update)
    if (at >= 0) this.pending.splice(at, 1)
  }

  /**
   * The room will not apply an admitted update (refused for size, not stored): the shadow is
   * rebuilt from the room's document and the updates still pending, so a resend of the same
   * edit is admitted again rather than taken for one the room already has.
   */
  dropped(update: Uint8Array): void {
    const at = this.pending.indexOf(update)
    if (at >= 0) this.pending.splice(at, 1)
    this.rebuild()
  }

  private rebuild() {
    this.shadow.destroy()
    this.shadow = copyOf(this.doc)
    for (const update of this.pending) Y.applyUpdate(this.shadow, update)
  }

  /** Stops following the room's document. */
  destroy(): void {
    this.doc.off('update', this.follow)
    this.shadow.destroy()
  }
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never

/**
 * Records, per root map, the keys a transaction changed and their values before (a change
 * inside a nested type counts for its top-level key). Runs after the observers, before the
 * deleted values are garbage-collected, so the old values can still be read.
 */
function collectChanges(transaction: Y.Transaction, changes: MapChanges) {
  const names = new Map<SharedType, string>()
  for (const [name, type] of transaction.doc.share) names.set(type, name)
  for (const [type, subs] of transaction.changed) {
    let top: SharedType = type
    let key: string | null = null
    while (top._item) {
      key = top._item.parentSub
      top = top._item.parent as SharedType
    }
    const name = names.get(top)
    // A root the update itself created is still a plain AbstractType; its keyed children make it a map.
    if (name === undefined || (type === top && ![...subs].some((sub) => sub !== null))) continue
    let keys = changes.get(name)
    if (!keys) changes.set(name, (keys = new Map()))
    if (type === top) {
      const event = new Y.YMapEvent(top as unknown as Y.Map<unknown>, transaction, subs)
      for (const [changed, change] of event.changes.keys) {
        if (!keys.has(changed)) keys.set(changed, { before: change.action === 'add' ? undefined : change.oldValue })
      }
    } else if (key !== null && !keys.has(key)) {
      // A change inside a nested type under an existing key: what it was before is that type itself.
      keys.set(key, { before: top._map.get(key)?.content.getContent()[0] })
    }
  }
}

/** Puts keys back: a plain value is set again (a nested type is copied to its JSON), `removed` deletes the key. */
function applyFixes(doc: Y.Doc, fixes: Fix[]) {
  for (const { map, key, value } of fixes) {
    const target = doc.getMap<unknown>(map)
    if (value === removed || value === undefined) {
      if (target.has(key)) target.delete(key)
    } else {
      target.set(key, value instanceof Y.AbstractType ? value.toJSON() : value)
    }
  }
}
