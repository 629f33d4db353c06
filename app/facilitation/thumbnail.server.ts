/**
 * Board thumbnails for the Leitstand: an SVG drawn from the board's Yjs document, one
 * box per shape of its first page, coloured by type and scaled to fit. No text is drawn, so a
 * thumbnail never carries document content beyond layout, and no tldraw code runs on the server.
 */
import * as Y from 'yjs'

export type RecordJson = { id: string; typeName?: string; type?: string; parentId?: string; index?: string; x?: unknown; y?: unknown; props?: Record<string, unknown> }
export type Box = { id: string; type: string; x: number; y: number; w: number; h: number; depth: number; index: string }

const WIDTH = 320
const HEIGHT = 200
const PADDING = 20
const FILL: Record<string, string> = {
  geo: '#a5d8ff',
  note: '#ffec99',
  text: '#dee2e6',
  arrow: '#ffc078',
  line: '#ffc078',
  draw: '#b2f2bb',
  highlight: '#fcc2d7',
  image: '#d0bfff',
  embed: '#d0bfff',
  bookmark: '#d0bfff',
}
/** tldraw draws notes as 200 × 200 squares (times their scale). */
const NOTE_SIZE = 200
const DEFAULT_SIZE = 100

const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/** The boxes (with their shape ids) of the shapes on the document's first page, in page coordinates (rotation ignored). */
export function shapeBoxes(records: RecordJson[]): Box[] {
  const byId = new Map(records.map((r) => [r.id, r]))
  const firstPage = records
    .filter((r) => r.typeName === 'page')
    .sort((a, b) => String(a.index ?? '').localeCompare(String(b.index ?? '')))[0]
  if (!firstPage) return []
  const boxes: Box[] = []
  for (const shape of records) {
    if (shape.typeName !== 'shape') continue
    let x = num(shape.x, 0)
    let y = num(shape.y, 0)
    let depth = 0
    let parent = shape.parentId ? byId.get(shape.parentId) : undefined
    const seen = new Set([shape.id])
    while (parent && parent.typeName === 'shape' && !seen.has(parent.id)) {
      seen.add(parent.id)
      x += num(parent.x, 0)
      y += num(parent.y, 0)
      depth++
      parent = parent.parentId ? byId.get(parent.parentId) : undefined
    }
    if (parent?.id !== firstPage.id) continue
    const props = shape.props ?? {}
    const scale = num(props.scale, 1)
    const side = shape.type === 'note' ? NOTE_SIZE : DEFAULT_SIZE
    boxes.push({
      id: shape.id,
      type: String(shape.type ?? 'shape'),
      x,
      y,
      w: Math.max(1, num(props.w, side) * scale),
      h: Math.max(1, num(props.h, side) * scale),
      depth,
      index: String(shape.index ?? ''),
    })
  }
  return boxes.sort((a, b) => a.depth - b.depth || a.index.localeCompare(b.index))
}

const round = (n: number) => Math.round(n * 10) / 10

/** Draws boxes as an SVG document: one `<rect>` per shape, frames as outlines, scaled to fit. */
export function renderThumbnail(boxes: Box[], label: string): string {
  const escapedLabel = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapedLabel}"`
  if (boxes.length === 0) return `${head} viewBox="0 0 ${WIDTH} ${HEIGHT}"></svg>`
  const minX = Math.min(...boxes.map((b) => b.x)) - PADDING
  const minY = Math.min(...boxes.map((b) => b.y)) - PADDING
  const maxX = Math.max(...boxes.map((b) => b.x + b.w)) + PADDING
  const maxY = Math.max(...boxes.map((b) => b.y + b.h)) + PADDING
  const stroke = Math.max(maxX - minX, maxY - minY) / 200
  const shapes = boxes.map((b) => {
    const frame = b.type === 'frame' || b.type === 'group'
    const paint = frame ? `fill="none" stroke="#495057" stroke-dasharray="${round(stroke * 4)}"` : `fill="${FILL[b.type] ?? '#ced4da'}" stroke="#495057"`
    return `<rect data-shape="${b.type.replace(/[^a-z0-9-]/gi, '')}" x="${round(b.x)}" y="${round(b.y)}" width="${round(b.w)}" height="${round(b.h)}" rx="${round(stroke * 2)}" ${paint} stroke-width="${round(stroke)}"/>`
  })
  return `${head} viewBox="${round(minX)} ${round(minY)} ${round(maxX - minX)} ${round(maxY - minY)}" preserveAspectRatio="xMidYMid meet">${shapes.join('')}</svg>`
}

/** The thumbnail SVG of a board's current document (the live room's state when loaded, so a Leitstand refresh does not reload it from the database). */
export function boardThumbnail(state: Uint8Array, label: string): string {
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
    const records = [...doc.getMap('tl_records').values()] as RecordJson[]
    return renderThumbnail(shapeBoxes(records.filter((r) => r && typeof r === 'object' && typeof r.id === 'string')), label)
  } finally {
    doc.destroy()
  }
}
