/**
 * The process configuration: read from the environment once at start, validated, typed.
 * Every variable is listed in README.md with its default. A wrong value stops the start
 * with a message naming the variable.
 */
import path from 'node:path'
import { z } from 'zod'

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

/**
 * TRUST_PROXY as Express's `trust proxy` takes it: a hop count (the client address is the
 * n-th entry of X-Forwarded-For from the right) or the proxies' addresses/subnets; `true`/`yes`
 * mean one hop — trusting every hop would make the left-most, client-written entry the address.
 */
function trustProxySetting(raw: string): TrustProxy | null {
  if (['', '0', 'false', 'no'].includes(raw)) return false
  if (['true', 'yes'].includes(raw)) return 1
  if (/^\d+$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((a) => a.trim()).filter(Boolean)
  const address = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i
  return list.length > 0 && list.every((a) => address.test(a)) ? list : null
}

/** Express's `trust proxy`: false, a hop count, or the proxies' addresses and subnets. */
export type TrustProxy = false | number | string[]

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'letters, digits, . _ - (at most 64)')
    .default('werkraum'),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  MAX_FORM_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  MAX_IMAGE_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  WS_MESSAGES_PER_SECOND: z.coerce.number().positive().default(200),
  WS_MESSAGE_BURST: z.coerce.number().int().min(10).default(400),
  LIVE_EVENTS_PER_SECOND: z.coerce.number().positive().default(50),
  LIVE_EVENT_BURST: z.coerce.number().int().min(10).default(100),
  MAX_CONNECTIONS_PER_PERSON: z.coerce.number().int().min(1).default(30),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  MAX_TEXT_CHARS: z.coerce.number().int().min(100).default(20_000),
  MAX_UNSAVED_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  ROOM_UNLOAD_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(500),
  SNAPSHOT_EVERY_MINUTES: z.coerce.number().min(0).max(60 * 24 * 7).default(60),
  AUTO_SNAPSHOT_RETENTION: boolish.default(true),
  IMPORT_SNAPSHOT_MINUTES: z.coerce.number().min(0).max(60 * 24).default(10),
  IMPORT_SNAPSHOTS_KEPT: z.coerce.number().int().min(1).max(1000).default(10),
  AUTO_SNAPSHOT_KEEP_ALL_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  AUTO_SNAPSHOT_KEEP_DAILY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  TLDRAW_LICENSE_KEY: z.string().optional(),
  HEALTH_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WERKRAUM_DEV: boolish.default(false),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('')
    .transform(trustProxySetting)
    .refine((v) => v !== null, 'a hop count (1 for one proxy in front), or the proxy addresses/subnets separated by commas (as Express\'s "trust proxy")')
    .transform((v) => v!),
  WERKRAUM_ADMIN_EMAIL: z.email().optional(),
  WERKRAUM_ADMIN_PASSWORD: z.string().min(10, 'must have at least 10 characters').optional(),
  DEMO_DATA: boolish.default(true),
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  SESSION_RECHECK_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).default('Werkraum <werkraum@localhost>'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
  OIDC_NAME_CLAIM: z.string().min(1).default('name'),
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  OIDC_GROUP_ROLES: z
    .string()
    .regex(/^\s*[^=,]+=(administrator|coordinator)\s*(,\s*[^=,]+=(administrator|coordinator)\s*)*$/, 'must look like "group=administrator,other-group=coordinator"')
    .optional(),
  OIDC_REQUIRE_VERIFIED_EMAIL: boolish.default(true),
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).optional(),
  PASSWORD_LOGIN: boolish.default(true),
  METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
})

