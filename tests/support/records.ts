/** Valid tldraw 5 board records for tests that write through the room, whose record check (decision 0040) puts back anything tldraw's schema refuses. */

type Extra = { parentId?: string; x?: number; y?: number; isLocked?: boolean; index?: string; meta?: Record<string, unknown> }

const base = (id: string, type: string, extra: Extra) => ({
  id,
  typeName: 'shape',
  type,
  parentId: extra.parentId ?? 'page:page',
  index: extra.index ?? 'a1',
  x: extra.x ?? 0,
  y: extra.y ?? 0,
  rotation: 0,
  isLocked: extra.isLocked ?? false,
  opacity: 1,
  meta: extra.meta ?? {},
})

/** A rich-text document with one paragraph holding `text` (empty text: an empty paragraph). */
export const richText = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', ...(text ? { content: [{ type: 'text', text }] } : {}) }] })

/** A rectangle. */
export function geoShape(id: string, extra: Extra = {}, props: Record<string, unknown> = {}) {
  return {
    ...base(id, 'geo', extra),
    props: {
      geo: 'rectangle',
      dash: 'draw',
      url: '',
      w: 100,
      h: 100,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: richText(''),
      ...props,
    },
  }
}

/** A sticky note holding `text`. */
export function noteShape(id: string, text: string, extra: Extra = {}, props: Record<string, unknown> = {}) {
  return {
    ...base(id, 'note', extra),
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: richText(text),
      scale: 1,
      textLastEditedBy: null,
      ...props,
    },
  }
}

/** A frame. */
export function frameShape(id: string, extra: Extra = {}) {
  return { ...base(id, 'frame', extra), props: { w: 320, h: 240, name: '', color: 'black' } }
}
