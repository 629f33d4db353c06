/**
 * The link between KMS shapes on a board and entries of the municipality's Systemdesign, as pure
 * functions over plain values (no tldraw, no DOM), shared by the board page and Node tests.
 *
 * - A KMS shape stores its list (`kind`), its entry's id and the design document's id in its props,
 *   plus a copy of what it shows (label, Glasl stage).
 * - The entry is the source of truth: the board mirrors entry → shape; a person's own edit of a
 *   shape is written into the entry (and then mirrored to every board).
 * - A shape placed for an entry has an id derived from the entry id, so two people placing the same
 *   entry at once converge on one shape instead of two.
 * - Nothing here recreates a missing entry: an entry deleted in the document leaves its shapes
 *   marked as unlinked, never silently resurrected.
 */
import type { DesignModel } from './checks'
import { entrySchemas, type Entry, type EntryFields } from './model'

/** The lists that have a shape on the board. */
export const kmsKinds = ['akteure', 'anlaufstellen', 'verfahren', 'konflikte'] as const
export type KmsKind = (typeof kmsKinds)[number]

/** The props a KMS shape keeps (besides its size): link and the mirrored display values. */
export type KmsLinkProps = { kind: KmsKind; entryId: string; designId: string; label: string; glaslStage: number; linked: boolean }

/** A KMS shape as the link logic sees it: its record id and props. */
export type KmsShapeLike = { id: string; props: KmsLinkProps }

/** The record id of the shape that shows an entry on a board (tldraw shape ids start with `shape:`). */
export function kmsShapeId(entryId: string): string {
  return `shape:kms-${entryId}`
}

/** The name field of each KMS list (Konflikte have a title, the others a name). */
export function nameField(kind: KmsKind): 'name' | 'title' {
  return kind === 'konflikte' ? 'title' : 'name'
}

/** What a shape shows for an entry: its name and, for a Konflikt, its Glasl stage (0 otherwise). */
export function entryDisplay(kind: KmsKind, entry: Entry<KmsKind>): Pick<KmsLinkProps, 'label' | 'glaslStage'> {
  const record = entry as Record<string, unknown>
  return { label: String(record[nameField(kind)] ?? ''), glaslStage: kind === 'konflikte' ? Number(record.glaslStage) : 0 }
}

/**
 * The entry change a person's edit of a shape means (name, Glasl stage), or null when the shape
 * already shows what the entry holds or the edit would make the entry invalid.
 */
export function entryPatchFromShape(kind: KmsKind, props: Pick<KmsLinkProps, 'label' | 'glaslStage'>, entry: Entry<KmsKind>): Partial<EntryFields<KmsKind>> | null {
  const shown = entryDisplay(kind, entry)
  const patch: Record<string, unknown> = {}
  if (props.label !== shown.label) patch[nameField(kind)] = props.label
  if (kind === 'konflikte' && props.glaslStage !== shown.glaslStage) patch.glaslStage = props.glaslStage
  if (Object.keys(patch).length === 0) return null
  if (!entrySchemas[kind].safeParse({ ...entry, ...patch }).success) return null
  return patch as Partial<EntryFields<KmsKind>>
}

/**
 * The shape updates that bring a board in line with the document: each linked shape shows its
 * entry's current name and stage; a shape whose entry is gone is marked unlinked (and relinked
 * if the entry comes back, e.g. after an undo). Only changes are returned, so every client
 * computes the same, idempotent patches.
 */
export function planShapeUpdates(shapes: KmsShapeLike[], model: Pick<DesignModel, KmsKind>, designId: string): { id: string; props: Partial<KmsLinkProps> }[] {
  const updates: { id: string; props: Partial<KmsLinkProps> }[] = []
  for (const shape of shapes) {
    if (shape.props.designId !== designId) continue
    const entry = (model[shape.props.kind] as Entry<KmsKind>[]).find((e) => e.id === shape.props.entryId)
    if (!entry) {
      if (shape.props.linked) updates.push({ id: shape.id, props: { linked: false } })
      continue
    }
    const display = entryDisplay(shape.props.kind, entry)
    const patch: Partial<KmsLinkProps> = {}
    if (display.label !== shape.props.label) patch.label = display.label
    if (display.glaslStage !== shape.props.glaslStage) patch.glaslStage = display.glaslStage
    if (!shape.props.linked) patch.linked = true
    if (Object.keys(patch).length > 0) updates.push({ id: shape.id, props: patch })
  }
  return updates
}

/** The entries of the KMS lists that have no shape on this board yet (to offer placing them). */
export function entriesNotOnBoard(shapes: KmsShapeLike[], model: Pick<DesignModel, KmsKind>): { kind: KmsKind; entry: Entry<KmsKind> }[] {
  const placed = new Set(shapes.map((s) => s.props.entryId))
  return kmsKinds.flatMap((kind) => (model[kind] as Entry<KmsKind>[]).filter((e) => !placed.has(e.id)).map((entry) => ({ kind, entry })))
}