export type Env = {
  nodeEnv: 'development' | 'production' | 'test'
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  /** Several processes serve the same boards through this Redis; unset: one process. */
  redisUrl: string | undefined
  /** What every Redis key and channel of this installation starts with (`<prefix>:…`): installations sharing one Redis do not hear each other. */
  redisPrefix: string
  maxMessageBytes: number
  /** Largest request body of a page's form (sign-in, password, CSV import …); the API and the PDF export have their own caps. */
  maxFormBytes: number
  /** Largest picture a person may upload to a board (checked by content, stored in Postgres). */
  maxImageBytes: number
  /** Per-connection and per-document limits of the Yjs endpoint (docs/decisions/0013-limits.md). */
  limits: {
    messagesPerSecond: number
    messageBurst: number
    connectionsPerPerson: number
    maxDocumentBytes: number
    /** Characters of text one board record (a note, a shape) may hold (decision 0040). */
    maxTextChars: number
    /** Updates held in memory while the database is unreachable (degraded mode), all boards together. */
    maxUnsavedBytes: number
  }
  /** Per socket.io connection: events per second and burst (token bucket); events over it are answered `too_many`. */
  liveEventRate: { perSecond: number; burst: number }
  roomUnloadGraceMs: number
  compactAfterUpdates: number
  /** Minutes between automatic snapshots of designs changed since their last snapshot (0: off). */
  snapshotEveryMinutes: number
  /** Which automatic snapshots are kept (decision 0025); null: all of them. */
  autoSnapshotRetention: { keepAllDays: number; keepDailyDays: number } | null
  /** "vor Import" Stände: at most one per municipality every `everyMinutes`, the newest `keep` kept (decision 0036). */
  beforeImport: { everyMinutes: number; keep: number }
  tldrawLicenseKey: string | undefined
  /** Bearer token for the whole /healthz report (monitoring); without it only administrators see more than the status. */
  healthToken: string | undefined
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  dev: boolean
  /** The address people use (for links in mails); default: the request's own origin. */
  publicUrl: string | undefined
  /** Behind a reverse proxy: which hops of X-Forwarded-For/-Proto/-Host to trust (passed to Express's `trust proxy`). */
  trustProxy: TrustProxy
  initialAdmin: { email: string; password: string } | undefined
  /** Create the demo course round on the first start of an empty embedded database. */
  demoData: boolean
  loginLimits: { perAccount: number; perAddress: number; windowSeconds: number }
  /** Seconds between re-checks of open sockets' sessions and tokens (expired, revoked elsewhere: closed); 0: never. */
  sessionRecheckSeconds: number
  smtp: { url: string; from: string } | undefined
  /** Headless Chromium that renders PDF exports (Debian's `chromium` package). */
  chromiumPath: string
  /** Single sign-on through an OpenID Connect provider (decision 0032); undefined: off. */
  oidc: OidcSettings | undefined
  /** Whether people may sign in with email and password (off: single sign-on only). */
  passwordLogin: boolean
  /** Prometheus metrics: /metrics on the main port with this bearer token, and/or a listener on an internal address. */
  metrics: { token: string | undefined; internal: { host: string; port: number } | undefined }
}

export type OidcSettings = {
  issuer: string
  clientId: string
  /** Unset: a public client (PKCE only, no client authentication). */
  clientSecret: string | undefined
  scopes: string
  claims: { email: string; name: string; groups: string }
  /** Group name (as the provider sends it) → the installation-wide role it grants. */
  groupRoles: Map<string, 'administrator' | 'coordinator'>
  requireVerifiedEmail: boolean
  /** Shown on the button ("Anmelden mit …"); default: a generic label. */
  providerName: string | undefined
}

export class ConfigError extends Error {}

