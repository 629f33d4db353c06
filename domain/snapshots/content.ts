/**
 * What a board's Yjs state says, in plain data, and the differences between two such states —
 * pure, for Node and the browser alike (no tldraw, no DOM, no database).
 *
 * - A whiteboard: its tldraw records (`tl_records`), of which shapes are compared: added,
 *   removed, moved (position or parent), changed (text or any other property).
 * - The Systemdesign document: its typed lists (entries added, removed, changed field by field,
 *   e.g. "Verfahren Mediation: Glasl 3–7 → 4–7") and its prose sections (changed text).
 * Ordering alone (z-order of shapes, order of list entries) is not reported as a change.
 */
import * as Y from 'yjs'
import { recordsMap, storedSchema, withStateDoc, type BoardShape } from '../board/document'
import { shapeText } from '../board/text'
import { glaslLabel, listKinds, readList, sectionFragment, sections, type Entry, type ListKind, type SectionKey } from '../design/model'

export type WhiteboardContent = { kind: 'whiteboard'; shapes: Record<string, BoardShape>; schema: unknown }
export type DesignContent = {
  kind: 'design'
  lists: { [K in ListKind]: Entry<K>[] }
  sections: Record<SectionKey, string>
}
export type BoardContent = WhiteboardContent | DesignContent

/** The plain text of a section's rich text (paragraphs on their own lines). */
export function fragmentText(fragment: Y.XmlFragment): string {
  const lines: string[] = []
  const inline = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (node instanceof Y.XmlText) return (node.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')
    if (node instanceof Y.XmlElement) {
      const children = node.toArray() as (Y.XmlElement | Y.XmlText)[]
      if (children.some((c) => c instanceof Y.XmlElement && c.nodeName !== 'hardBreak' && c.nodeName !== 'text')) {
        for (const child of children) block(child)
        return ''
      }
      return children.map((c) => (c instanceof Y.XmlElement && c.nodeName === 'hardBreak' ? '\n' : inline(c))).join('')
    }
    return ''
  }
  const block = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
    const text = inline(node)
    if (text) lines.push(text)
  }
  for (const child of fragment.toArray() as (Y.XmlElement | Y.XmlText)[]) block(child)
  return lines.join('\n').trim()
}

/** Reads what a board's document holds, in plain data. */
export function readContent(doc: Y.Doc, kind: 'whiteboard' | 'design'): BoardContent {
  if (kind === 'design') {
    const lists = Object.fromEntries(listKinds.map((k) => [k, readList(doc, k)])) as DesignContent['lists']
    const texts = Object.fromEntries(sections.map((s) => [s.key, fragmentText(sectionFragment(doc, s.key))])) as Record<SectionKey, string>
    return { kind, lists, sections: texts }
  }
  const shapes: Record<string, BoardShape> = {}
  recordsMap<unknown>(doc).forEach((value, id) => {
    const r = value as Partial<BoardShape> | null
    if (r && typeof r === 'object' && r.typeName === 'shape') shapes[id] = { ...(r as BoardShape), id }
  })
  return { kind, shapes, schema: storedSchema(doc) }
}

/** Reads a stored state directly. */
export function contentFromState(state: Uint8Array, kind: 'whiteboard' | 'design'): BoardContent {
  return withStateDoc(state, (doc) => readContent(doc, kind))
}

// ── differences ─────────────────────────────────────────────────────────────────────────

export type ShapeChange = {
  area: 'shape'
  change: 'added' | 'removed' | 'moved' | 'changed'
  id: string
  shapeType: string
  /** The shape's text (after the change; before it for a removed shape). */
  text: string
  /** For 'changed': the text before, when the text changed. */
  textBefore?: string
  /** For 'moved': page-independent position before and after. */
  from?: { x: number; y: number }
  to?: { x: number; y: number }
}

/** One field of an entry, as shown: a text, or a yes/no. */
export type FieldValue = string | boolean
export type FieldChange = { field: string; before: FieldValue; after: FieldValue }

export type EntryChange = {
  area: 'entry'
  change: 'added' | 'removed' | 'changed'
  list: ListKind
  id: string
  /** The entry's name or title (after the change; before it for a removed entry). */
  name: string
  fields: FieldChange[]
}

