/**
 * Board storage in PostgreSQL (`BoardStorage`, collab/storage.ts): the batching update log
 * (every update durable before it is broadcast, decision 0002), loading a document, and
 * background compaction of the log into one state row. Write failures that mean the database
 * cannot be reached become `StorageUnreachable` (degraded mode, decision 0014).
 */
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { Sql } from '../db/client.server'
import * as documents from '../db/board-documents.server'
import { documentFrom, StorageUnreachable, type BoardStorage, type LoadedBoard } from './storage'
import { isDatabaseUnreachable } from './unsaved'

/** Board documents in the `board_states` and `board_updates` tables. */
export class PostgresStorage implements BoardStorage {
  private readonly updateLog: UpdateLog
  /** Appends whose promise has not settled yet (what `drain` waits for). */
  private readonly pending = new Set<Promise<void>>()

  constructor(
    private readonly sql: Sql,
    private readonly log: Pick<Logger, 'error'>,
  ) {
    this.updateLog = new UpdateLog(sql)
  }

  load(boardId: string): Promise<LoadedBoard> {
    return loadBoardDoc(this.sql, boardId, this.log)
  }

  append(boardId: string, updates: Uint8Array[]): Promise<void> {
    const committed = Promise.all(updates.map((update) => this.updateLog.append(boardId, update))).then(
      () => {},
      (error) => {
        throw isDatabaseUnreachable(error) ? new StorageUnreachable(error) : error
      },
    )
    this.pending.add(committed)
    const forget = () => void this.pending.delete(committed)
    committed.then(forget, forget)
    return committed
  }

  compact(boardId: string): Promise<{ mergedRows: number }> {
    return compactBoard(this.sql, boardId)
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending])
  }
}

type Waiting = documents.PendingUpdate & { resolve: () => void; reject: (error: unknown) => void }

/** How many batches may be committing at once (each on its own connection; PGlite's one connection pipelines them). */
const BATCHES_IN_FLIGHT = 4

/**
 * Pipelined group commit (docs/decisions/0043-pipelined-group-commit.md): the updates received
 * during one event-loop tick go into one INSERT, which starts at once — up to
 * `BATCHES_IN_FLIGHT` batches commit concurrently, so an update never waits for a commit it
 * is not part of. Batches are *released* (their promises settled) strictly in the order they
 * started, so appends resolve in call order even when a later batch commits first.
 */
export class UpdateLog {
  private queue: Waiting[] = []
  private scheduled = false
  private writing = 0
  /** Settles once every batch started so far has been released; never rejects. */
  private released: Promise<void> = Promise.resolve()

  constructor(
    private readonly sql: Sql,
    private readonly batchesInFlight = BATCHES_IN_FLIGHT,
  ) {}

  /** Resolves once `update` is committed to the database (and every update appended before it has settled); rejects if it could not be written. */
  append(boardId: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ boardId, update, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves when every update appended so far has been written (or has failed) and released. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing > 0 || this.scheduled) {
      if (this.writing > 0) await this.released
      else await new Promise((r) => setImmediate(r))
    }
    await this.released
  }

  private schedule() {
    if (this.scheduled || this.writing >= this.batchesInFlight) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.writeBatch()
    })
  }

  private writeBatch() {
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    this.writing++
    const written = documents.appendUpdates(this.sql, batch).then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    void written.then(() => {
      this.writing--
      if (this.queue.length > 0) this.schedule()
    })
    // Released after its own commit *and* after every earlier batch was released: call order.
    this.released = Promise.all([written, this.released]).then(([outcome]) => {
      for (const item of batch) {
        if (outcome.ok) item.resolve()
        else item.reject(outcome.error)
      }
    })
  }
}

/** Builds a board's document from its stored state and log; returns it with the number of log rows. */
export async function loadBoardDoc(sql: Sql, boardId: string, log: Pick<Logger, 'error'>): Promise<LoadedBoard> {
  const stored = await documents.loadDocument(sql, boardId)
  const doc = documentFrom(stored.state, stored.updates, (id, error) =>
    log.error({ board: boardId, row: String(id), err: error }, 'stored update skipped: does not apply'),
  )
  return { doc, logRows: stored.updates.length }
}

/**
 * Merges a board's log into its state row and drops the merged rows, reading and writing
 * only the database: the live room is never paused for it. Safe while another process
 * compacts the same board (the later one of two overlapping compactions changes nothing).
 */
export async function compactBoard(sql: Sql, boardId: string): Promise<{ mergedRows: number }> {
  const stored = await documents.loadDocument(sql, boardId)
  if (stored.updates.length === 0) return { mergedRows: 0 }
  const doc = documentFrom(stored.state, stored.updates, () => {})
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  const replaced = await documents.replaceStateAndDropMergedRows(sql, boardId, state, stored.updates.map((r) => r.id))
  return { mergedRows: replaced ? stored.updates.length : 0 }
}
