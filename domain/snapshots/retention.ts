/**
 * The retention rule for automatic snapshots (decision 0025), as a pure function: keep every
 * 'auto' snapshot of the last `keepAllDays`, then the newest one per calendar day (German
 * time) up to `keepDailyDays`, then the newest one per calendar month, forever. Only 'auto'
 * snapshots are ever given to it; the caller also keeps the municipality's newest Stand.
 */

export type AutoRetention = {
  /** Every automatic snapshot younger than this many days is kept. */
  keepAllDays: number
  /** Up to this age (days), the newest automatic snapshot of each day is kept; older ones: the newest of each month. */
  keepDailyDays: number
}

const day = 24 * 60 * 60 * 1000
// Days and months as the municipalities live them, not UTC: a Stand at 00:30 in Berlin belongs to that day.
const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The ids of the automatic snapshots the rule lets go, given all of one municipality's automatic snapshots and the time now. */
export function autoSnapshotsToDelete(snapshots: { id: string; takenAt: Date }[], now: Date, rule: AutoRetention): string[] {
  const newestFirst = [...snapshots].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || a.id.localeCompare(b.id))
  const kept = new Set<string>()
  const deleted: string[] = []
  for (const s of newestFirst) {
    const age = now.getTime() - s.takenAt.getTime()
    if (age < rule.keepAllDays * day) continue
    const date = dayOf.format(s.takenAt)
    const bucket = age < rule.keepDailyDays * day ? `day ${date}` : `month ${date.slice(0, 7)}`
    if (kept.has(bucket)) deleted.push(s.id)
    else kept.add(bucket)
  }
  return deleted
}
