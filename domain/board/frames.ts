/** The frames of a board page in reading order (top to bottom, then left to right), for presenting and per-frame exports. */
import type { BoardRecord } from './document'

type Framed = Required<Pick<BoardRecord, 'id' | 'type' | 'parentId' | 'x' | 'y'>>

/** Frames directly on the page, sorted by rows (a frame whose top is within `rowTolerance` of another's shares its row) then by x. */
export function framesInReadingOrder<T extends Framed>(shapes: T[], pageId: string, rowTolerance = 80): T[] {
  const frames = shapes.filter((s) => s.type === 'frame' && s.parentId === pageId)
  return [...frames].sort((a, b) => (Math.abs(a.y - b.y) <= rowTolerance ? a.x - b.x : a.y - b.y))
}
