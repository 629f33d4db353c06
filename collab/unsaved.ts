/**
 * Degraded mode's bookkeeping (docs/decisions/0014-database-outage.md): while the database is
 * unreachable, rooms keep working and hold the updates they could not store in memory, within
 * one byte budget for the whole process.
 */

/** The process-wide budget of held (applied, fanned out, not yet stored) updates. */
export class UnsavedBudget {
  bytes = 0
  updates = 0

  constructor(readonly maxBytes: number) {}

  /** Takes `bytes` from the budget; false (and nothing taken) when it would exceed the bound. */
  tryHold(bytes: number): boolean {
    if (this.bytes + bytes > this.maxBytes) return false
    this.bytes += bytes
    this.updates++
    return true
  }

  /** Gives back what was stored. */
  release(bytes: number, updates: number): void {
    this.bytes -= bytes
    this.updates -= updates
  }
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  // PostgreSQL: shutting down, starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

/**
 * True when a failed write says the database could not be reached (connection refused, lost,
 * timed out, server shutting down, SQLSTATE class 08) — as opposed to the database refusing
 * the write, which stays an error for the sender.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return unreachableCodes.has(code) || code.startsWith('08')
}
