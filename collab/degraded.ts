/**
 * One room's degraded mode (docs/decisions/0014-database-outage.md): while storage cannot be
 * reached, the room applies and fans out edits and hands them here. `HeldUpdates` keeps them
 * within the process-wide `UnsavedBudget`, retries every second, stores everything held as one
 * merged update, and tells the room when nothing is held any more. It also remembers which
 * senders were refused because the budget was full, so the room can ask them again.
 */
import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { BoardStorage } from './storage'
import type { UnsavedBudget } from './unsaved'

/** How often a degraded room tries to store what it holds. */
const STORE_HELD_RETRY_MS = 1000

/** What the room does when the hold changes state. */
export type HoldEvents<Sender> = {
  /** A merged batch of held updates was committed (one more log entry). */
  stored(): void
  /** Everything held is stored: degraded mode is over; `refused` are the senders to ask again. */
  recovered(refused: Sender[]): void
}

/** The updates one degraded room applied and fanned out but could not store yet (one per room, for its whole life). */
export class HeldUpdates<Sender> {
  /** Degraded: from the first held update until everything held is stored. */
  active = false
  private updates: Uint8Array[] = []
  private retry: NodeJS.Timeout | null = null
  private storing = false
  private readonly refused = new Set<Sender>()

  constructor(
    private readonly boardId: string,
    private readonly storage: BoardStorage,
    private readonly budget: UnsavedBudget,
    private readonly log: Logger,
    private readonly events: HoldEvents<Sender>,
  ) {}

  /** How many updates are held. */
  get count(): number {
    return this.updates.length
  }

  /**
   * Takes `update` into the hold and schedules storing it (`entered` when this starts degraded
   * mode). When the budget is full nothing is taken and `sender` is remembered, to be asked
   * again on recovery (`refused-first` the first time, so it is told once).
   */
  tryHold(update: Uint8Array, sender: Sender): 'entered' | 'held' | 'refused' | 'refused-first' {
    if (!this.budget.tryHold(update.length)) {
      const first = !this.refused.has(sender)
      this.refused.add(sender)
      return first ? 'refused-first' : 'refused'
    }
    const entered = !this.active
    this.active = true
    this.updates.push(update)
    this.scheduleStore()
    return entered ? 'entered' : 'held'
  }

  /** Forgets a sender that left (it is not asked again). */
  forget(sender: Sender): void {
    this.refused.delete(sender)
  }

  private scheduleStore(delayMs = STORE_HELD_RETRY_MS) {
    if (this.retry || this.storing) return
    this.retry = setTimeout(() => {
      this.retry = null
      void this.store()
    }, delayMs)
  }

  /** Writes everything held as one merged update; reports `recovered` once nothing is held. */
  private async store() {
    if (this.storing || this.updates.length === 0) return
    this.storing = true
    const batch = this.updates.splice(0)
    const bytes = batch.reduce((sum, u) => sum + u.length, 0)
    let stored = false
    try {
      await this.storage.append(this.boardId, [Y.mergeUpdates(batch)])
      this.budget.release(bytes, batch.length)
      stored = true
      this.events.stored()
    } catch (error) {
      this.updates.unshift(...batch)
      this.log.warn({ board: this.boardId, held: this.updates.length, err: (error as Error).message }, 'still cannot store; retrying')
    } finally {
      this.storing = false
    }
    // Updates that arrived while storing go next, at once; after a failure, wait before trying again.
    if (this.updates.length > 0) return this.scheduleStore(stored ? 0 : STORE_HELD_RETRY_MS)
    this.active = false
    const refused = [...this.refused]
    this.refused.clear()
    this.events.recovered(refused)
  }
}
