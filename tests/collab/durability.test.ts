/** The server as a child process: killed with SIGKILL right after an edit was seen, and stopped with SIGTERM. */
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startChildServer, type ChildServer } from '../support/server'
import { makeEditor, withDatabase } from '../support/fixtures'

describe('durability', () => {
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

  it('an edit client B received survives kill -9 of the server immediately after', async () => {
    db = await createTestDatabase()
    const { token, municipalityId } = await withDatabase(db, makeEditor)
    const first = await startChildServer(db)
    servers.push(first)
    const boardId = await createBoard(first.url, token, municipalityId)
    const a = connectClient(first.url, boardId, token)
    const b = connectClient(first.url, boardId, token)
    clients.push(a, b)
    await Promise.all([a.synced, b.synced])

    const received = new Promise<void>((resolve) => {
      b.doc.getMap('tl_records').observe(() => {
        if (b.doc.getMap('tl_records').has('shape:last')) {
          first.process.kill('SIGKILL')
          resolve()
        }
      })
    })
    for (let i = 0; i < 10; i++) a.doc.getMap('tl_records').set(`shape:${i}`, { i })
    a.doc.getMap('tl_records').set('shape:last', { seen: 'by b' })
    await received
    expect(await first.exited).toBe(null)

    a.destroy()
    b.destroy()
    const second = await startChildServer(db)
    servers.push(second)
    const c = connectClient(second.url, boardId, token)
    clients.push(c)
    await c.synced
    expect(c.doc.getMap('tl_records').get('shape:last')).toEqual({ seen: 'by b' })
    expect(c.doc.getMap('tl_records').size).toBe(11)
  })

  it('SIGTERM flushes every pending write, closes sockets with 1012 and exits 0', async () => {
    db = await createTestDatabase()
    const { token, municipalityId } = await withDatabase(db, makeEditor)
    const server = await startChildServer(db)
    servers.push(server)
    const boardId = await createBoard(server.url, token, municipalityId)
    const a = connectClient(server.url, boardId, token)
    clients.push(a)
    await a.synced
    const closeCodes: number[] = []
    a.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closeCodes.push(event.code)
    })
    for (let i = 0; i < 200; i++) a.doc.getMap('tl_records').set(`shape:${i}`, { i })
    // Send the burst, then stop the server while its writes may still be in flight.
    await new Promise((r) => setTimeout(r, 20))
    server.process.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    await waitFor(() => closeCodes.length > 0, 'client saw the close')
    expect(closeCodes[0]).toBe(1012)
    a.provider.disconnect()

    const again = await startChildServer(db)
    servers.push(again)
    const c = connectClient(again.url, boardId, token)
    clients.push(c)
    await c.synced
    // Every update that reached the server before SIGTERM was written before the process exited.
    expect(c.doc.getMap('tl_records').size).toBe(200)
    expect(server.output()).toContain('stopped')
  })
})