export type SectionChange = { area: 'section'; change: 'changed'; section: SectionKey; before: string; after: string }

export type Change = ShapeChange | EntryChange | SectionChange

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)])
  for (const k of keys) if (!jsonEqual(ao[k], bo[k])) return false
  return true
}

const positionKeys = new Set(['x', 'y', 'parentId'])
/** Fields whose change alone is not a visible change of the shape (stacking order, bookkeeping). */
const ignoredShapeKeys = new Set(['index', 'meta'])

function diffShapes(before: WhiteboardContent, after: WhiteboardContent): ShapeChange[] {
  const changes: ShapeChange[] = []
  for (const [id, shape] of Object.entries(after.shapes)) {
    const old = before.shapes[id]
    if (!old) {
      changes.push({ area: 'shape', change: 'added', id, shapeType: String(shape.type), text: shapeText(shape) })
      continue
    }
    if (old.x !== shape.x || old.y !== shape.y || old.parentId !== shape.parentId) {
      changes.push({
        area: 'shape',
        change: 'moved',
        id,
        shapeType: String(shape.type),
        text: shapeText(shape),
        from: { x: num(old.x), y: num(old.y) },
        to: { x: num(shape.x), y: num(shape.y) },
      })
    }
    const keys = new Set([...Object.keys(old), ...Object.keys(shape)])
    const otherChanged = [...keys].some((k) => !positionKeys.has(k) && !ignoredShapeKeys.has(k) && !jsonEqual(old[k], shape[k]))
    if (otherChanged) {
      const text = shapeText(shape)
      const textBefore = shapeText(old)
      changes.push({ area: 'shape', change: 'changed', id, shapeType: String(shape.type), text, ...(text !== textBefore ? { textBefore } : {}) })
    }
  }
  for (const [id, shape] of Object.entries(before.shapes)) {
    if (!after.shapes[id]) changes.push({ area: 'shape', change: 'removed', id, shapeType: String(shape.type), text: shapeText(shape) })
  }
  return changes
}

type AnyEntry = Record<string, unknown> & { id: string }
type Names = { fields: Map<string, string>; actors: Map<string, string>; all: Map<string, string> }

const entryName = (e: AnyEntry) => String(e.name ?? e.title ?? '')
const range = (from: unknown, to: unknown) => (from == null && to == null ? '' : `${from ?? '?'}–${to ?? '?'}`)

/** An entry's fields as shown: Glasl ranges as "3–7", stages with their names, ids as names. */
function presentEntry(kind: ListKind, e: AnyEntry, names: Names): Record<string, FieldValue> {
  switch (kind) {
    case 'akteure':
      return { name: String(e.name), sector: String(e.sector), influence: String(e.influence), concern: String(e.concern) }
    case 'konfliktfelder':
      return { name: String(e.name) }
    case 'konflikte':
      return {
        title: String(e.title),
        field: names.fields.get(String(e.fieldId)) ?? '',
        actors: (e.actorIds as string[]).map((id) => names.actors.get(id) ?? '?').join(', '),
        glaslStage: glaslLabel(Number(e.glaslStage)),
        status: String(e.status),
        anonymisiert: Boolean(e.anonymisiert),
      }
    case 'verfahren':
      return { name: String(e.name), type: String(e.type), glasl: range(e.glaslFrom, e.glaslTo) }
    case 'massnahmen':
      return { title: String(e.title), owner: String(e.owner), due: String(e.due), status: String(e.status) }
    default:
      // Lists without a special presentation: every field as shown, references to other entries by name.
      return Object.fromEntries(
        Object.entries(e)
          .filter(([field]) => field !== 'id' && field !== 'order')
          .map(([field, value]) => [field, typeof value === 'boolean' ? value : Array.isArray(value) ? value.map((id) => names.all.get(String(id)) ?? '?').join(', ') : String(value ?? '')]),
      )
  }
}

function namesOf(content: DesignContent): Names {
  return {
    fields: new Map(content.lists.konfliktfelder.map((f) => [f.id, f.name])),
    actors: new Map(content.lists.akteure.map((a) => [a.id, a.name])),
    all: new Map(listKinds.flatMap((kind) => (content.lists[kind] as AnyEntry[]).map((e) => [e.id, entryName(e)] as [string, string]))),
  }
}

