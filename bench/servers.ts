/**
 * The servers under test, each started by the benchmark in its own process: Werkraum
 * (durable, on PostgreSQL), the reference `@y/websocket-server` and Hocuspocus (both in
 * memory); plus a private redis-server and process metrics read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Protocol } from './wire-client'

export const root = fileURLToPath(new URL('..', import.meta.url))
const ticksPerSecond = 100 // getconf CLK_TCK on Linux

export type Target = 'werkraum' | 'y-websocket-server' | 'hocuspocus'

export type RunningTarget = {
  target: Target
  protocol: Protocol
  /** HTTP base URL. */
  url: string
  /** Websocket URL with `{room}` where the room name goes. */
  urlTemplate: string
  /** Headers every client sends (Werkraum: the benchmark administrator's session cookie). */
  headers: Record<string, string>
  pid: number
  stop(): Promise<void>
}

const BENCH_ADMIN = { email: 'bench@werkraum.test', password: 'bench-password-not-secret' }

/** Signs the benchmark administrator in (created at start from WERKRAUM_ADMIN_*) and returns its session cookie. */
async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/anmelden`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password, weiter: '/' }),
    redirect: 'manual',
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (res.status !== 302 || !cookie) throw new Error(`benchmark sign-in failed: ${res.status}`)
  return cookie
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function startProcess(args: string[], env: Record<string, string>, readyText: RegExp): Promise<ChildProcess> {
  // A variable set to '' is left out (e.g. DATABASE_URL: '' starts Werkraum on the embedded database).
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== '')) as NodeJS.ProcessEnv
  const child = spawn(process.execPath, args, { cwd: root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (readyText.test(output)) resolve(child)
      if (output.length > 100_000) output = output.slice(-10_000)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}):\n${output}`)))
    setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${output}`)), 60_000).unref()
  })
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Starts one server under test on a free port. */
export async function startTarget(target: Target, extraEnv: Record<string, string> = {}): Promise<RunningTarget> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess
  if (target === 'werkraum') {
    // BENCH_WERKRAUM_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server under load.
    const nodeArgs = process.env.BENCH_WERKRAUM_NODE_ARGS?.split(' ').filter(Boolean) ?? []
    // The server as `npm start` runs it: compiled ahead of time (scripts/ensure-build.ts, decision 0044).
    const compiled = path.join(root, 'build', 'werkraum-server.js')
    if (!fs.existsSync(compiled)) throw new Error(`No compiled server at ${compiled}: run "npm run bench" (it builds what is missing) or "npx tsx scripts/ensure-build.ts".`)
    child = await startProcess(
      [...nodeArgs, compiled],
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        DEMO_DATA: '0',
        // Every load client is the same person and sends as fast as it can: the per-client limits are not what is measured.
        MAX_CONNECTIONS_PER_PERSON: '100000',
        WS_MESSAGES_PER_SECOND: '100000',
        WS_MESSAGE_BURST: '100000',
        WERKRAUM_ADMIN_EMAIL: BENCH_ADMIN.email,
        WERKRAUM_ADMIN_PASSWORD: BENCH_ADMIN.password,
        ...extraEnv,
      },
      /Werkraum is listening/,
    )
  } else if (target === 'y-websocket-server') {
    child = await startProcess([path.join(root, 'node_modules/@y/websocket-server/src/server.js')], { HOST: '127.0.0.1', PORT: String(port) }, /running at/)
  } else {
    child = await startProcess([path.join(root, 'bench/hocuspocus-server.mjs')], { PORT: String(port) }, /listening/)
  }
  const ws = url.replace('http', 'ws')
  const headers: Record<string, string> = target === 'werkraum' ? { cookie: await signIn(url), origin: url } : {}
  return {
    headers,
    target,
    protocol: target === 'hocuspocus' ? 'hocuspocus' : 'y-websocket',
    url,
    urlTemplate: target === 'werkraum' ? `${ws}/yjs/{room}` : target === 'y-websocket-server' ? `${ws}/{room}` : ws,
    pid: child.pid!,
    stop: () => stopProcess(child),
  }
}

/** User plus system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return 0
  }
}

/** Resident memory of a process in bytes. */
export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** CPU seconds of every PostgreSQL process on the machine (its backends do Werkraum's durable writes). */
export function postgresCpuSeconds(): number {
  let total = 0
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(entry))
    } catch {
      // the process ended meanwhile
    }
  }
  return total
}

/** Samples a process's RSS every 100 ms; `stop()` returns the peak. */
export function watchPeakRss(pid: number): { stop(): number } {
  let peak = rssBytes(pid)
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, rssBytes(pid))
    },
  }
}

/** A private redis-server on a free port (the shared one is never touched). */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString()
      if (output.includes('Ready to accept connections')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)))
  })
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) }
}
