/** Security headers on pages and assets: a CSP that keeps every request on the installation, no framing by others, no sniffing, same-origin referrers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestServer } from '../support/server'

describe('security headers', () => {
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

  it.each(['/', '/healthz', '/api/v1/me', '/favicon.svg'])('%s carries the security headers', async (path) => {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual' })
    const csp = res.headers.get('content-security-policy') ?? ''
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    )
    expect(directives['default-src']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['font-src']).toEqual(["'self'", 'data:'])
    expect(directives['frame-ancestors']).toEqual(["'self'"])
    // No directive names a host outside the installation.
    expect(csp).not.toMatch(/https?:|\*/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
    expect(res.headers.get('x-powered-by')).toBeNull()
  })
})
