/**
 * SVG pictures of whiteboards from their Yjs records, with no editor, no tldraw code and no
 * licence on the server: one box per shape of the first page, coloured by type, scaled to fit.
 * Snapshots, their comparison and the report draw each shape's text (escaped) too; the compare
 * page passes which shapes changed, and they are outlined (green added, red removed, orange
 * moved or changed). The Leitstand's thumbnails use `withText: false`: layout only, so a
 * thumbnail never carries document content. The Systemdesign document is drawn as a text page:
 * its lists with their entries, and the sections that have text.
 */
import { sections } from '../design/model'
import type { DesignContent } from '../snapshots/content'
import { firstPage, readRecords, withStateDoc, type BoardRecord } from './document'
import { shapeText } from './text'
import { childrenByParent, descendants } from './tree'

export type Highlight = 'added' | 'removed' | 'moved' | 'changed'
/** A record as the renderer takes it: any stored record with an id (fields checked as they are read). */
export type RecordJson = Partial<BoardRecord> & { id: string }
export type Box = { id: string; type: string; x: number; y: number; w: number; h: number; depth: number; index: string }

const FILL: Record<string, string> = {
  geo: '#d0ebff',
  note: '#fff3bf',
  text: '#ffffff',
  arrow: '#ffe8cc',
  line: '#ffe8cc',
  draw: '#d3f9d8',
  highlight: '#ffdeeb',
  image: '#e5dbff',
  embed: '#e5dbff',
  bookmark: '#e5dbff',
}
const HIGHLIGHT: Record<Highlight, string> = { added: '#2b8a3e', removed: '#c92a2a', moved: '#e8590c', changed: '#e8590c' }
const PADDING = 40
/** The Leitstand thumbnail's fixed size in pixels. */
const THUMBNAIL = { width: 320, height: 200 }
/** tldraw draws notes as 200 × 200 squares (times their scale). */
const NOTE_SIZE = 200
const DEFAULT_SIZE = 100

const round = (n: number) => Math.round(n * 10) / 10
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/** The boxes (with their shape ids) of the shapes on the document's first page, in page coordinates (rotation ignored). */
export function shapeBoxes(records: RecordJson[]): Box[] {
  const page = firstPage(records)
  if (!page) return []
  const shapes = records.filter((r) => r.typeName === 'shape').map((r) => [r.id, r] as [string, RecordJson])
  const origin = new Map<string, { x: number; y: number }>([[page.id, { x: 0, y: 0 }]])
  const boxes: Box[] = []
  for (const { id, record: shape, parentId, depth } of descendants(childrenByParent(shapes), page.id)) {
    const at = origin.get(parentId)!
    const x = at.x + num(shape.x, 0)
    const y = at.y + num(shape.y, 0)
    origin.set(id, { x, y })
    const props = shape.props ?? {}
    const scale = num(props.scale, 1)
    const side = shape.type === 'note' ? NOTE_SIZE : DEFAULT_SIZE
    boxes.push({
      id,
      type: String(shape.type ?? 'shape'),
      x,
      y,
      w: Math.max(1, num(props.w, side) * scale),
      h: Math.max(1, num(props.h, side) * scale),
      depth: depth - 1,
      index: String(shape.index ?? ''),
    })
  }
  return boxes.sort((a, b) => a.depth - b.depth || a.index.localeCompare(b.index))
}

/** Escapes text for SVG/XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Breaks text into lines of at most `width` characters, at most `maxLines` lines (the last one ends in "…" when cut). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word
      if (candidate.length <= width) line = candidate
      else {
        if (line) lines.push(line)
        line = word.length > width ? `${word.slice(0, Math.max(1, width - 1))}…` : word
      }
    }
    lines.push(line)
  }
  const kept = lines.filter((l, i) => l || i < lines.length - 1)
  if (kept.length <= maxLines) return kept
  const cut = kept.slice(0, Math.max(1, maxLines))
  cut[cut.length - 1] = `${cut[cut.length - 1].slice(0, Math.max(1, width - 1))}…`
  return cut
}

export type BoardSvgOptions = {
  /** Draws each shape's text and a `<title>` (default); `false` draws boxes only, at the thumbnail's fixed size. */
  withText?: boolean
  /** Outlines changed shapes by id. */
  highlight?: Map<string, Highlight>
}

