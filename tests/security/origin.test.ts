/**
 * The same-origin check compares the whole origin — scheme, host and port — with this server's
 * (behind a trusted proxy: the scheme and host the proxy forwards), not the host alone (issue 16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

describe('Origin check: scheme, host and port', () => {
  let db: TestDatabase
  let server: RunningServer
  let editor: Awaited<ReturnType<typeof makeEditor>>
  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { TRUST_PROXY: '1' })
    editor = await makeEditor(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: editor.person.cookie, ...headers },
      body: JSON.stringify({ title: 'Herkunft', municipalityId: editor.municipalityId }),
    }).then((r) => r.status)

  it('refuses the same host under another scheme or port', async () => {
    const host = new URL(server.url).host
    expect(await post({ origin: `https://${host}` })).toBe(403)
    expect(await post({ origin: `http://${new URL(server.url).hostname}:1` })).toBe(403)
    expect(await post({ origin: server.url })).toBe(201)
  })

  it('behind the trusted proxy, compares with the forwarded scheme and host', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'werkraum.example' }
    expect(await post({ ...forwarded, origin: 'http://werkraum.example' })).toBe(403)
    expect(await post({ ...forwarded, origin: 'https://werkraum.example:8443' })).toBe(403)
    expect(await post({ ...forwarded, origin: 'https://werkraum.example' })).toBe(201)
  })
})
