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

/**
 * Appends many updates (possibly for several boards) in one INSERT, and marks their boards as
 * changed. The statement text does not depend on the batch size (`unnest` of two arrays), so
 * the client prepares it once. Several of these may run at once (the pipelined update log,
 * docs/decisions/0043-pipelined-group-commit.md): a board row another batch is touching right
 * now is skipped (`skip locked`) instead of waited for — that batch sets `updated_at` too — so
 * concurrent batches never queue behind each other's row locks or deadlock on them.
 */
export async function appendUpdates(sql: Sql, batch: PendingUpdate[]): Promise<void> {
  if (batch.length === 0) return
  const boardIds = batch.map((u) => u.boardId)
  const updates = batch.map((u) => Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength))
  await sql`
    with inserted as (
      insert into board_updates (board_id, update)
      select * from unnest(${sql.array(boardIds)}::uuid[], ${sql.array(updates)}::bytea[])
    )
    update boards set updated_at = now()
    where id in (select id from boards where id = any(${sql.array(boardIds)}::uuid[]) for no key update skip locked)`
}

/**
 * Reads a board's stored document: the compacted state plus every log row — in ONE statement,
 * so state and log come from the same snapshot even while another process compacts.
 */
export async function loadDocument(sql: Sql, boardId: string): Promise<StoredDocument> {
  const rows = await sql<{ id: string | null; update: Uint8Array }[]>`
    select null::bigint as id, state as update from board_states where board_id = ${boardId}
    union all
    select id, update from board_updates where board_id = ${boardId}
    order by id nulls first`
  const stateRow = rows[0]?.id === null ? rows[0] : undefined
  return {
    state: stateRow?.update ?? null,
    updates: rows.filter((r) => r.id !== null).map((r) => ({ id: BigInt(r.id!), update: r.update })),
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
 * transaction: a row written meanwhile is kept for the next compaction. If another process
 * compacted some of those rows first, nothing is changed (returns false): its state already
 * holds them, and overwriting it with ours would lose the rows only it merged.
 */
export async function replaceStateAndDropMergedRows(
  sql: Sql,
  boardId: string,
  state: Uint8Array,
  mergedIds: bigint[],
): Promise<boolean> {
  const ids = mergedIds.map(String)
  try {
    await sql.begin(async (tx) => {
      if (ids.length > 0) {
        // Deleting first locks the rows: a concurrent compaction of the same rows waits here, then finds them gone.
        const deleted = await tx`delete from board_updates where board_id = ${boardId} and id = any(${ids}::bigint[])`
        if (deleted.count !== ids.length) throw new CompactedElsewhere()
      }
      await tx`
        insert into board_states (board_id, state, compacted_updates, updated_at)
        values (${boardId}, ${Buffer.from(state.buffer, state.byteOffset, state.byteLength)}, ${ids.length}, now())
        on conflict (board_id) do update
          set state = excluded.state,
              compacted_updates = board_states.compacted_updates + excluded.compacted_updates,
              updated_at = now()`
    })
    return true
  } catch (error) {
    if (error instanceof CompactedElsewhere) return false
    throw error
  }
}

class CompactedElsewhere extends Error {}
