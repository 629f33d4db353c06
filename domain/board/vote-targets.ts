/**
 * What one can vote on in a dot-voting round: the shapes inside a frame of a board, read from
 * the board's Yjs document (plain records; no tldraw import in Node).
 */
import type * as Y from 'yjs'
import { recordsMap, type BoardRecord } from './document'
import { shapeLabel } from './text'
import { childrenByParent, descendants } from './tree'

/** The shapes inside a frame (at any depth, not the frame itself), with labels; empty when it is no frame. */
export function frameTargets(doc: Y.Doc, frameId: string): { id: string; label: string }[] {
  const records = recordsMap<Partial<BoardRecord> | null>(doc)
  const frame = records.get(frameId)
  if (!frame || frame.typeName !== 'shape' || frame.type !== 'frame') return []
  const shapes = [...records.entries()].filter((e): e is [string, Partial<BoardRecord>] => e[1]?.typeName === 'shape')
  return descendants(childrenByParent(shapes), frameId)
    .map(({ id, record }) => ({ id, label: shapeLabel(record) }))
    .sort((a, b) => a.id.localeCompare(b.id))
}
