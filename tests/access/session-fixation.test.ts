/**
 * Session fixation and expiry through the real sign-in and sign-out pages: a session id
 * planted before sign-in is never adopted (sign-in issues a new one and ends the presented
 * one), an expired session is refused on every channel, and sign-out invalidates the session
 * on the server, not just in the browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { hashPassword, SESSION_COOKIE } from '../../access'
import { hashSecret, newSecret } from '../../access/credentials.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'
import type { RunningServer } from '../../server/app'
import { createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const PASSWORD = 'ein-gutes-passwort'

describe('session fixation and expiry', () => {
  let db: TestDatabase
  let server: RunningServer
  let municipalityId: string
  let token: string
  let boardId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    ;({ municipalityId, token } = await makeEditor(server.db.sql))
    boardId = await createBoard(server.url, token, municipalityId)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  async function personWithPassword(name: string) {
    const email = `${name}.${Date.now()}@test.werkraum`
    const person = (await people.createPerson(server.db.sql, { email, name, passwordHash: await hashPassword(PASSWORD) }))!
    await memberships.grant(server.db.sql, { personId: person.id, role: 'participant', courseId: null, municipalityId })
    return { ...person, email }
  }

  /** Signs in through the page's form action with `cookie` already in the browser; returns the session cookie it sets. */
  async function signIn(email: string, cookie?: string): Promise<string> {
    const res = await fetch(`${server.url}/anmelden`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams({ email, password: PASSWORD }).toString(),
      redirect: 'manual',
    })
    const setCookie = res.headers.get('set-cookie') ?? ''
    const match = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(setCookie)
    if (!match || !match[1]) throw new Error(`sign-in set no session cookie (${res.status})`)
    return `${SESSION_COOKIE}=${match[1]}`
  }

  const me = (cookie: string) => fetch(`${server.url}/api/v1/me`, { headers: { cookie } }).then((r) => r.status)
  const upgrade = (cookie: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${boardId}`, { headers: { cookie, origin: server.url } })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve(101)
      })
      ws.on('error', () => {})
    })

  it('a session id chosen by an attacker before sign-in is not adopted: sign-in issues a new one', async () => {
    const victim = await personWithPassword('opfer')
    const planted = `${SESSION_COOKIE}=${newSecret()}`
    const issued = await signIn(victim.email, planted)
    expect(issued).not.toBe(planted)
    expect(await me(issued)).toBe(200)
    expect(await me(planted)).toBe(401)
  })

  it("a valid session planted before sign-in (the attacker's own) is ended by the sign-in, and the new id differs", async () => {
    const attacker = await personWithPassword('angreifer')
    const victim = await personWithPassword('opfer2')
    const attackersSession = await signIn(attacker.email)
    expect(await me(attackersSession)).toBe(200)
    const victimsSession = await signIn(victim.email, attackersSession)
    expect(victimsSession).not.toBe(attackersSession)
    expect(await me(victimsSession)).toBe(200)
    // The planted id is dead: whatever the victim's browser still sends with it authenticates nobody.
    expect(await me(attackersSession)).toBe(401)
  })

  it('an expired session is refused by the API, the pages and the websocket upgrade', async () => {
    const person = await personWithPassword('abgelaufen')
    const secret = newSecret()
    await people.insertSession(server.db.sql, hashSecret(secret), person.id, new Date(Date.now() - 1000))
    const cookie = `${SESSION_COOKIE}=${secret}`
    expect(await me(cookie)).toBe(401)
    expect(await upgrade(cookie)).toBe(401)
    const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: 'manual' })
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/\/anmelden/)
  })

  it('sign-out invalidates the session on the server: the old cookie, replayed, no longer works anywhere', async () => {
    const person = await personWithPassword('abmelden')
    const cookie = await signIn(person.email)
    expect(await me(cookie)).toBe(200)
    expect(await upgrade(cookie)).toBe(101)
    const out = await fetch(`${server.url}/abmelden`, { method: 'POST', headers: { cookie, origin: server.url }, redirect: 'manual' })
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    expect(await me(cookie)).toBe(401)
    expect(await upgrade(cookie)).toBe(401)
    const [{ count }] = await server.db.sql<{ count: number }[]>`select count(*)::int as count from sessions where person_id = ${person.id}`
    expect(count).toBe(0)
  })
})
