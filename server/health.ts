/** The health report behind GET /healthz. */
import type { Rooms } from '../collab'
import type { Database } from '../db'
import type { Env } from './env.server'

export type HealthReport = {
  /** `degraded`: Redis is away — this process serves its own clients, others catch up when it returns. */
  status: 'ok' | 'degraded' | 'error'
  db: 'ok' | 'down'
  /** Only with REDIS_URL. */
  redis?: 'up' | 'down'
  database: 'postgres' | 'pglite'
  version: string
  rooms: number
  connections: number
  warnings: string[]
}

/** Asks the database (2 s at most) and collects what an operator needs to know. */
export async function healthReport(deps: {
  db: Database
  rooms: Rooms
  env: Env
  version: string
  demoAccounts: boolean
  /** Redis state when scaled out (REDIS_URL set). */
  redis?: () => 'up' | 'down'
}): Promise<HealthReport> {
  let dbOk = false
  try {
    await Promise.race([
      deps.db.sql`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ])
    dbOk = true
  } catch {
    dbOk = false
  }
  const warnings: string[] = []
  if (deps.env.nodeEnv === 'production' && !deps.env.tldrawLicenseKey) {
    warnings.push('tldraw_license_missing: TLDRAW_LICENSE_KEY is not set; the live editor stops on https with a real domain.')
  }
  if (deps.demoAccounts) warnings.push('demo_accounts_active: demo accounts with the published password exist; change or remove them before real use.')
  const { rooms, connections } = await deps.rooms.stats()
  const redis = deps.redis?.()
  return {
    status: !dbOk ? 'error' : redis === 'down' ? 'degraded' : 'ok',
    db: dbOk ? 'ok' : 'down',
    ...(redis ? { redis } : {}),
    database: deps.db.kind,
    version: deps.version,
    rooms,
    connections,
    warnings,
  }
}
