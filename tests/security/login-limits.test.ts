/**
 * Sign-in limits that slow a guesser but never lock out the owner (issue 16, decision 0036):
 * counted per account+address with exponential back-off and per real client address — the one
 * the trusted proxy saw (TRUST_PROXY as Express's `trust proxy`), not what the client wrote into
 * X-Forwarded-For — and shared through Redis by every process when REDIS_URL is set.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoginGuard } from '../../access'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { addPerson } from '../support/fixtures'
import { startTestRedis, type TestRedis } from '../support/redis'
import { startTestServer } from '../support/server'

const PASSWORD = 'richtiges-passwort-123'

describe('sign-in limits behind one proxy (TRUST_PROXY=1)', () => {
  let db: TestDatabase
  let server: RunningServer
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { TRUST_PROXY: '1', LOGIN_ATTEMPTS_PER_ACCOUNT: '10', LOGIN_ATTEMPTS_PER_ADDRESS: '20' })
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  /** Signs in through the page as the proxy would pass it on: `forwardedFor` is the X-Forwarded-For the proxy sends. */
  const signIn = (email: string, password: string, forwardedFor: string) =>
    fetch(`${server.url}/anmelden`, {
      method: 'POST',
      headers: { 'x-forwarded-for': forwardedFor },
      body: new URLSearchParams({ email, password }),
      redirect: 'manual',
    }).then((r) => r.status)

  it('the owner, from another address, still signs in after an attacker’s 50 wrong tries', async () => {
    const email = `owner.${Date.now()}@test.werkraum`
    await addPerson(server.db.sql, { email, password: PASSWORD })
    const statuses: number[] = []
    for (let i = 0; i < 50; i++) statuses.push(await signIn(email, `falsch-${i}`, '203.0.113.66'))
    // The attacker is slowed down: after the free tries, every further one meets a back-off.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toContain(429)
    expect(await signIn(email, PASSWORD, '203.0.113.66'), 'the attacker’s address waits').toBe(429)
    expect(await signIn(email, PASSWORD, '198.51.100.4'), 'the owner elsewhere signs in').toBe(302)
  })

  it('a forged left-most X-Forwarded-For does not get around the per-address limit', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) {
      // The client wrote "10.66.0.i" itself; the proxy appended the address it really came from.
      statuses.push(await signIn(`nobody${i}.${Date.now()}@test.werkraum`, 'x', `10.66.0.${i}, 192.0.2.99`))
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401))
    expect(statuses.slice(20)).toEqual(Array(5).fill(429))
    // Another real address is not affected.
    expect(await signIn(`nobody.${Date.now()}@test.werkraum`, 'x', '10.66.0.1, 192.0.2.100')).toBe(401)
  })
})

describe('sign-in limits shared through Redis', () => {
  let db: TestDatabase
  let server: RunningServer
  let redis: TestRedis
  const clients: Redis[] = []
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    redis = await startTestRedis()
  })
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await redis?.stop()
    await server?.close()
    await db?.drop()
  })

  it('two processes’ guards count the same failures: the limit holds across them', async () => {
    const limits = { perAccount: 3, perAddress: 4, windowSeconds: 60 }
    const guards = [0, 1].map(() => {
      const client = new Redis(redis.url)
      clients.push(client)
      return new LoginGuard(limits, client)
    })
    for (let i = 0; i < 4; i++) expect(await guards[i % 2]!.signIn(server.db.sql, `x${i}@test.werkraum`, 'x', '192.0.2.50')).toMatchObject({ reason: 'invalid' })
    expect(await guards[0]!.signIn(server.db.sql, 'x9@test.werkraum', 'x', '192.0.2.50')).toMatchObject({ reason: 'rate_limited' })
    expect(await guards[1]!.signIn(server.db.sql, 'x9@test.werkraum', 'x', '192.0.2.50')).toMatchObject({ reason: 'rate_limited' })
    expect(await clients[0]!.keys('werkraum:login:*')).not.toEqual([])
  })
})
