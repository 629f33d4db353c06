/**
 * Automatic snapshots after a period of activity: every SNAPSHOT_EVERY_MINUTES, each
 * municipality whose boards or Systemdesign were edited since its last snapshot (of any kind)
 * gets an 'auto' snapshot. Unchanged designs get none, so a quiet installation stores nothing.
 * With several processes (REDIS_URL) every process runs the round: a transaction-scoped
 * advisory lock per municipality and a re-check inside it make one snapshot per change.
 * The same round thins out old automatic snapshots (decision 0025).
 */
import type { Logger } from 'pino'
import { asSql, type Sql } from '../../db/client.server'
import { recordAudit } from '../../db/audit.server'
import * as store from '../../db/snapshots.server'
import type { Rooms } from '../rooms'
import { captureDesign } from './snapshots.server'
import { autoSnapshotsToDelete, type AutoRetention } from '../../domain/snapshots/retention'

/** The municipalities whose design changed since their last snapshot (boards edited after creation count, creation alone does not); optionally only the given one. */
export async function changedSinceLastSnapshot(sql: Sql, onlyMunicipalityId?: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select m.id from municipalities m
    where exists (
      select 1 from boards b
      where b.municipality_id = m.id and b.updated_at > b.created_at
        and b.updated_at > coalesce((select max(s.taken_at) from snapshots s where s.municipality_id = m.id), '-infinity'::timestamptz)
    ) ${onlyMunicipalityId ? sql`and m.id = ${onlyMunicipalityId}` : sql``}
    order by m.id`
  return rows.map((r) => r.id)
}

/**
 * Holds, until the transaction ends, the lock every process takes before writing or deleting a
 * municipality's automatic snapshots. Two int4 keys: a fixed one for this purpose, one per municipality.
 */
async function lockMunicipalitySnapshots(tx: Sql, municipalityId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('werkraum.auto-snapshots'), hashtext(${municipalityId}::text))`
}

/**
 * Takes an 'auto' snapshot of one municipality unless, once this process holds the
 * municipality's lock, the design turns out unchanged since its last snapshot (another process
 * was faster). The boards are read before the lock: PGlite has one connection. Returns the snapshot or null.
 */
export async function takeAutoSnapshot(sql: Sql, rooms: Pick<Rooms, 'currentState'>, municipalityId: string): Promise<store.Snapshot | null> {
  const captured = await captureDesign(sql, rooms, municipalityId)
  const id = await sql.begin(async (t) => {
    const tx = asSql(t)
    await lockMunicipalitySnapshots(tx, municipalityId)
    if ((await changedSinceLastSnapshot(tx, municipalityId)).length === 0) return null
    const id = await store.insertSnapshotRows(tx, { municipalityId, kind: 'auto', label: '', note: '', takenBy: null, ...captured })
    await recordAudit(tx, { personId: null, action: 'snapshot.take', municipalityId, subjectId: id, details: { kind: 'auto', label: '' } })
    return id
  })
  return id ? store.getSnapshot(sql, id) : null
}

/**
 * Deletes the automatic snapshots of one municipality that the retention rule lets go — never
 * another kind, never the municipality's newest Stand — and records one `snapshot.prune` audit
 * entry listing them. Returns the deleted ids.
 */
export async function pruneAutoSnapshots(sql: Sql, municipalityId: string, rule: AutoRetention, now = new Date()): Promise<string[]> {
  return sql.begin(async (t) => {
    const tx = asSql(t)
    await lockMunicipalitySnapshots(tx, municipalityId)
    const newest = await store.newestSnapshotId(tx, municipalityId)
    const ids = autoSnapshotsToDelete(await store.autoSnapshotTimes(tx, municipalityId), now, rule).filter((id) => id !== newest)
    const deleted = await store.deleteAutoSnapshots(tx, municipalityId, ids)
    if (deleted.length > 0) {
      await recordAudit(tx, {
        personId: null,
        action: 'snapshot.prune',
        municipalityId,
        subjectId: null,
        details: { rule, deleted: deleted.map((d) => ({ id: d.id, takenAt: d.takenAt.toISOString() })) },
      })
    }
    return deleted.map((d) => d.id)
  })
}

/** The municipalities that have any automatic snapshot older than `days` (candidates for the retention rule). */
async function withOldAutoSnapshots(sql: Sql, days: number, now: Date): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select distinct municipality_id as id from snapshots
    where kind = 'auto' and taken_at < ${now}::timestamptz - make_interval(days => ${days}) order by 1`
  return rows.map((r) => r.id)
}

/** Takes the automatic snapshots on a timer; `runOnce` does one round (also used by tests). */
export class AutoSnapshots {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<string[]> | null = null

  constructor(
    private readonly options: {
      sql: Sql
      rooms: Pick<Rooms, 'currentState' | 'edit'>
      everyMinutes: number
      log: Logger
      /** The retention rule for automatic snapshots; null keeps them all. */
      retention?: AutoRetention | null
    },
  ) {}

  /** Starts the timer (nothing when the period is 0). */
  start(): void {
    if (this.options.everyMinutes <= 0 || this.timer) return
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMinutes * 60_000)
    this.timer.unref()
  }

  /** One round: an 'auto' snapshot of every design changed since its last snapshot, then the retention rule; resolves with the snapshotted municipality ids. */
  runOnce(): Promise<string[]> {
    this.running ??= (async () => {
      const taken: string[] = []
      try {
        for (const municipalityId of await changedSinceLastSnapshot(this.options.sql)) {
          try {
            if (await takeAutoSnapshot(this.options.sql, this.options.rooms, municipalityId)) taken.push(municipalityId)
          } catch (error) {
            this.options.log.error({ municipality: municipalityId, err: error }, 'automatic snapshot failed')
          }
        }
      } catch (error) {
        this.options.log.error({ err: error }, 'automatic snapshots: could not find changed designs')
      }
      if (taken.length > 0) this.options.log.info({ count: taken.length }, 'automatic snapshots taken')
      await this.prune()
      return taken
    })().finally(() => (this.running = null))
    return this.running
  }

  /** Applies the retention rule to every municipality with automatic snapshots old enough to be thinned out. */
  private async prune(): Promise<void> {
    const rule = this.options.retention
    if (!rule) return
    const now = new Date()
    try {
      for (const municipalityId of await withOldAutoSnapshots(this.options.sql, rule.keepAllDays, now)) {
        try {
          const deleted = await pruneAutoSnapshots(this.options.sql, municipalityId, rule, now)
          if (deleted.length > 0) this.options.log.info({ municipality: municipalityId, count: deleted.length }, 'old automatic snapshots deleted')
        } catch (error) {
          this.options.log.error({ municipality: municipalityId, err: error }, 'automatic snapshot retention failed')
        }
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'automatic snapshot retention: could not find candidates')
    }
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
