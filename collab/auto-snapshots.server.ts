/**
 * Automatic snapshots after a period of activity: every SNAPSHOT_EVERY_MINUTES, each
 * municipality whose boards or Systemdesign were edited since its last snapshot (of any kind)
 * gets an 'auto' snapshot. Unchanged designs get none, so a quiet installation stores nothing.
 */
import type { Logger } from 'pino'
import type { Sql } from '../db/client.server'
import type { Rooms } from './room'
import { takeSnapshot } from './snapshots.server'

/** The municipalities whose design changed since their last snapshot (boards edited after creation count, creation alone does not). */
export async function changedSinceLastSnapshot(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select m.id from municipalities m
    where exists (
      select 1 from boards b
      where b.municipality_id = m.id and b.updated_at > b.created_at
        and b.updated_at > coalesce((select max(s.taken_at) from snapshots s where s.municipality_id = m.id), '-infinity'::timestamptz)
    )
    order by m.id`
  return rows.map((r) => r.id)
}

/** Takes the automatic snapshots on a timer; `runOnce` does one round (also used by tests). */
export class AutoSnapshots {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<string[]> | null = null

  constructor(private readonly options: { sql: Sql; rooms: Pick<Rooms, 'currentState' | 'edit'>; everyMinutes: number; log: Logger }) {}

  /** Starts the timer (nothing when the period is 0). */
  start(): void {
    if (this.options.everyMinutes <= 0 || this.timer) return
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMinutes * 60_000)
    this.timer.unref()
  }

  /** One round: an 'auto' snapshot of every design changed since its last snapshot; resolves with their municipality ids. */
  runOnce(): Promise<string[]> {
    this.running ??= (async () => {
      const taken: string[] = []
      try {
        for (const municipalityId of await changedSinceLastSnapshot(this.options.sql)) {
          try {
            await takeSnapshot({ sql: this.options.sql, rooms: this.options.rooms, municipalityId, label: '', kind: 'auto', takenBy: null })
            taken.push(municipalityId)
          } catch (error) {
            this.options.log.error({ municipality: municipalityId, err: error }, 'automatic snapshot failed')
          }
        }
      } catch (error) {
        this.options.log.error({ err: error }, 'automatic snapshots: could not find changed designs')
      }
      if (taken.length > 0) this.options.log.info({ count: taken.length }, 'automatic snapshots taken')
      return taken
    })().finally(() => (this.running = null))
    return this.running
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
