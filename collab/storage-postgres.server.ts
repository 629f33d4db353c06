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

/**
 * Collects the updates received during one event-loop tick and writes them in one INSERT.
 * One write is in flight at a time, so updates are stored (and released) in arrival order.
 */
export class UpdateLog {
  private queue: Waiting[] = []
  private writing: Promise<void> | null = null
  private scheduled = false

  constructor(private readonly sql: Sql) {}

  /** Resolves once `update` is committed to the database; rejects if it could not be written. */
  append(boardId: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ boardId, update, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves when every update appended so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing || this.scheduled) {
      if (this.writing) await this.writing
      else await new Promise((r) => setImmediate(r))
    }
  }

  private schedule() {
    if (this.scheduled || this.writing) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.writeBatch()
    })
  }

  private async writeBatch() {
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    let done!: () => void
    this.writing = new Promise((r) => (done = r))
    try {
      await documents.appendUpdates(this.sql, batch)
      for (const item of batch) item.resolve()
    } catch (error) {
      for (const item of batch) item.reject(error)
    } finally {
      this.writing = null
      done()
      if (this.queue.length > 0) this.schedule()
    }
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
