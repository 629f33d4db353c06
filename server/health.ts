/** The health report behind GET /healthz: its status for everyone, the whole report for administrators or HEALTH_TOKEN. */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { can, principalFor } from '../access'
import type { Rooms } from '../collab'
import type { Database } from '../db'
import type { Env } from './env.server'

export type HealthReport = {
  /**
   * `degraded`: the database or Redis is away, or rooms hold edits not yet stored — live boards
   * keep working (unsaved edits are written when the database returns). `error`: the database
   * is away and nothing is live.
   */
  status: 'ok' | 'degraded' | 'error'
  db: 'ok' | 'down'
  /** Only with REDIS_URL. */
  redis?: 'up' | 'down'
  database: 'postgres' | 'pglite'
  version: string
  rooms: number
  connections: number
  /** Edits live rooms hold in memory because the database could not take them (degraded mode). */
  unsaved: { boards: number; updates: number; bytes: number }
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
  const unsaved = await deps.rooms.unsaved()
  const redis = deps.redis?.()
  const live = connections > 0 || unsaved.updates > 0
  return {
    status: !dbOk && !live ? 'error' : !dbOk || unsaved.updates > 0 || redis === 'down' ? 'degraded' : 'ok',
    db: dbOk ? 'ok' : 'down',
    ...(redis ? { redis } : {}),
    database: deps.db.kind,
    version: deps.version,
    rooms,
    connections,
    unsaved,
    warnings,
  }
}

/** Whether the request may read the whole report: it carries `Bearer <HEALTH_TOKEN>`, or an administrator's session or token. */
export async function mayReadHealthDetails(req: IncomingMessage, sql: Database['sql'], healthToken: string | undefined): Promise<boolean> {
  const authorization = req.headers.authorization
  if (!authorization && !req.headers.cookie) return false
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
  if (healthToken && bearer) {
    const given = Buffer.from(bearer)
    const expected = Buffer.from(healthToken)
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true
  }
  return can(await principalFor(sql, { cookie: req.headers.cookie, authorization }), { type: 'installation.manage' })
}
