/**
 * Process entry: reads the configuration, starts the server, and shuts down gracefully on
 * SIGTERM/SIGINT (stop accepting, flush pending writes, close sockets with 1012, exit 0).
 */
import { ConfigError, readEnv } from './env.server'
import { createLogger } from './logger'
import { startServer } from './app'

let env: ReturnType<typeof readEnv>
try {
  env = readEnv()
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(78)
  }
  throw error
}

const log = createLogger(env.logLevel)
const server = await startServer(env, log).catch((error) => {
  log.fatal({ err: error }, 'could not start')
  process.exit(1)
})

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
