/**
 * Request bodies are capped before anyone reads them (issue 16): a 300 MB POST to a form route
 * nobody needs to sign in for is refused with 413 after at most the cap — whether it declares
 * its length or streams it chunked — and the server's memory does not grow with it.
 */
import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startChildServer, type ChildServer } from '../support/server'

const MB = 1024 * 1024
const FORM_CAP = 256 * 1024

/** The resident memory of a process in bytes, from /proc. */
function rssOf(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!
  return Number(line.replace(/\D+/g, '')) * 1024
}

/**
 * POSTs up to `total` bytes of form data in 1 MB chunks (chunked unless `declareLength`); stops
 * writing when the server answers or closes. Resolves with the status (0: no answer) and the bytes written.
 */
function streamPost(url: string, total: number, declareLength: boolean): Promise<{ status: number; body: string; written: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(MB, 'a')
    let written = 0
    let status = 0
    let body = ''
    let stop = false
    const finish = () => resolve({ status, body, written })
    const req = http.request(`${url}/passwort/abc`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(declareLength ? { 'content-length': String(total) } : {}) },
    })
    req.on('response', (res) => {
      status = res.statusCode ?? 0
      stop = true
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', finish)
      res.on('error', finish)
    })
    req.on('error', () => {
      stop = true
      if (!status) finish()
    })
    const pump = () => {
      while (!stop && written < total) {
        written += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!stop) req.end()
    }
    pump()
  })
}

describe('body-size limit before any body is read', () => {
  let db: TestDatabase
  let server: ChildServer

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startChildServer(db, { MAX_FORM_BYTES: String(FORM_CAP) })
  })
  afterAll(async () => {
    server?.process.kill('SIGKILL')
    await server?.exited
    await db?.drop()
  })

  it('refuses 300 MB streamed chunked to /passwort/abc with 413 early, without the server growing', async () => {
    const pid = server.process.pid!
    // Warm the route up first (the first request loads the page module), then measure.
    expect((await fetch(`${server.url}/passwort/abc`, { method: 'POST', body: new URLSearchParams({ password: 'x', passwordRepeat: 'y' }) })).status).toBeLessThan(500)
    const before = rssOf(pid)
    const result = await streamPost(server.url, 300 * MB, false)
    expect(result.written, 'the client was stopped long before the end').toBeLessThan(50 * MB)
    expect(result.status).toBe(413)
    expect(result.body).toContain('zu groß')
    expect(rssOf(pid) - before, 'server memory growth').toBeLessThan(48 * MB)
  })

  it('refuses a declared 300 MB body at once, before reading it', async () => {
    const before = rssOf(server.process.pid!)
    const result = await streamPost(server.url, 300 * MB, true)
    expect(result.status).toBe(413)
    expect(result.written).toBeLessThan(50 * MB)
    expect(rssOf(server.process.pid!) - before).toBeLessThan(48 * MB)
  })

  it('still takes a small form, and answers the next request on a fresh connection', async () => {
    const res = await fetch(`${server.url}/anmelden`, { method: 'POST', body: new URLSearchParams({ email: 'a@b.test', password: 'falsch' }), redirect: 'manual' })
    expect(res.status).not.toBe(413)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
