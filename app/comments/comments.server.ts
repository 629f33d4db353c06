/** The comment threads of a whole design: its document's and those of every board of the municipality the person may see. */
import { boardAccess, type Principal } from '../../access/policy'
import * as boards from '../../db/boards.server'
import * as comments from '../../db/comments.server'
import type { Sql } from '../../db/client.server'

export type DesignThread = comments.Thread & { board: { id: string; title: string; kind: boards.BoardKind } }

/** Open threads (or all) of a municipality's design and boards, each with its board. */
export async function threadsOfDesign(sql: Sql, principal: Principal, municipalityId: string, options: { all?: boolean } = {}): Promise<DesignThread[]> {
  const design = await boards.getDesignDocument(sql, municipalityId)
  const all = [...(design ? [design] : []), ...(await boards.listBoards(sql, { municipalityIds: [municipalityId] }))].filter((b) => boardAccess(principal, b) !== 'none')
  const byId = new Map(all.map((b) => [b.id, { id: b.id, title: b.title, kind: b.kind }]))
  const threads = await comments.listThreads(
    sql,
    all.map((b) => b.id),
    options,
  )
  return threads.map((t) => ({ ...t, board: byId.get(t.boardId)! }))
}
