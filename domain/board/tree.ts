/**
 * The one walk of a board's frame/shape tree: records point at their parent (`parentId`: a page
 * or a shape); this indexes children by parent and visits everything beneath a record, parents
 * before children, once each even when a hostile client wrote a cycle. Locks, vote targets,
 * templates and the SVG renderer all use it.
 */

type TreeRecord = { parentId?: unknown }

/** The records that have a parent, grouped by parent id, from `[id, record]` pairs (e.g. a Y.Map's entries). */
export function childrenByParent<T extends TreeRecord>(entries: Iterable<[string, T]>): Map<string, [string, T][]> {
  const children = new Map<string, [string, T][]>()
  for (const [id, record] of entries) {
    if (!record || typeof record !== 'object' || typeof record.parentId !== 'string') continue
    const siblings = children.get(record.parentId)
    if (siblings) siblings.push([id, record])
    else children.set(record.parentId, [[id, record]])
  }
  return children
}

/** One record beneath the root: its id, its record, its parent's id and its depth (1 for the root's children). */
export type TreeVisit<T> = { id: string; record: T; parentId: string; depth: number }

/** Everything beneath `rootId` (not the root itself), breadth first: parents before children, each record once. */
export function descendants<T>(children: Map<string, [string, T][]>, rootId: string): TreeVisit<T>[] {
  const result: TreeVisit<T>[] = []
  const seen = new Set([rootId])
  const queue: [string, number][] = [[rootId, 0]]
  for (let i = 0; i < queue.length; i++) {
    const [parentId, depth] = queue[i]
    for (const [id, record] of children.get(parentId) ?? []) {
      if (seen.has(id)) continue
      seen.add(id)
      result.push({ id, record, parentId, depth: depth + 1 })
      queue.push([id, depth + 1])
    }
  }
  return result
}

/** A record and everything inside it, root first (parents before children); empty when the root is missing. */
export function withDescendants<T extends { id: string; parentId?: unknown }>(all: T[], rootId: string): T[] {
  const root = all.find((r) => r.id === rootId)
  if (!root) return []
  return [root, ...descendants(childrenByParent(all.map((r) => [r.id, r] as [string, T])), rootId).map((v) => v.record)]
}
