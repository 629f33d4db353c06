/**
 * The one check of a whiteboard record before it enters a board — through the Yjs room (as a
 * rule of the write gate, collab/write-gate.ts), an import, a template or a restore
 * (docs/decisions/0040-one-record-check.md). Pure: the tldraw schema's record types are passed
 * in, so this module imports neither tldraw nor app code.
 *
 * Content (every path, the room included): a record's rich text is a document tldraw's editor
 * can render (the ProseMirror schema of tldraw's TipTap extensions: known node types and marks,
 * non-empty text strings, content lists of nodes) and its text stays within `maxTextChars`.
 * Whole records (import, templates, restore): also a document-scope type of the board's tldraw
 * schema (KMS shape included) whose validator accepts it, under its own id.
 */
import * as Y from 'yjs'
import { removed, type Fix, type GateRule } from './write-gate'

/** A tldraw record type as the schema holds it (`createTLSchema().types[name]`). */
export type RecordType = { scope: string; validate: (record: unknown) => unknown }

/** What the check needs: the board schema's record types and the text limit per record. */
export type RecordCheckOptions = { types: Partial<Record<string, RecordType>>; maxTextChars: number }

/** Default of MAX_TEXT_CHARS: characters of text (all strings together) one record may hold. */
export const DEFAULT_MAX_TEXT_CHARS = 20_000

const RECORDS_MAP_NAME = 'tl_records'

/** Block nodes of tldraw's rich text (TipTap StarterKit without blockquote, code block and rule) and the attributes each may carry. */
const BLOCKS: Record<string, Record<string, (value: unknown) => boolean>> = {
  paragraph: {},
  heading: { level: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 6 },
  bulletList: {},
  orderedList: { start: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1e9, type: (v) => v === null || (typeof v === 'string' && v.length <= 8) },
  listItem: {},
}
/** Marks of tldraw's rich text and the attributes each may carry. */
const MARKS: Record<string, Record<string, (value: unknown) => boolean>> = {
  bold: {},
  italic: {},
  strike: {},
  underline: {},
  code: {},
  highlight: {},
  link: {
    href: (v) => typeof v === 'string' && v.length <= 2048,
    target: (v) => v === null || (typeof v === 'string' && v.length <= 32),
    rel: (v) => v === null || (typeof v === 'string' && v.length <= 128),
    class: (v) => v === null || (typeof v === 'string' && v.length <= 128),
    title: (v) => v === null || (typeof v === 'string' && v.length <= 512),
  },
}
/** The text-direction extension puts `dir` on every node but text. */
const dir = (v: unknown) => v === null || v === 'ltr' || v === 'rtl' || v === 'auto'
const MAX_DEPTH = 24

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function checkAttrs(attrs: unknown, allowed: Record<string, (value: unknown) => boolean>, withDir: boolean, where: string): string | null {
  if (attrs === undefined) return null
  if (!isObject(attrs)) return `${where}: attrs is not an object`
  for (const [key, value] of Object.entries(attrs)) {
    const check = allowed[key] ?? (withDir && key === 'dir' ? dir : undefined)
    if (!check) return `${where}: unknown attribute "${key}"`
    if (!check(value)) return `${where}: invalid attribute "${key}"`
  }
  return null
}

function checkMarks(marks: unknown, where: string): string | null {
  if (marks === undefined) return null
  if (!Array.isArray(marks)) return `${where}: marks is not a list`
  const seen = new Set<string>()
  for (const mark of marks) {
    if (!isObject(mark) || typeof mark.type !== 'string' || !Object.hasOwn(MARKS, mark.type)) return `${where}: unknown mark`
    // Each mark excludes itself in ProseMirror: the same mark twice is an invalid set.
    if (seen.has(mark.type)) return `${where}: mark ${mark.type} twice`
    seen.add(mark.type)
    const problem = checkAttrs(mark.attrs, MARKS[mark.type]!, false, `${where} mark ${mark.type}`)
    if (problem) return problem
  }
  return null
}

/** Checks `node` and its content; `allowed` says which node types may stand here. */
function checkNode(node: unknown, allowed: 'block' | 'inline' | 'listItem', depth: number): string | null {
  if (depth > MAX_DEPTH) return 'rich text nested too deeply'
  if (!isObject(node) || typeof node.type !== 'string') return 'rich text: a node is not an object with a type'
  const { type } = node
  for (const key of Object.keys(node)) if (!['type', 'attrs', 'content', 'marks', 'text'].includes(key)) return `rich text ${type}: unknown field "${key}"`
  if (allowed === 'inline') {
    if (type === 'text') {
      if (typeof node.text !== 'string' || node.text.length === 0) return 'rich text: a text node without text'
      if (node.attrs !== undefined || node.content !== undefined) return 'rich text: a text node with attrs or content'
      return checkMarks(node.marks, 'rich text text')
    }
    if (type === 'hardBreak') {
      if (node.text !== undefined || node.content !== undefined) return 'rich text: a hard break with content'
      return checkAttrs(node.attrs, {}, true, 'rich text hardBreak') ?? checkMarks(node.marks, 'rich text hardBreak')
    }
    return `rich text: "${type}" where inline content belongs`
  }
  if (allowed === 'listItem' ? type !== 'listItem' : !Object.hasOwn(BLOCKS, type) || type === 'listItem') return `rich text: "${type}" is not allowed here`
  if (node.text !== undefined || node.marks !== undefined) return `rich text ${type}: text or marks on a block`
  const attrsProblem = checkAttrs(node.attrs, BLOCKS[type]!, true, `rich text ${type}`)
  if (attrsProblem) return attrsProblem
  if (type === 'heading' && (!isObject(node.attrs) || node.attrs.level === undefined)) return 'rich text heading: no level'
  const children = type === 'paragraph' || type === 'heading' ? 'inline' : type === 'listItem' ? 'block' : 'listItem'
  if (node.content === undefined) return children === 'inline' ? null : `rich text ${type}: empty`
  if (!Array.isArray(node.content)) return `rich text ${type}: content is not a list`
  if (children !== 'inline' && node.content.length === 0) return `rich text ${type}: empty`
  if (type === 'listItem' && (node.content[0] as { type?: unknown } | null)?.type !== 'paragraph') return 'rich text listItem: does not start with a paragraph'
  for (const child of node.content) {
    const problem = checkNode(child, children, depth + 1)
    if (problem) return problem
  }
  return null
}

