/**
 * The board page's mounted tldraw editor (`window.werkraumEditor`, set by BoardEditor), as
 * browser tests call it in `page.evaluate`: the few methods they use, with plain string ids.
 */
export type PageShape = { id: string; type: string; x: number; y: number; parentId: string; isLocked: boolean }

export type PageEditor = {
  createShapes(shapes: Record<string, unknown>[]): unknown
  select(...ids: string[]): unknown
  getShape(id: string): PageShape | undefined
  updateShape(partial: Partial<PageShape>): unknown
  deleteShapes(ids: string[]): unknown
  reparentShapes(ids: string[], parentId: string): unknown
  run(fn: () => void, options?: { ignoreShapeLock?: boolean }): unknown
  getShapePageBounds(id: string): { center: { x: number; y: number } } | undefined
  pageToScreen(point: { x: number; y: number }): { x: number; y: number }
}

declare global {
  interface Window {
    werkraumEditor?: PageEditor
  }
}
