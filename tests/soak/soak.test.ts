/**
 * Soak: 50 clients edit one board steadily for SOAK_MINUTES (half a minute in `npm test`; `npm run
 * test:soak` runs 120). Every interval it prints memory (RSS, heap — this process holds the
 * server and the clients) and the fan-out latency seen by one observing client (p50/p99).
 * Only correctness is asserted — every client converges and everything is stored; the figures
 * are printed, never compared with a threshold (the machine's load decides them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const MINUTES = Number(process.env.SOAK_MINUTES ?? 0.5)
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50)
/** Edits per client per second. */
const RATE = 1
/** How often figures are printed: 4 times in the short form, every 5 minutes in the long one. */
const INTERVAL_MS = Math.min(5 * 60_000, (MINUTES * 60_000) / 4)

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN)

describe(`soak: ${CLIENTS} clients for ${MINUTES} min`, () => {
  let db: TestDatabase
  let server: RunningServer
  let boardId: string
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { MAX_CONNECTIONS_PER_PERSON: String(CLIENTS + 10) })
    const editor = await makeEditor(server.db.sql)
    boardId = await createBoard(server.url, editor.token, editor.municipalityId, 'Dauerlauf')
    for (let i = 0; i < CLIENTS; i++) clients.push(connectClient(server.url, boardId, editor.token))
    await Promise.all(clients.map((c) => c.synced))
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('every client converges and every edit is stored; memory and latency printed', { timeout: MINUTES * 60_000 + 180_000 }, async () => {
    const observer = clients[0]
    let latencies: number[] = []
    observer.doc.getMap('soak').observe((event) => {
      if (event.transaction.local) return
      const now = Date.now()
      for (const key of event.keysChanged) {
        const value = observer.doc.getMap('soak').get(key) as { t: number } | undefined
        if (value) latencies.push(now - value.t)
      }
    })
    const figures: string[] = []
    const report = (label: string) => {
      const { rss, heapUsed } = process.memoryUsage()
      const sorted = [...latencies].sort((a, b) => a - b)
      const line = `${label.padEnd(8)} rss ${mb(rss).padStart(7)}  heap ${mb(heapUsed).padStart(7)}  latency p50 ${String(percentile(sorted, 50)).padStart(5)} ms  p99 ${String(percentile(sorted, 99)).padStart(5)} ms  (${sorted.length} updates)`
      figures.push(line)
      console.log(`[soak] ${line}`)
      latencies = []
    }
    report('start')

    const written = new Array<number>(CLIENTS).fill(0)
    const timers = clients.map((c, i) => setInterval(() => c.doc.getMap('soak').set(`client:${i}`, { n: ++written[i], t: Date.now() }), 1000 / RATE))
    const started = Date.now()
    let minute = 0
    while (Date.now() - started < MINUTES * 60_000) {
      await new Promise((r) => setTimeout(r, Math.min(INTERVAL_MS, MINUTES * 60_000 - (Date.now() - started))))
      report(`${(++minute * INTERVAL_MS) / 60_000} min`)
    }
    timers.forEach(clearInterval)

    const expected = Object.fromEntries(written.map((n, i) => [`client:${i}`, n]).sort(([a], [b]) => (a < b ? -1 : 1)))
    // Sorted by key: a Y.Map's iteration order differs between replicas.
    const counts = (doc: Client['doc']) => Object.fromEntries([...doc.getMap('soak').entries()].map(([k, v]) => [k, (v as { n: number }).n]).sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const c of clients) await waitFor(() => JSON.stringify(counts(c.doc)) === JSON.stringify(counts(clients[0].doc)), 'clients converge', 60_000)
    expect(counts(clients[0].doc)).toEqual(expected)
    await waitFor(async () => JSON.stringify(counts((await loadBoardDoc(server.db.sql, boardId, console)).doc)) === JSON.stringify(expected), 'everything stored', 60_000)
    report('end')
    console.log(`[soak] ${CLIENTS} clients, ${written.reduce((a, b) => a + b, 0)} edits, ${MINUTES} min:\n  ${figures.join('\n  ')}`)
  })
})
