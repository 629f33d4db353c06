/** Sessions, tokens, the login rate limit and the same-origin rule, against the real database and server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticate, endSession, hashPassword, LoginGuard, startSession } from '../../access'
import * as people from '../../db/people.server'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('sessions, tokens and sign-in', () => {
  let db: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  it('a session cookie is HttpOnly, SameSite=Lax, path-wide, and Secure over https', async () => {
    const person = await makePerson(server.db.sql, 'Keks')
    const plain = await startSession(server.db.sql, person.id, { secure: false })
    const secure = await startSession(server.db.sql, person.id, { secure: true })
    for (const cookie of [plain, secure]) {
      expect(cookie).toMatch(/^werkraum_session=[A-Za-z0-9_-]{43}; /)
      expect(cookie).toContain('HttpOnly')
      expect(cookie).toContain('SameSite=Lax')
      expect(cookie).toContain('Path=/')
    }
    expect(plain).not.toContain('Secure')
    expect(secure).toContain('; Secure')
  })

  it('signing out ends the session on the server: the old cookie no longer authenticates', async () => {
    const person = await makePerson(server.db.sql, 'Abmelden')
    expect(await authenticate(server.db.sql, { cookie: person.cookie })).toBe(person.id)
    const cleared = await endSession(server.db.sql, person.cookie, { secure: false })
    expect(cleared).toContain('Max-Age=0')
    expect(await authenticate(server.db.sql, { cookie: person.cookie })).toBeNull()
  })

  it('a revoked access token is refused at once', async () => {
    const person = await makePerson(server.db.sql, 'Token')
    const auth = { authorization: `Bearer ${person.token}` }
    expect((await fetch(`${server.url}/api/v1/me`, { headers: auth })).status).toBe(200)
    const [row] = await server.db.sql<{ id: string }[]>`select id from access_tokens where person_id = ${person.id}`
    expect(await people.revokeAccessToken(server.db.sql, person.id, row.id)).toBe(true)
    expect((await fetch(`${server.url}/api/v1/me`, { headers: auth })).status).toBe(401)
  })

  it('secrets are stored only as hashes', async () => {
    const person = await makePerson(server.db.sql, 'Hash')
    const stored = await server.db.sql<{ v: string }[]>`
      select token_hash as v from access_tokens where person_id = ${person.id}
      union all select id_hash from sessions where person_id = ${person.id}`
    const secrets = [person.token, person.cookie.split('=')[1]]
    for (const { v } of stored) {
      expect(v).toMatch(/^[0-9a-f]{64}$/)
      expect(secrets).not.toContain(v)
    }
  })

  it('login attempts are limited per account from one address, even with the right password afterwards; never from another', async () => {
    const guard = new LoginGuard({ perAccount: 3, perAddress: 100, windowSeconds: 60 })
    const email = `limit.${Date.now()}@test.werkraum`
    await people.createPerson(server.db.sql, { email, name: 'Limit', passwordHash: await hashPassword('richtiges-passwort') })
    for (let i = 0; i < 3; i++) {
      const result = await guard.signIn(server.db.sql, email, 'falsch', '10.0.0.1')
      expect(result).toMatchObject({ ok: false, reason: 'invalid' })
    }
    expect(await guard.signIn(server.db.sql, email, 'falsch', '10.0.0.1')).toMatchObject({ ok: false, reason: 'rate_limited' })
    const locked = await guard.signIn(server.db.sql, email, 'richtiges-passwort', '10.0.0.1')
    expect(locked).toMatchObject({ ok: false, reason: 'rate_limited' })
    // The owner from another address is not locked out (decision 0036); another account is unaffected.
    expect((await guard.signIn(server.db.sql, email, 'richtiges-passwort', '10.0.0.9')).ok).toBe(true)
    const other = `other.${Date.now()}@test.werkraum`
    await people.createPerson(server.db.sql, { email: other, name: 'Other', passwordHash: await hashPassword('anderes-passwort') })
    expect((await guard.signIn(server.db.sql, other, 'anderes-passwort', '10.0.0.1')).ok).toBe(true)
  })

  it('login attempts are limited per address across accounts', async () => {
    const guard = new LoginGuard({ perAccount: 100, perAddress: 4, windowSeconds: 60 })
    for (let i = 0; i < 4; i++) await guard.signIn(server.db.sql, `nobody${i}@test.werkraum`, 'x', '192.0.2.7')
    expect(await guard.signIn(server.db.sql, 'nobody9@test.werkraum', 'x', '192.0.2.7')).toMatchObject({ reason: 'rate_limited' })
    expect(await guard.signIn(server.db.sql, 'nobody9@test.werkraum', 'x', '192.0.2.8')).toMatchObject({ reason: 'invalid' })
  })

  it('a state-changing request from a foreign origin is refused before it does anything (CSRF)', async () => {
    const { person, municipalityId } = await makeEditor(server.db.sql)
    const body = JSON.stringify({ title: 'Von fremder Seite', municipalityId })
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/v1/boards`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: person.cookie, ...headers }, body })
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await post({ origin: 'null' })).status).toBe(403)
    const list = await (await fetch(`${server.url}/api/v1/boards`, { headers: { cookie: person.cookie } })).json()
    expect(list.boards).toEqual([])
    expect((await post({ origin: server.url })).status).toBe(201)
    // A form post to a page from another site is refused as well.
    const form = await fetch(`${server.url}/lang`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'lang=en&back=/',
      redirect: 'manual',
    })
    expect(form.status).toBe(403)
  })
})
