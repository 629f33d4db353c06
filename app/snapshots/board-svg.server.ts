/**
 * SVG pictures of stored boards for snapshots: the Leitstand thumbnail's boxes (same layout
 * code) plus each shape's text, escaped, so a snapshot can be looked at without the live editor
 * and without a tldraw licence. The compare page passes which shapes changed; they are outlined
 * (green added, red removed, orange moved or changed). The Systemdesign document is drawn as a
 * text page: its lists with their entries, and the sections that have text.
 */
import { shapeBoxes, type RecordJson } from '../facilitation/thumbnail.server'
import { sections } from '../design/model'
import { shapeText, type DesignContent, type ShapeRecord } from './content'

export type Highlight = 'added' | 'removed' | 'moved' | 'changed'

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

const round = (n: number) => Math.round(n * 10) / 10

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

/** Draws a whiteboard's first page with shape texts; `highlight` outlines changed shapes by id. */
export function renderBoardSvg(records: RecordJson[], title: string, highlight: Map<string, Highlight> = new Map()): string {
  const valid = records.filter((r) => r && typeof r === 'object' && typeof r.id === 'string')
  const byId = new Map(valid.map((r) => [r.id, r]))
  const boxes = shapeBoxes(valid)
  const label = escapeXml(title)
  const head = (viewBox: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${label}" font-family="sans-serif">`
  if (boxes.length === 0) return `${head('0 0 640 400')}<title>${label}</title></svg>`
  const minX = Math.min(...boxes.map((b) => b.x)) - PADDING
  const minY = Math.min(...boxes.map((b) => b.y)) - PADDING
  const maxX = Math.max(...boxes.map((b) => b.x + b.w)) + PADDING
  const maxY = Math.max(...boxes.map((b) => b.y + b.h)) + PADDING
  const stroke = Math.max(1, Math.max(maxX - minX, maxY - minY) / 400)
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
    const text = shapeText((byId.get(b.id) ?? {}) as ShapeRecord)
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
  return `${head(`${round(minX)} ${round(minY)} ${round(maxX - minX)} ${round(maxY - minY)}`)}<title>${label}</title>${parts.join('')}</svg>`
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