/** Parses the given environment (default: process.env) into a typed configuration or throws ConfigError naming each bad variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key in envSchema.shape && value !== ''),
  )
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.REDIS_URL && !e.DATABASE_URL) {
    // Each process would keep its own embedded database: edits fanned out by one would be stored by none of the others.
    throw new ConfigError('Invalid configuration:\n  REDIS_URL: several processes need one shared PostgreSQL; set DATABASE_URL too')
  }
  if ((e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) || (!e.OIDC_ISSUER && e.OIDC_CLIENT_ID)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID: single sign-on needs both; set both or neither')
  }
  if (!e.PASSWORD_LOGIN && !e.OIDC_ISSUER) {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_LOGIN: turning password sign-in off needs single sign-on; set OIDC_ISSUER and OIDC_CLIENT_ID too')
  }
  if (e.AUTO_SNAPSHOT_KEEP_DAILY_DAYS < e.AUTO_SNAPSHOT_KEEP_ALL_DAYS) {
    throw new ConfigError('Invalid configuration:\n  AUTO_SNAPSHOT_KEEP_DAILY_DAYS: must not be less than AUTO_SNAPSHOT_KEEP_ALL_DAYS')
  }
  return {
    nodeEnv: e.WERKRAUM_DEV ? 'development' : e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxFormBytes: e.MAX_FORM_BYTES,
    maxImageBytes: e.MAX_IMAGE_BYTES,
    limits: {
      messagesPerSecond: e.WS_MESSAGES_PER_SECOND,
      messageBurst: e.WS_MESSAGE_BURST,
      connectionsPerPerson: e.MAX_CONNECTIONS_PER_PERSON,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      maxTextChars: e.MAX_TEXT_CHARS,
      maxUnsavedBytes: e.MAX_UNSAVED_BYTES,
    },
    liveEventRate: { perSecond: e.LIVE_EVENTS_PER_SECOND, burst: e.LIVE_EVENT_BURST },
    roomUnloadGraceMs: e.ROOM_UNLOAD_GRACE_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    snapshotEveryMinutes: e.SNAPSHOT_EVERY_MINUTES,
    autoSnapshotRetention: e.AUTO_SNAPSHOT_RETENTION ? { keepAllDays: e.AUTO_SNAPSHOT_KEEP_ALL_DAYS, keepDailyDays: e.AUTO_SNAPSHOT_KEEP_DAILY_DAYS } : null,
    beforeImport: { everyMinutes: e.IMPORT_SNAPSHOT_MINUTES, keep: e.IMPORT_SNAPSHOTS_KEPT },
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY,
    healthToken: e.HEALTH_TOKEN,
    logLevel: e.LOG_LEVEL,
    dev: e.WERKRAUM_DEV,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY,
    initialAdmin:
      e.WERKRAUM_ADMIN_EMAIL && e.WERKRAUM_ADMIN_PASSWORD
        ? { email: e.WERKRAUM_ADMIN_EMAIL, password: e.WERKRAUM_ADMIN_PASSWORD }
        : undefined,
    demoData: e.DEMO_DATA,
    loginLimits: {
      perAccount: e.LOGIN_ATTEMPTS_PER_ACCOUNT,
      perAddress: e.LOGIN_ATTEMPTS_PER_ADDRESS,
      windowSeconds: e.LOGIN_WINDOW_SECONDS,
    },
    sessionRecheckSeconds: e.SESSION_RECHECK_SECONDS,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    chromiumPath: e.CHROMIUM_PATH,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            scopes: e.OIDC_SCOPES,
            claims: { email: e.OIDC_EMAIL_CLAIM, name: e.OIDC_NAME_CLAIM, groups: e.OIDC_GROUPS_CLAIM },
            groupRoles: parseGroupRoles(e.OIDC_GROUP_ROLES),
            requireVerifiedEmail: e.OIDC_REQUIRE_VERIFIED_EMAIL,
            providerName: e.OIDC_PROVIDER_NAME,
          }
        : undefined,
    passwordLogin: e.PASSWORD_LOGIN,
    metrics: { token: e.METRICS_TOKEN, internal: e.METRICS_PORT !== undefined ? { host: e.METRICS_HOST, port: e.METRICS_PORT } : undefined },
  }
}

/** `group=role,other=role` → a map; the schema has already checked the shape. */
function parseGroupRoles(value: string | undefined): Map<string, 'administrator' | 'coordinator'> {
  const map = new Map<string, 'administrator' | 'coordinator'>()
  for (const pair of value?.split(',') ?? []) {
    const at = pair.lastIndexOf('=')
    map.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim() as 'administrator' | 'coordinator')
  }
  return map
}
