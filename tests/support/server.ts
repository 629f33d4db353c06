/** Starts the real server for a test: in this process, or as a child process that can be killed. */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { readEnv } from '../../server/env.server'
import { startServer, type RunningServer } from '../../server/app'
import type { TestDatabase } from './database'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The HEALTH_TOKEN of every test server, and the headers that read its whole /healthz report. */
export const HEALTH_TOKEN = 'test-health-token-0123456789'
export const healthHeaders = { authorization: `Bearer ${HEALTH_TOKEN}` }

/** Environment variables for a server on `db`, on a free port unless `port` is given. */
export function serverEnv(db: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: db.dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROOM_UNLOAD_GRACE_MS: '200',
    DEMO_DATA: '0',
    // Tests drive many clients as one person; tests/security/limits.test.ts sets the real limits.
    MAX_CONNECTIONS_PER_PERSON: '1000',
    HEALTH_TOKEN,
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...extra,
  }
}

/** Starts the server in this process. */
export async function startTestServer(db: TestDatabase, extra: Record<string, string> = {}): Promise<RunningServer> {
  const env = readEnv(serverEnv(db, extra))
  return startServer(env, pino({ level: env.logLevel }))
}

export type ChildServer = {
  url: string
  process: ChildProcess
  output: () => string
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}

/**
 * Starts `server/index.ts` as a child process (for kill -9 and signal tests); resolves once it
 * listens. `compiled`: the ahead-of-time build `npm start` runs (build/werkraum-server.js) instead of the sources.
 */
export async function startChildServer(db: TestDatabase, extra: Record<string, string> = {}, options: { compiled?: boolean } = {}): Promise<ChildServer> {
  const env = { ...process.env, ...serverEnv(db, { LOG_LEVEL: 'info', ...extra }) }
  // `node --import tsx`, not the tsx CLI: the CLI runs the server in a grandchild that SIGKILL would orphan.
  const args = options.compiled ? ['build/werkraum-server.js'] : ['--import', 'tsx', 'server/index.ts']
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output)
      if (match) resolve(match[1])
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)))
    setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000).unref()
  })
  return { url, process: child, output: () => output, exited }
}
