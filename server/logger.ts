/** Structured logging (pino). Log lines carry ids, never secrets or document content. */
import pino, { type Logger } from 'pino'

/** Creates the process logger at the given level. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'werkraum' }, redact: ['req.headers.cookie', 'req.headers.authorization'] })
}
