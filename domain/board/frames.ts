/** The frames of a board page in reading order (top to bottom, then left to right), for presenting and per-frame exports. */
type Framed = { id: string; type: string; parentId: string; x: number; y: number }

/** Frames directly on the page, sorted by rows (a frame whose top is within `rowTolerance` of another's shares its row) then by x. */
export function framesInReadingOrder<T extends Framed>(shapes: T[], pageId: string, rowTolerance = 80): T[] {
  const frames = shapes.filter((s) => s.type === 'frame' && s.parentId === pageId)
  return [...frames].sort((a, b) => (Math.abs(a.y - b.y) <= rowTolerance ? a.x - b.x : a.y - b.y))
}
