/**
 * A private redis-server per test file, as a child process on its own port, so that tests can
 * stop and restart it without touching the shared Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { freePort } from './ports'

export type TestRedis = {
  url: string
  port: number
  /** Kills the server (SIGKILL: clients see the connection drop, nothing is flushed). */
  stop(): Promise<void>
  /** Starts it again on the same port (empty: nothing is saved). */
  start(): Promise<void>
}

/** Starts a redis-server on a free port; stop it with `stop()` in afterAll. */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort()
  let child: ChildProcess | null = null
  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    let output = ''
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve()
      })
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)))
      setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000).unref()
    })
  }
  const stop = async () => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    const exited = once(proc, 'exit')
    proc.kill('SIGKILL')
    await exited
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, port, start, stop }
}
