/**
 * /healthz tells the public only whether the server is up (issue 16): the version, counts and
 * warnings — such as "demo accounts with the published password exist" — are for administrators
 * and for monitoring with HEALTH_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { seedDemo } from '../../server/demo-data'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makePerson } from '../support/fixtures'
import { HEALTH_TOKEN, startTestServer } from '../support/server'

describe('/healthz: status for everyone, details for operators', () => {
  let db: TestDatabase
  let server: RunningServer
  beforeAll(async () => {
    db = await createTestDatabase()
    // A first start seeds the demo round (whose accounts have the published password); the second reports them.
    const first = await startTestServer(db)
    await seedDemo(first.db.sql)
    await first.close()
    server = await startTestServer(db)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const health = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/healthz`, { headers })
    return { status: res.status, text: await res.text() }
  }

  it('answers the public with the status alone', async () => {
    const res = await health()
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' })
    expect(res.text).not.toContain('demo')
    for (const headers of [{ authorization: 'Bearer falsch-falsch-falsch-falsch' }, { authorization: `Bearer ${HEALTH_TOKEN}x` }]) {
      expect(JSON.parse((await health(headers)).text)).toEqual({ status: 'ok' })
    }
  })

  it('gives the whole report to HEALTH_TOKEN and to administrators, not to other signed-in people', async () => {
    const withToken = JSON.parse((await health({ authorization: `Bearer ${HEALTH_TOKEN}` })).text)
    expect(withToken).toMatchObject({ status: 'ok', db: 'ok', version: expect.any(String) })
    expect(withToken.warnings.some((w: string) => w.startsWith('demo_accounts_active'))).toBe(true)
    const admin = await makePerson(server.db.sql, 'Betrieb', [{ role: 'administrator' }])
    expect(JSON.parse((await health({ cookie: admin.cookie })).text)).toMatchObject({ db: 'ok', warnings: expect.any(Array) })
    const lecturer = await makePerson(server.db.sql, 'Lehrende', [{ role: 'coordinator' }])
    expect(JSON.parse((await health({ authorization: `Bearer ${lecturer.token}` })).text)).toEqual({ status: 'ok' })
  })
})
