/**
 * What `npm start` runs: the server compiled ahead of time (build/werkraum-server.js, made by
 * scripts/ensure-build.ts in the global setup; decision 0044), in production mode, without tsx.
 * It migrates a fresh database, serves pages and the Yjs endpoint, stores edits, and stops on SIGTERM.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, withDatabase } from '../support/fixtures'
import { healthHeaders, startChildServer, type ChildServer } from '../support/server'

describe('the compiled server', () => {
  let db: TestDatabase | undefined
  let servers: ChildServer[] = []
  let clients: Client[] = []

  afterEach(async () => {
    for (const c of clients) c.destroy()
    for (const s of servers) if (s.process.exitCode === null) s.process.kill('SIGKILL')
    await Promise.all(servers.map((s) => s.exited))
    await db?.drop()
    clients = []
    servers = []
  })

  it('starts in production mode on a fresh database, serves pages and boards, stores edits and stops on SIGTERM', async () => {
    db = await createTestDatabase()
    const { token, municipalityId } = await withDatabase(db, makeEditor)
    const server = await startChildServer(db, { NODE_ENV: 'production' }, { compiled: true })
    servers.push(server)

    const health = await fetch(`${server.url}/healthz`, { headers: healthHeaders }) // the whole report (the public part is only the status)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' })
    const page = await fetch(`${server.url}/anmelden`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<html')

    const boardId = await createBoard(server.url, token, municipalityId)
    const a = connectClient(server.url, boardId, token)
    clients.push(a)
    await a.synced
    const b = connectClient(server.url, boardId, token)
    clients.push(b)
    await b.synced
    a.doc.getMap('tl_records').set('shape:compiled', { built: 'ahead of time' })
    await waitFor(() => b.doc.getMap('tl_records').has('shape:compiled'), 'the edit reaches the other client')

    server.process.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('stopped')
    // Fanned out only once stored (decision 0002): the edit is in the database after the process is gone.
    const stored = await withDatabase(db, async (sql) => (await loadBoardDoc(sql, boardId, { error: () => {} })).doc.getMap('tl_records').toJSON())
    expect(stored).toEqual({ 'shape:compiled': { built: 'ahead of time' } })
  })
})
