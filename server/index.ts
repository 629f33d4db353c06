/**
 * Process entry: reads the configuration, checks the environment before anything is written
 * (port, data folder, database; exit 78 with the setting and the fix), starts the server, says
 * in one plain line where it runs, and shuts down gracefully on SIGTERM/SIGINT (stop accepting,
 * flush pending writes, close sockets with 1012, exit 0).
 */
import { ConfigError, readEnv } from './env.server'
import { createLogger } from './logger'
import { startServer } from './app'
import { describeProblems, EXIT_CONFIG, preflight } from './preflight'

let env: ReturnType<typeof readEnv>
try {
  env = readEnv()
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Werkraum kann nicht starten: eine Einstellung ist ungültig (siehe README, „Configuration“). / Werkraum cannot start:\n${error.message}`)
    process.exit(EXIT_CONFIG)
  }
  throw error
}

const problems = await preflight(env)
if (problems.length > 0) {
  console.error(describeProblems(problems))
  process.exit(EXIT_CONFIG)
}

const log = createLogger(env.logLevel)
const server = await startServer(env, log).catch((error) => {
  log.fatal({ err: error }, 'could not start')
  process.exit(1)
})
console.log(`Werkraum läuft: ${env.publicUrl ?? server.url}  (${server.signInHint})`)

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
