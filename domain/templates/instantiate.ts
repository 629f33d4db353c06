/**
 * Places a template's records (built-in or a saved course template) as a new copy: fresh ids,
 * the root frame on the given page at the given point, the rest unchanged. Pure data.
 */
import { withDescendants } from '../board/tree'
import { FIRST_PAGE_ID, indexKey, type ShapeRecord } from './records'

/** The shapes of a frame and everything inside it, root first (parents before children). */
export function frameWithDescendants<T extends { id: string; parentId: string }>(all: T[], frameId: string): T[] {
  return withDescendants(all, frameId)
}

/**
 * A fresh copy of a template: every id becomes `shape:<idPrefix>-<n>`, top-level shapes go on
 * `pageId` at `origin` (keeping their offsets to each other), and get index keys from `firstIndex` on.
 */
export function instantiate(records: ShapeRecord[], options: { idPrefix: string; pageId?: string; origin?: { x: number; y: number }; firstIndex?: number }): ShapeRecord[] {
  const ids = new Map(records.map((r, i) => [r.id, `shape:${options.idPrefix}-${i + 1}`]))
  const top = records.filter((r) => !ids.has(r.parentId))
  const minX = Math.min(...top.map((r) => r.x))
  const minY = Math.min(...top.map((r) => r.y))
  const origin = options.origin ?? { x: 0, y: 0 }
  let nextTop = options.firstIndex ?? 0
  return records.map((r) => {
    const isTop = !ids.has(r.parentId)
    return {
      ...r,
      id: ids.get(r.id)!,
      parentId: isTop ? (options.pageId ?? FIRST_PAGE_ID) : ids.get(r.parentId)!,
      x: isTop ? r.x - minX + origin.x : r.x,
      y: isTop ? r.y - minY + origin.y : r.y,
      index: isTop ? indexKey(nextTop++) : r.index,
    }
  })
}