function diffDesign(before: DesignContent, after: DesignContent): Change[] {
  const changes: Change[] = []
  const namesBefore = namesOf(before)
  const namesAfter = namesOf(after)
  for (const kind of listKinds) {
    const old = new Map((before.lists[kind] as AnyEntry[]).map((e) => [e.id, e]))
    const now = new Map((after.lists[kind] as AnyEntry[]).map((e) => [e.id, e]))
    for (const [id, entry] of now) {
      const fieldsAfter = presentEntry(kind, entry, namesAfter)
      const previous = old.get(id)
      if (!previous) {
        changes.push({ area: 'entry', change: 'added', list: kind, id, name: entryName(entry), fields: [] })
        continue
      }
      const fieldsBefore = presentEntry(kind, previous, namesBefore)
      const fields = Object.keys(fieldsAfter)
        .filter((f) => fieldsBefore[f] !== fieldsAfter[f])
        .map((field) => ({ field, before: fieldsBefore[field], after: fieldsAfter[field] }))
      if (fields.length > 0) changes.push({ area: 'entry', change: 'changed', list: kind, id, name: entryName(previous), fields })
    }
    for (const [id, entry] of old) {
      if (!now.has(id)) changes.push({ area: 'entry', change: 'removed', list: kind, id, name: entryName(entry), fields: [] })
    }
  }
  for (const s of sections) {
    if (before.sections[s.key] !== after.sections[s.key]) {
      changes.push({ area: 'section', change: 'changed', section: s.key, before: before.sections[s.key], after: after.sections[s.key] })
    }
  }
  return changes
}

/** Every difference between two contents of the same board (before → after). */
export function diffContent(before: BoardContent, after: BoardContent): Change[] {
  if (before.kind === 'design' && after.kind === 'design') return diffDesign(before, after)
  if (before.kind === 'whiteboard' && after.kind === 'whiteboard') return diffShapes(before, after)
  throw new Error('cannot compare a whiteboard with a design document')
}

export type BoardSide = { boardId: string; kind: 'whiteboard' | 'design'; title: string; content: BoardContent }

export type BoardComparison = {
  boardId: string
  kind: 'whiteboard' | 'design'
  title: string
  /** 'added': only on the later side; 'removed': only on the earlier side. */
  presence: 'both' | 'added' | 'removed'
  changes: Change[]
}

/** Compares two sets of boards (e.g. two snapshots, or a snapshot and now), board by board. */
export function compareBoards(before: BoardSide[], after: BoardSide[]): BoardComparison[] {
  const result: BoardComparison[] = []
  const earlier = new Map(before.map((b) => [b.boardId, b]))
  for (const b of after) {
    const old = earlier.get(b.boardId)
    if (!old) result.push({ boardId: b.boardId, kind: b.kind, title: b.title, presence: 'added', changes: [] })
    else result.push({ boardId: b.boardId, kind: b.kind, title: b.title, presence: 'both', changes: diffContent(old.content, b.content) })
  }
  const later = new Set(after.map((b) => b.boardId))
  for (const b of before) if (!later.has(b.boardId)) result.push({ boardId: b.boardId, kind: b.kind, title: b.title, presence: 'removed', changes: [] })
  return result
}

/** Whether a comparison found nothing at all. */
export function isUnchanged(comparison: BoardComparison[]): boolean {
  return comparison.every((b) => b.presence === 'both' && b.changes.length === 0)
}

/** A change as one line of German-neutral text, e.g. "Verfahren Mediation: glasl 3–7 → 4–7" (the pages translate labels). */
export function changeSummary(change: Change): string {
  const value = (v: FieldValue) => (typeof v === 'boolean' ? (v ? '✓' : '–') : v)
  switch (change.area) {
    case 'shape':
      return `${change.change} ${change.shapeType}${change.text ? ` „${change.text}“` : ''}`
    case 'entry':
      return `${change.change} ${change.list} ${change.name}${change.fields.map((f) => `: ${f.field} ${value(f.before)} → ${value(f.after)}`).join('')}`
    case 'section':
      return `changed section ${change.section}`
  }
}
