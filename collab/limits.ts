/**
 * Limits of the Yjs endpoint that protect a room and the process from one client
 * (docs/decisions/0013-limits.md): messages per second per connection (a token bucket) and
 * open connections per person. Message size is ws's `maxPayload`; document size is checked
 * by the room before it stores an update.
 */

/** A token bucket: `burst` tokens, refilled at `perSecond`; each message takes one. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Takes one token; false when the bucket is empty (the message is over the limit). */
  take(): boolean {
    if (this.perSecond === Infinity) return true
    const now = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/** Counts each person's open websocket connections in this process. */
export class PersonConnections {
  private readonly open = new Map<string, number>()

  constructor(readonly limit: number) {}

  /** Reserves a connection for `personId`; returns its release function, or null when the person is at the limit. */
  reserve(personId: string): (() => void) | null {
    const count = this.open.get(personId) ?? 0
    if (count >= this.limit) return null
    this.open.set(personId, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.open.get(personId) ?? 1) - 1
      if (left <= 0) this.open.delete(personId)
      else this.open.set(personId, left)
    }
  }
}
