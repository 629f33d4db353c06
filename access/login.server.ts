/**
 * Signing in with email and password, rate-limited per account and per address
 * (rate-limiter-flexible): too many failed attempts lock further tries for a while.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import type { Sql } from '../db/client.server'
import * as people from '../db/people.server'
import { hashPassword, verifyPassword } from './credentials.server'

export type LoginLimits = { perAccount: number; perAddress: number; windowSeconds: number }

export type LoginResult =
  | { ok: true; personId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }

/** A dummy hash so that an unknown email costs as much time as a wrong password. */
let dummyHash: Promise<string> | null = null

/** Checks credentials under per-account and per-address limits on failed attempts. */
export class LoginGuard {
  private readonly byAccount: RateLimiterMemory
  private readonly byAddress: RateLimiterMemory

  constructor(limits: LoginLimits) {
    this.byAccount = new RateLimiterMemory({ points: limits.perAccount, duration: limits.windowSeconds })
    this.byAddress = new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds })
  }

  /** Verifies email and password; failed attempts count against the account and the address. */
  async signIn(sql: Sql, email: string, password: string, address: string): Promise<LoginResult> {
    const accountKey = people.normaliseEmail(email).slice(0, 320)
    const [account, fromAddress] = await Promise.all([this.byAccount.get(accountKey), this.byAddress.get(address)])
    const blocked = [account, fromAddress].find((r) => r && r.remainingPoints <= 0)
    if (blocked) return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.ceil(blocked.msBeforeNext / 1000) }

    const person = await people.findPersonByEmail(sql, email)
    const valid = person?.passwordHash
      ? await verifyPassword(person.passwordHash, password)
      : (await verifyPassword(await (dummyHash ??= hashPassword('not-a-password')), password), false)
    if (person && valid) {
      await this.byAccount.delete(accountKey)
      return { ok: true, personId: person.id }
    }
    const penalties = await Promise.allSettled([this.byAccount.consume(accountKey), this.byAddress.consume(address)])
    const limited = penalties.find((p) => p.status === 'rejected' && p.reason instanceof RateLimiterRes)
    if (limited && limited.status === 'rejected') {
      return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.ceil((limited.reason as RateLimiterRes).msBeforeNext / 1000) }
    }
    return { ok: false, reason: 'invalid' }
  }
}
