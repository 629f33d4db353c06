/**
 * The page's clock and timers (issue 15): the offset to the server comes from the ping with the
 * shortest round trip, assuming the server answered halfway — not from one message's travel
 * time; a group's expired timer gives way to the timer for all.
 */
import { describe, expect, it } from 'vitest'
import type { Timer } from '../../collab/features/facilitation.server'
import { clockOffset, shownTimer } from '../../app/facilitation/useSession'

const running = (endsAt: number, durationMs = 60_000): Timer => ({ endsAt, remainingMs: durationMs, durationMs, running: true })

describe('clockOffset', () => {
  it('takes the ping with the shortest round trip and its midpoint', () => {
    // The server is 10 s ahead. A slow ping (1.2 s there and back, answered late) would be 600 ms off.
    const samples = [
      { sent: 1000, serverNow: 12_100, received: 2200 },
      { sent: 3000, serverNow: 13_040, received: 3080 },
      { sent: 4000, serverNow: 14_300, received: 4400 },
    ]
    expect(clockOffset(samples)).toBe(10_000)
    expect(clockOffset([])).toBeNull()
  })
})

describe('shownTimer', () => {
  const all = running(100_000)
  it('shows the group’s own timer while it has time left or is paused', () => {
    const group = running(50_000)
    expect(shownTimer(group, all, 40_000)).toBe(group)
    const paused: Timer = { endsAt: null, remainingMs: 5000, durationMs: 60_000, running: false }
    expect(shownTimer(paused, all, 99_000)).toBe(paused)
  })
  it('gives way to the timer for all once the group’s timer is over', () => {
    expect(shownTimer(running(50_000), all, 50_000)).toBe(all)
    expect(shownTimer(running(50_000), all, 70_000)).toBe(all)
  })
  it('keeps the expired group timer (at 0:00) when there is no timer for all, and shows the one for all without a group timer', () => {
    const group = running(50_000)
    expect(shownTimer(group, null, 70_000)).toBe(group)
    expect(shownTimer(undefined, all, 70_000)).toBe(all)
    expect(shownTimer(null, null, 0)).toBeNull()
  })
})
