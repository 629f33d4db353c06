/**
 * A section's rich text (a Y.XmlFragment written by TipTap's StarterKit through y-tiptap) as
 * static HTML, for print pages and reports: no editor, no DOM. Unknown nodes keep their text.
 */
import * as Y from 'yjs'

type Attributes = Record<string, unknown>

const blockTags: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  codeBlock: 'pre',
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Renders a section's fragment as HTML. */
export function fragmentToHtml(fragment: Y.XmlFragment): string {
  return fragment.toArray().map(nodeToHtml).join('')
}

function nodeToHtml(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return textToHtml(node)
  if (!(node instanceof Y.XmlElement)) return ''
  const children = node.toArray().map(nodeToHtml).join('')
  const name = node.nodeName
  if (name === 'heading') {
    const level = Math.min(6, Math.max(3, Number(node.getAttribute('level')) + 2 || 3))
    return `<h${level}>${children}</h${level}>`
  }
  if (name === 'hardBreak') return '<br>'
  if (name === 'horizontalRule') return '<hr>'
  const tag = blockTags[name]
  return tag ? `<${tag}>${children}</${tag}>` : children
}

function textToHtml(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown; attributes?: Attributes }[])
    .map(({ insert, attributes }) => {
      if (typeof insert !== 'string') return ''
      let html = escapeHtml(insert)
      const marks = attributes ?? {}
      if (marks.code) html = `<code>${html}</code>`
      if (marks.bold) html = `<strong>${html}</strong>`
      if (marks.italic) html = `<em>${html}</em>`
      if (marks.underline) html = `<u>${html}</u>`
      if (marks.strike) html = `<s>${html}</s>`
      const link = marks.link as { href?: unknown } | undefined
      if (link && typeof link.href === 'string' && /^(https?:|mailto:)/i.test(link.href)) html = `<a href="${escapeHtml(link.href)}">${html}</a>`
      return html
    })
    .join('')
}
