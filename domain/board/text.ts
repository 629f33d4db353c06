/**
 * The text a board shows, as plain strings: tldraw's rich text (TipTap JSON) flattened, and the
 * text of a shape (rich text, older plain text, or a frame's name). The one converter every
 * reader uses: snapshots, comparisons, the SVG renderer, vote targets, comments, tests.
 */

/** The plain text of tldraw rich text (TipTap JSON), one line per paragraph. */
export function richTextToPlain(value: unknown): string {
  const lines: string[] = []
  let current = ''
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as { type?: unknown; text?: unknown; content?: unknown }
    if (n.type === 'text' && typeof n.text === 'string') current += n.text
    if (n.type === 'hardBreak') current += '\n'
    if (Array.isArray(n.content)) for (const child of n.content) walk(child)
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') {
      lines.push(current)
      current = ''
    }
  }
  walk(value)
  if (current) lines.push(current)
  return lines.join('\n').trim()
}

/** The text a shape shows: its rich text, older plain text, or a frame's name. */
export function shapeText(shape: { props?: Record<string, unknown> }): string {
  const props = shape.props ?? {}
  if (props.richText) return richTextToPlain(props.richText)
  if (typeof props.text === 'string') return props.text.trim()
  if (typeof props.name === 'string') return props.name.trim()
  return ''
}

/** A shape's text on one line, at most 120 characters, or its type when it shows none (labels of vote targets). */
export function shapeLabel(shape: { type?: unknown; props?: Record<string, unknown> }): string {
  const text = shapeText(shape).replace(/\s+/g, ' ').trim()
  return text ? text.slice(0, 120) : String(shape.type ?? 'shape')
}
