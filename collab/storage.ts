/**
 * The seam between a room and the place its board's document is kept
 * (docs/decisions/0029-storage-seam.md), as `collab/cluster.ts` is the seam to peer processes.
 *
 * A room sees storage only through `BoardStorage`: load a document, append updates (resolving
 * only once they are committed — the room fans an update out after that, decision 0002),
 * compact the log, drain before shutdown. `PostgresStorage` (collab/storage-postgres.server.ts)
 * is the one the server uses; `MemoryStorage` below keeps everything in memory for tests of the
 * room without a database, and can hold commits back or be unreachable on demand.
 */
import * as Y from 'yjs'

/** A board's document as loaded, with how many log entries are not yet compacted into its state. */
export type LoadedBoard = { doc: Y.Doc; logRows: number }

/** Where rooms keep their boards' documents: a compacted state plus an append-only log of updates. */
export interface BoardStorage {
  /** Builds a board's document from its state and log (an empty document for a board never written). */
  load(boardId: string): Promise<LoadedBoard>
  /**
   * Resolves once every update of `updates` is committed, in order and after everything appended
   * before; rejects when they were not stored (with `StorageUnreachable` when the store could
   * not be reached at all, which the room answers with degraded mode, decision 0014).
   */
  append(boardId: string, updates: Uint8Array[]): Promise<void>
  /** Merges the log into the state and drops the merged entries; the document's content is unchanged. */
  compact(boardId: string): Promise<{ mergedRows: number }>
  /** Resolves once every append made before the call has settled: committed (its promise resolved) or failed (rejected). */
  drain(): Promise<void>
}

/** An append failed because the store could not be reached (not because it refused the write). */
export class StorageUnreachable extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : 'storage unreachable', { cause })
    this.name = 'StorageUnreachable'
  }
}

/** Builds a document from a state and log entries, oldest first; an entry that throws is reported and skipped, so one bad entry cannot lock a board. */
export function documentFrom(state: Uint8Array | null, log: { id: bigint; update: Uint8Array }[], onBadEntry: (id: bigint, error: unknown) => void): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    if (state) Y.applyUpdate(doc, state)
    for (const entry of log) {
      try {
        Y.applyUpdate(doc, entry.update)
      } catch (error) {
        onBadEntry(entry.id, error)
      }
    }
  })
  return doc
}

type MemoryBoard = { state: Uint8Array | null; log: { id: bigint; update: Uint8Array }[] }

/**
 * Board storage in this process's memory, for tests. Commits happen in call order, one
 * append at a time and never synchronously. `holdCommits()` keeps appends uncommitted until
 * released (to prove that nothing is fanned out before it is stored); `unreachable = true`
 * makes appends fail with `StorageUnreachable` (a database outage).
 */
export class MemoryStorage implements BoardStorage {
  /** While true, every append fails with `StorageUnreachable`. */
  unreachable = false
  private readonly boards = new Map<string, MemoryBoard>()
  private nextId = 1n
  private tail: Promise<void> = Promise.resolve()
  private hold: { released: Promise<void>; release: () => void } | null = null

  async load(boardId: string): Promise<LoadedBoard> {
    await Promise.resolve()
    const board = this.board(boardId)
    return { doc: documentFrom(board.state, board.log, () => {}), logRows: board.log.length }
  }

  append(boardId: string, updates: Uint8Array[]): Promise<void> {
    const copies = updates.map((u) => u.slice())
    const committed = this.tail.then(async () => {
      while (this.hold) await this.hold.released
      if (this.unreachable) throw new StorageUnreachable(new Error('memory storage is set unreachable'))
      const board = this.board(boardId)
      for (const update of copies) board.log.push({ id: this.nextId++, update })
    })
    this.tail = committed.catch(() => {})
    return committed
  }

  async compact(boardId: string): Promise<{ mergedRows: number }> {
    await Promise.resolve()
    const board = this.board(boardId)
    const mergedRows = board.log.length
    if (mergedRows === 0) return { mergedRows }
    const doc = documentFrom(board.state, board.log, () => {})
    board.state = Y.encodeStateAsUpdate(doc)
    board.log = []
    doc.destroy()
    return { mergedRows }
  }

  async drain(): Promise<void> {
    await this.tail
  }

  /** Keeps every append from committing until the returned function is called. */
  holdCommits(): () => void {
    if (!this.hold) {
      let release!: () => void
      const released = new Promise<void>((r) => (release = r))
      this.hold = { released, release }
    }
    const hold = this.hold
    return () => {
      if (this.hold === hold) this.hold = null
      hold.release()
    }
  }

  /** The committed log entries of a board, oldest first (what a fresh load would apply after the state). */
  committedUpdates(boardId: string): Uint8Array[] {
    return this.board(boardId).log.map((entry) => entry.update)
  }

  private board(boardId: string): MemoryBoard {
    let board = this.boards.get(boardId)
    if (!board) this.boards.set(boardId, (board = { state: null, log: [] }))
    return board
  }
}
