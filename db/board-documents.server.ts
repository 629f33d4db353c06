/**
 * Queries on a board's Yjs document: the append-only update log (`board_updates`) and the
 * compacted state (`board_states`).
 */
import type { Sql } from './client.server'

export type StoredDocument = {
  /** The compacted state, or null before the first compaction. */
  state: Uint8Array | null
  /** Log rows written after (or not yet merged into) the state, oldest first. */
  updates: { id: bigint; update: Uint8Array }[]
}

export type PendingUpdate = { boardId: string; update: Uint8Array }

/** Appends many updates (possibly for several boards) in one INSERT, and marks their boards as changed. */
export async function appendUpdates(sql: Sql, batch: PendingUpdate[]): Promise<void> {
  if (batch.length === 0) return
  const rows = batch.map((u) => ({ board_id: u.boardId, update: Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength) }))
  await sql`
    with inserted as (
      insert into board_updates ${sql(rows, 'board_id', 'update')} returning board_id
    )
    update boards set updated_at = now() where id in (select distinct board_id from inserted)`
}

/** Reads a board's stored document: the compacted state plus every log row. */
export async function loadDocument(sql: Sql, boardId: string): Promise<StoredDocument> {
  const [stateRow] = await sql<{ state: Uint8Array }[]>`
    select state from board_states where board_id = ${boardId}`
  const updates = await sql<{ id: string; update: Uint8Array }[]>`
    select id, update from board_updates where board_id = ${boardId} order by id`
  return {
    state: stateRow?.state ?? null,
    updates: updates.map((r) => ({ id: BigInt(r.id), update: r.update })),
  }
}

/** Counts the log rows of a board that are not yet merged into its state. */
export async function countLogRows(sql: Sql, boardId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from board_updates where board_id = ${boardId}`
  return row.n
}

/**
 * Replaces the state with `state` and deletes exactly the log rows it merged, in one
 * transaction: a row written meanwhile is kept for the next compaction.
 */
export async function replaceStateAndDropMergedRows(
  sql: Sql,
  boardId: string,
  state: Uint8Array,
  mergedIds: bigint[],
): Promise<void> {
  const ids = mergedIds.map(String)
  await sql.begin(async (tx) => {
    await tx`
      insert into board_states (board_id, state, compacted_updates, updated_at)
      values (${boardId}, ${Buffer.from(state.buffer, state.byteOffset, state.byteLength)}, ${ids.length}, now())
      on conflict (board_id) do update
        set state = excluded.state,
            compacted_updates = board_states.compacted_updates + excluded.compacted_updates,
            updated_at = now()`
    if (ids.length > 0) {
      await tx`delete from board_updates where board_id = ${boardId} and id = any(${ids}::bigint[])`
    }
  })
}
