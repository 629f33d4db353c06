/**
 * What one can vote on in a dot-voting round: the shapes inside a frame of a board, read from
 * the board's Yjs document on the server (plain records; no tldraw import in Node).
 */
import * as Y from 'yjs'

type ShapeLike = { id?: unknown; typeName?: unknown; type?: unknown; parentId?: unknown; props?: Record<string, unknown> }

/** Plain text of a shape: its rich text (TipTap JSON), its name, or its type. */
export function shapeLabel(shape: ShapeLike): string {
  const parts: string[] = []
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as { text?: unknown; content?: unknown }
    if (typeof n.text === 'string') parts.push(n.text)
    if (Array.isArray(n.content)) for (const child of n.content) walk(child)
  }
  walk(shape.props?.richText)
  const text = parts.join(' ').replace(/\s+/g, ' ').trim()
  if (text) return text.slice(0, 120)
  if (typeof shape.props?.name === 'string' && shape.props.name.trim()) return shape.props.name.trim().slice(0, 120)
  return String(shape.type ?? 'shape')
}

/** The shapes inside a frame (at any depth, not the frame itself), with labels; empty when it is no frame. */
export function frameTargets(doc: Y.Doc, frameId: string): { id: string; label: string }[] {
  const records = doc.getMap<ShapeLike>('tl_records')
  const frame = records.get(frameId)
  if (!frame || frame.typeName !== 'shape' || frame.type !== 'frame') return []
  const parent = new Map<string, string>()
  records.forEach((r, id) => {
    if (r?.typeName === 'shape' && typeof r.parentId === 'string') parent.set(id, r.parentId)
  })
  const targets: { id: string; label: string }[] = []
  for (const [id] of parent) {
    const seen = new Set<string>()
    for (let at = parent.get(id); at !== undefined && !seen.has(at); at = parent.get(at)) {
      seen.add(at)
      if (at === frameId) {
        targets.push({ id, label: shapeLabel(records.get(id)!) })
        break
      }
    }
  }
  return targets.sort((a, b) => a.id.localeCompare(b.id))
}
