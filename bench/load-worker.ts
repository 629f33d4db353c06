/**
 * A benchmark client process: connects the clients of its rooms, then (on the parent's
 * signal) lets every client edit at a fixed rate and records, for each edit of another
 * client, the time from its send to its arrival. Runs apart from the server under test and
 * reports its own CPU use, so one can see that receivers were not the bottleneck.
 *
 * Job in env BENCH_JOB (JSON); latencies written as Float64 bytes to job.resultFile (receiver on
 * the sender's server) and `<resultFile>.cross` (on another server).
 */
import fs from 'node:fs'
import { WireClient, now, type Protocol } from './wire-client'

export type LoadJob = {
  protocol: Protocol
  /** Per server: URL with `{room}` where the room name goes. Client i of a room uses server i mod n. */
  urlTemplates: string[]
  /** Per server: headers for the upgrade (credentials). */
  headers: Record<string, string>[]
  rooms: string[]
  clientsPerRoom: number
  editsPerSecond: number
  warmupMs: number
  durationMs: number
  /** Longest wait after the window for late arrivals (they count, with their true latency); stops early once all arrived. */
  drainMs: number
  resultFile: string
}

export type LoadResult = {
  /** Edits sent inside the measured window. */
  sent: number
  /** Arrivals expected for them (each reaches the room's other clients). */
  expected: number
  received: number
  /** Of the received: arrivals at a client on another server than the sender's. */
  crossServer: number
  clientCpuPercent: number
}

const job = JSON.parse(process.env.BENCH_JOB ?? '{}') as LoadJob
const latencies: number[] = []
const crossLatencies: number[] = []
let windowStart = Infinity
let windowEnd = Infinity
let sent = 0
let expected = 0

const clients: { client: WireClient; server: number; roomSize: number }[] = []
for (const room of job.rooms) {
  for (let i = 0; i < job.clientsPerRoom; i++) {
    const server = i % job.urlTemplates.length
    const client: WireClient = new WireClient({
      protocol: job.protocol,
      url: job.urlTemplates[server].replace('{room}', encodeURIComponent(room)),
      headers: job.headers[server],
      room,
      tag: String(server),
      onEdit: (sentAt, tag) => {
        if (sentAt < windowStart || sentAt >= windowEnd) return
        const latency = now() - sentAt
        if (tag === String(server)) latencies.push(latency)
        else crossLatencies.push(latency)
      },
    })
    clients.push({ client, server, roomSize: job.clientsPerRoom })
  }
}

await Promise.all(clients.map((c) => c.client.synced))
process.send!({ type: 'ready' })

const start = await new Promise<number>((resolve) => process.once('message', (m: { type: string; at: number }) => resolve(m.at)))
windowStart = start + job.warmupMs
windowEnd = windowStart + job.durationMs
const cpuBefore = process.cpuUsage()
const interval = 1000 / job.editsPerSecond
const timers: NodeJS.Timeout[] = []
for (const { client, roomSize } of clients) {
  // Spread the clients' edits evenly over the interval so the load is steady, not bursty.
  const offset = Math.random() * interval
  const first = setTimeout(
    () => {
      const tick = () => {
        const t = now()
        if (t >= windowEnd) return
        client.edit()
        if (t >= windowStart) {
          sent++
          expected += roomSize - 1
        }
      }
      tick()
      timers.push(setInterval(tick, interval))
    },
    Math.max(0, start - now()) + offset,
  )
  timers.push(first)
}

await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - now())))
const cpu = process.cpuUsage(cpuBefore)
const cpuPercent = ((cpu.user + cpu.system) / 1000 / (job.warmupMs + job.durationMs)) * 100
for (const t of timers) clearInterval(t)
const drainUntil = now() + job.drainMs
while (latencies.length + crossLatencies.length < expected && now() < drainUntil) await new Promise((r) => setTimeout(r, 50))
fs.writeFileSync(job.resultFile, Buffer.from(Float64Array.from(latencies).buffer))
fs.writeFileSync(`${job.resultFile}.cross`, Buffer.from(Float64Array.from(crossLatencies).buffer))
const result: LoadResult = {
  sent,
  expected,
  received: latencies.length + crossLatencies.length,
  crossServer: crossLatencies.length,
  clientCpuPercent: cpuPercent,
}
process.send!({ type: 'done', result }, () => {
  for (const { client } of clients) client.close()
  process.exit(0)
})