/** Draws a whiteboard's first page from its records; `title` becomes the picture's label. */
export function renderBoardSvg(records: RecordJson[], title: string, options: BoardSvgOptions = {}): string {
  const withText = options.withText ?? true
  const highlight = options.highlight ?? new Map<string, Highlight>()
  const valid = records.filter((r) => r && typeof r === 'object' && typeof r.id === 'string')
  const byId = new Map(valid.map((r) => [r.id, r]))
  const boxes = shapeBoxes(valid)
  const label = escapeXml(title)
  const size = withText ? '' : ` width="${THUMBNAIL.width}" height="${THUMBNAIL.height}"`
  const head = (viewBox: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg"${size} viewBox="${viewBox}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${label}" font-family="sans-serif">` +
    (withText ? `<title>${label}</title>` : '')
  if (boxes.length === 0) return `${head(withText ? '0 0 640 400' : `0 0 ${THUMBNAIL.width} ${THUMBNAIL.height}`)}</svg>`
  const minX = Math.min(...boxes.map((b) => b.x)) - PADDING
  const minY = Math.min(...boxes.map((b) => b.y)) - PADDING
  const maxX = Math.max(...boxes.map((b) => b.x + b.w)) + PADDING
  const maxY = Math.max(...boxes.map((b) => b.y + b.h)) + PADDING
  // A thumbnail is small: its lines are drawn twice as thick relative to the board.
  const stroke = Math.max(1, Math.max(maxX - minX, maxY - minY) / (withText ? 400 : 200))
  const parts: string[] = []
  for (const b of boxes) {
    const frame = b.type === 'frame' || b.type === 'group'
    const change = highlight.get(b.id)
    const outline = change ? HIGHLIGHT[change] : '#495057'
    const width = change ? stroke * 4 : stroke
    const paint = frame ? `fill="none" stroke="${outline}" stroke-dasharray="${round(stroke * 6)}"` : `fill="${FILL[b.type] ?? '#e9ecef'}" stroke="${outline}"`
    const kind = b.type.replace(/[^a-z0-9-]/gi, '')
    parts.push(
      `<g data-shape="${kind}" data-id="${escapeXml(b.id)}"${change ? ` data-change="${change}"` : ''}>` +
        `<rect x="${round(b.x)}" y="${round(b.y)}" width="${round(b.w)}" height="${round(b.h)}" rx="${round(stroke * 3)}" ${paint} stroke-width="${round(width)}"/>`,
    )
    const text = withText ? shapeText(byId.get(b.id) ?? {}) : ''
    if (text) {
      const size = frame ? Math.max(12, Math.min(24, b.w / 12)) : Math.max(10, Math.min(22, b.h / 4, b.w / 6))
      const perLine = Math.max(4, Math.floor(b.w / (size * 0.58)))
      const lines = frame ? wrap(text, perLine, 1) : wrap(text, perLine, Math.max(1, Math.floor((b.h - size * 0.6) / (size * 1.2))))
      const x = round(b.x + size * 0.5)
      const y0 = frame ? b.y - size * 0.4 : b.y + size * 1.2
      parts.push(
        `<text x="${x}" y="${round(y0)}" font-size="${round(size)}" fill="#212529">` +
          lines.map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : round(size * 1.2)}">${escapeXml(line)}</tspan>`).join('') +
          `</text>`,
      )
    }
    parts.push('</g>')
  }
  return `${head(`${round(minX)} ${round(minY)} ${round(maxX - minX)} ${round(maxY - minY)}`)}${parts.join('')}</svg>`
}

/** A picture of a board's current document (the live room's state when loaded): boxes only by default (the Leitstand thumbnail), with text for the plenary view. */
export function boardThumbnail(state: Uint8Array, label: string, options: { withText?: boolean } = {}): string {
  return withStateDoc(state, (doc) => renderBoardSvg(readRecords(doc), label, { withText: options.withText ?? false }))
}

/** Draws the Systemdesign document as a text page: lists with entries, then sections with text. */
export function renderDesignSvg(content: DesignContent, title: string, listTitles: Record<string, string>): string {
  const lines: { text: string; size: number; weight?: string }[] = [{ text: title, size: 22, weight: 'bold' }]
  for (const [kind, entries] of Object.entries(content.lists)) {
    lines.push({ text: `${listTitles[kind] ?? kind} (${entries.length})`, size: 16, weight: 'bold' })
    for (const e of (entries as { name?: string; title?: string }[]).slice(0, 12)) lines.push({ text: `• ${e.name ?? e.title ?? ''}`, size: 13 })
    if (entries.length > 12) lines.push({ text: `… +${entries.length - 12}`, size: 13 })
  }
  for (const s of sections) {
    const text = content.sections[s.key]
    if (!text) continue
    lines.push({ text: `${s.number === null ? '' : `${s.number} `}${s.title}`, size: 16, weight: 'bold' })
    for (const line of wrap(text, 90, 4)) lines.push({ text: line, size: 13 })
  }
  let y = 10
  const body = lines.map((l) => {
    y += l.size * 1.5
    return `<text x="20" y="${y}" font-size="${l.size}"${l.weight ? ` font-weight="${l.weight}"` : ''} fill="#212529">${escapeXml(l.text)}</text>`
  })
  const height = Math.max(200, y + 20)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 ${height}" preserveAspectRatio="xMidYMin meet" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif"><title>${escapeXml(title)}</title><rect width="800" height="${height}" fill="#ffffff"/>${body.join('')}</svg>`
}
