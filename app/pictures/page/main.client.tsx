/**
 * The board picture page: a page with no UI that the server opens once in its headless
 * Chromium (app/pictures/board-pictures.server.ts). It exposes `window.drawBoard(job)`, which
 * loads a board's stored tldraw records into a fresh store, creates a headless tldraw Editor on
 * them (as tldraw's own `TldrawImage` does) and returns `editor.getSvgString(...)`: the same
 * picture the board's own export draws. Built by `vite build -c vite.pictures.config.ts`.
 */
import { getAssetUrls } from '@tldraw/assets/selfHosted'
import { Editor, createTLStore, defaultAddFontsFromNode, defaultBindingUtils, defaultShapeUtils, tipTapDefaultExtensions, type TLRecord, type TLShapeId, type TLStore } from 'tldraw'
import 'tldraw/tldraw.css'
import '~/design/design-link.css'
import { customShapeUtils } from '~/board/KmsShapeUtil.client'
import { createI18n, type Locale } from '~/i18n'

/** What the server asks for: the board's records and schema, outlines for changed shapes, and whether text is drawn. */
export type DrawJob = { records: TLRecord[]; schema: unknown; locale: Locale; withText: boolean; highlight: Record<string, 'added' | 'removed' | 'moved' | 'changed'> }
/** The picture: an SVG string, or null when the board's first page has no shapes. */
export type DrawResult = { svg: string; width: number; height: number } | null

const shapeUtils = [...defaultShapeUtils, ...customShapeUtils]
const assetUrls = getAssetUrls({ baseUrl: '/tldraw-assets' })
const HIGHLIGHT = { added: '#2b8a3e', removed: '#c92a2a', moved: '#e8590c', changed: '#e8590c' } as const
let locale: Locale | null = null

/** Each shape type's default props (the utils' defaults do not use their editor). */
const defaultProps = new Map(
  shapeUtils.map((Util) => {
    try {
      return [Util.type, new (Util as unknown as new (editor: null) => { getDefaultProps(): object })(null).getDefaultProps()] as const
    } catch {
      return [Util.type, {}] as const
    }
  }),
)
const documentOrder: Record<string, number> = { document: 0, page: 1, asset: 2, shape: 3, binding: 4 }

/**
 * Puts the board's records into the store as the live board would show them: migrated from the
 * schema they were written with, with missing base fields and props filled in from the shape's
 * defaults, and any record the schema still refuses left out (the board's Yjs binding drops those too).
 */
function putRecords(store: TLStore, job: DrawJob) {
  let records = job.records
  if (job.schema) {
    const migrated = store.schema.migrateStoreSnapshot({ store: Object.fromEntries(records.map((r) => [r.id, r])), schema: job.schema as never })
    if (migrated.type === 'success') records = Object.values(migrated.value)
  }
  const sorted = [...records].sort((a, b) => (documentOrder[a.typeName] ?? 9) - (documentOrder[b.typeName] ?? 9))
  store.mergeRemoteChanges(() => {
    for (const record of sorted) {
      const repaired = repair(record)
      try {
        store.put([repaired])
      } catch {
        // Left out, as the live board leaves it out.
      }
    }
  })
}

function repair(record: TLRecord): TLRecord {
  const raw = record as unknown as Record<string, unknown>
  if (raw.typeName === 'shape') {
    const props = { ...defaultProps.get(String(raw.type)), ...(raw.props as object) }
    return { x: 0, y: 0, rotation: 0, isLocked: false, opacity: 1, meta: {}, ...raw, props } as unknown as TLRecord
  }
  return { meta: {}, ...raw } as unknown as TLRecord
}

async function drawBoard(job: DrawJob): Promise<DrawResult> {
  // The KMS card's labels go through react-i18next's global instance.
  if (locale !== job.locale) {
    createI18n(job.locale)
    locale = job.locale
  }
  const store = createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils })
  putRecords(store, job)
  const container = document.createElement('div')
  container.classList.add('tl-container', 'tl-theme__light')
  container.style.cssText = 'position:absolute;inset:0;width:1200px;height:800px'
  const inner = document.createElement('div')
  container.append(inner)
  document.body.append(container)
  const editor = new Editor({
    store,
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: [],
    getContainer: () => inner,
    fontAssetUrls: assetUrls.fonts,
    options: { text: { tipTapConfig: { extensions: tipTapDefaultExtensions }, addFontsFromNode: defaultAddFontsFromNode } },
  })
  try {
    const first = editor.getPages()[0]
    if (!first) return null
    editor.setCurrentPage(first.id)
    const ids = editor.getCurrentPageShapesSorted().map((shape) => shape.id)
    if (ids.length === 0) return null
    const result = await editor.getSvgElement(ids, { background: true, padding: 32 })
    if (!result) return null
    const svg = result.svg
    // Layout only: no text, and so no embedded fonts either.
    if (!job.withText) for (const element of [...svg.querySelectorAll('text, foreignObject, style')]) element.remove()
    for (const [id, change] of Object.entries(job.highlight)) {
      const bounds = editor.getShapePageBounds(id as TLShapeId)
      if (!bounds) continue
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect')
      const pad = 8
      for (const [name, value] of Object.entries({ x: bounds.x - pad, y: bounds.y - pad, width: bounds.w + 2 * pad, height: bounds.h + 2 * pad, rx: 8 })) rect.setAttribute(name, String(value))
      rect.setAttribute('fill', 'none')
      rect.setAttribute('stroke', HIGHLIGHT[change])
      rect.setAttribute('stroke-width', '6')
      rect.setAttribute('data-change', change)
      rect.setAttribute('data-id', id)
      svg.append(rect)
    }
    return { svg: new XMLSerializer().serializeToString(svg), width: result.width, height: result.height }
  } finally {
    editor.dispose()
    container.remove()
  }
}

declare global {
  interface Window {
    drawBoard: typeof drawBoard
    drawBoardReady: true
  }
}
window.drawBoard = drawBoard
window.drawBoardReady = true
