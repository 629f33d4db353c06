/**
 * Signing in with email and password under limits that slow a guesser without locking out the
 * owner (decision 0036): failures are counted per account *and address* — once the free ones are
 * used up the next try from that address waits a minute, each further failure doubles it — and per address
 * across accounts. No limit is per account alone, so guesses from elsewhere never lock the owner
 * out. The address is the real client's (Express's `trust proxy`, TRUST_PROXY). With REDIS_URL the
 * counters live in Redis and hold across processes (rate-limiter-flexible; memory if Redis is away).
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Redis } from 'ioredis'
import type { Sql } from '../db/client.server'
import * as people from '../db/people.server'
import { hashPassword, verifyPassword } from './credentials.server'

/**
 * `perAccount`: failures for one account from one address before the back-off starts;
 * `perAddress`: failures from one address (any account) within `windowSeconds`, which is also the longest back-off.
 */
export type LoginLimits = { perAccount: number; perAddress: number; windowSeconds: number }

export type LoginResult = { ok: true; personId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }

/** A dummy hash so that an unknown email costs as much time as a wrong password. */
let dummyHash: Promise<string> | null = null

/** The first back-off after the free failures; each further failure doubles it. */
const backOffSeconds = 60

/** How long failures of one account from one address are remembered (a day, or the window if longer). */
const failureMemorySeconds = (limits: LoginLimits) => Math.max(24 * 60 * 60, limits.windowSeconds)

/** Checks credentials under the per-account-and-address back-off and the per-address limit. */
export class LoginGuard {
  /** Consecutive failures per account+address (cleared by a successful sign-in). */
  private readonly failures: RateLimiterAbstract
  /** The current back-off per account+address: blocked until it ends. */
  private readonly backOff: RateLimiterAbstract
  /** Failures per address across accounts within the window. */
  private readonly byAddress: RateLimiterAbstract

  constructor(
    private readonly limits: LoginLimits,
    redis?: Redis,
    /** REDIS_PREFIX: installations sharing one Redis keep their counters apart. */
    redisPrefix = 'werkraum',
  ) {
    const limiter = (keyPrefix: string, points: number, duration: number) => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration })
      return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${redisPrefix}:login:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory
    }
    this.failures = limiter('failures', Number.MAX_SAFE_INTEGER, failureMemorySeconds(limits))
    this.backOff = limiter('backoff', 1, 1)
    this.byAddress = limiter('address', limits.perAddress, limits.windowSeconds)
  }

  /** Verifies email and password; a failure counts against the account from this address and against the address. */
  async signIn(sql: Sql, email: string, password: string, address: string): Promise<LoginResult> {
    const accountKey = `${people.normaliseEmail(email).slice(0, 320)}|${address}`
    const [waiting, fromAddress] = await Promise.all([this.backOff.get(accountKey), this.byAddress.get(address)])
    const blocked = [waiting, fromAddress].find((r) => r && r.remainingPoints <= 0 && r.msBeforeNext > 0)
    if (blocked) return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.ceil(blocked.msBeforeNext / 1000) }

    const person = await people.findPersonByEmail(sql, email)
    const valid = person?.passwordHash ? await verifyPassword(person.passwordHash, password) : (await verifyPassword(await (dummyHash ??= hashPassword('not-a-password')), password), false)
    if (person && valid) {
      await this.failures.delete(accountKey)
      return { ok: true, personId: person.id }
    }

    const [failed, addressCount] = await Promise.all([this.failures.consume(accountKey), this.byAddress.consume(address).catch((r: unknown) => r)])
    if (addressCount instanceof RateLimiterRes && addressCount.remainingPoints <= 0 && addressCount.consumedPoints > this.limits.perAddress) {
      return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.ceil(addressCount.msBeforeNext / 1000) }
    }
    const beyondFree = failed.consumedPoints - this.limits.perAccount
    if (beyondFree >= 0) {
      // From the last free failure on: 1 min, 2, 4 … up to the window before the next try from this address.
      // A guesser slows down exponentially; the owner elsewhere is untouched.
      const seconds = Math.min(backOffSeconds * 2 ** beyondFree, this.limits.windowSeconds)
      await this.backOff.block(accountKey, seconds)
      if (beyondFree > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: seconds }
    }
    return { ok: false, reason: 'invalid' }
  }
}