/** Null when `value` is a rich-text document tldraw's editor renders (see the module header), else the first problem. */
export function checkRichText(value: unknown): string | null {
  if (!isObject(value) || value.type !== 'doc') return 'rich text: not a document'
  for (const key of Object.keys(value)) if (!['type', 'content', 'attrs'].includes(key)) return `rich text doc: unknown field "${key}"`
  const attrsProblem = checkAttrs(value.attrs, {}, true, 'rich text doc')
  if (attrsProblem) return attrsProblem
  // ProseMirror's document holds at least one block (tldraw's empty text is one empty paragraph).
  if (!Array.isArray(value.content) || value.content.length === 0) return 'rich text doc: no list of blocks'
  for (const child of value.content) {
    const problem = checkNode(child, 'block', 1)
    if (problem) return problem
  }
  return null
}

/** Characters of all strings in a JSON value (keys included), counted until `limit` is passed. */
function textLength(value: unknown, limit: number): number {
  let total = 0
  const stack: unknown[] = [value]
  while (stack.length > 0 && total <= limit) {
    const at = stack.pop()
    if (typeof at === 'string') total += at.length
    else if (Array.isArray(at)) stack.push(...at)
    else if (isObject(at)) for (const [k, v] of Object.entries(at)) stack.push(k, v)
  }
  return total
}

/** Whether a value found in a board's records map claims to be a tldraw record (and so is loaded by every editor). */
export function claimsTldrawType(value: unknown): boolean {
  return isObject(value) && 'typeName' in value
}

/**
 * Null when a record's content is safe for every editor that loads it, else the first problem:
 * its text within `maxTextChars` and its rich text a document tldraw renders. This is what the
 * room enforces on live edits; values that do not claim a tldraw type (no `typeName`) are not
 * tldraw records — every editor ignores them — and are left to the document size limit.
 */
export function checkRecordContent(key: string, record: unknown, options: Pick<RecordCheckOptions, 'maxTextChars'>): string | null {
  if (!claimsTldrawType(record)) return null
  const value = record as Record<string, unknown>
  if (textLength(value, options.maxTextChars) > options.maxTextChars) return `${key}: more than ${options.maxTextChars} characters of text`
  const props = value.props
  if (isObject(props) && props.richText !== undefined) {
    const problem = checkRichText(props.richText)
    if (problem) return `${key}: ${problem}`
  }
  return null
}

/**
 * Null when a record may enter a board under `key` through an import, a template or a restore,
 * else the first problem: a document-scope type of the board's tldraw schema whose validator
 * accepts it, its id equal to its key, and `checkRecordContent`.
 */
export function checkRecord(key: string, record: unknown, options: RecordCheckOptions): string | null {
  if (!claimsTldrawType(record)) return `${key}: not a tldraw record`
  const value = record as Record<string, unknown>
  const type = typeof value.typeName === 'string' && Object.hasOwn(options.types, value.typeName) ? options.types[value.typeName] : undefined
  if (!type) return `${key}: unknown record type`
  if (type.scope !== 'document') return `${key}: ${String(value.typeName)} records do not belong in a board`
  if (value.id !== key) return `${key}: the record's id is not its key`
  const content = checkRecordContent(key, value, options)
  if (content) return content
  try {
    type.validate(value)
  } catch (error) {
    return `${key}: ${error instanceof Error ? error.message.split('\n')[0] : 'invalid'}`
  }
  return null
}

/**
 * The record check as a rule of the room's write gate: a record an update made unsafe
 * (`checkRecordContent`, or a shared type where a plain value belongs) is put back — its
 * previous value, or removed when it is new. Applies to every writer, lecturers too.
 */
export function recordRule(options: Pick<RecordCheckOptions, 'maxTextChars'>): GateRule {
  return (doc) => {
    const records = doc.getMap<unknown>(RECORDS_MAP_NAME)
    return (changes) => {
      const fixes: Fix[] = []
      let reason = ''
      for (const [key, change] of changes.get(RECORDS_MAP_NAME) ?? []) {
        if (!records.has(key)) continue
        const value = records.get(key)
        // A shared type is never a record: every record is a plain JSON value.
        const problem = value instanceof Y.AbstractType ? `${key}: not a plain value` : checkRecordContent(key, value, options)
        if (!problem) continue
        reason ||= `invalid record: ${problem}`.slice(0, 200)
        const before = change.before
        const beforeIsSafe = before !== undefined && !(before instanceof Y.AbstractType) && !checkRecordContent(key, before, options)
        fixes.push({ map: RECORDS_MAP_NAME, key, value: beforeIsSafe ? before : removed })
      }
      return fixes.length > 0 ? { fixes, reason } : null
    }
  }
}
