/**
 * The one server process: Remix pages and assets, /healthz, the JSON API, the Yjs websocket
 * endpoint and socket.io — all on one HTTP server and one port.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import express from 'express'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import type { Logger } from 'pino'
import { lockRule, Rooms } from '../collab'
import { boardRecordRule, setMaxTextChars } from '../collab/board-records.server'
import { Facilitation } from '../collab/features/facilitation.server'
import { AutoSnapshots } from '../collab/features/auto-snapshots.server'
import { scrubPersonFromBoards } from '../collab/features/privacy.server'
import { UnsavedBudget } from '../collab/unsaved'
import { migrate, openDatabase, type Database } from '../db'
import type { Env } from './env.server'
import { hashPassword, LoginGuard, OidcSignIn } from '../access'
import { createMailer } from '../access/mailer.server'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import { apiRouter } from './api'
import { DEMO_PASSWORD, demoPasswordsActive, demoPeople, isEmpty, seedDemo } from './demo-data'
import { attachEvents, commentEvents } from './events'
import { healthReport, mayReadHealthDetails } from './health'
import { LiveAccess } from './live-access'
import { LiveSessions, type SocketSelector } from './live-sessions'
import { Metrics } from './metrics'
import { isSameOrigin, refuseCrossSiteWrites, type TrustFn } from './origin'
import { isYjsUpgrade, refuseUpgrade, yjsUpgradeHandler } from './yjs-upgrade'
import { PDF_EXPORT_MAX_BYTES, PdfRenderer } from '../app/report/pdf.server'
import { HeadlessChromium } from '../app/report/chromium.server'
import { BoardPictures } from '../app/pictures/board-pictures.server'
import { limitRequestBodies } from './body-limit'
import { answerUnhandledErrors, requestContext } from './errors'

/** Largest JSON body of the API (pictures and board imports have their own caps). */
const maxApiJsonBytes = 1_000_000

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
export const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version
const tldrawAssetsVersion: string = require('@tldraw/assets/package.json').version
/** Where the browser finds tldraw's fonts, icons and translations (served from this installation). */
export const tldrawAssetsBase = `/tldraw-assets/${tldrawAssetsVersion}`

export type RunningServer = {
  url: string
  port: number
  db: Database
  rooms: Rooms
  autoSnapshots: AutoSnapshots
  /** The internal metrics listener's URL (METRICS_PORT), if any. */
  metricsUrl: string | undefined
  /** How to sign in, for the start line: "Anmelden als …" (demo, first administrator), through the provider, or how to make an account. */
  signInHint: string
  /** Graceful shutdown: stop accepting, close sockets with 1012, flush writes, close the database. */
  close(): Promise<void>
}

/** Opens the database, applies migrations and starts serving on the configured host and port. */
export async function startServer(env: Env, log: Logger): Promise<RunningServer> {
  const db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir })
  let demoAccounts = false
  try {
    const applied = await migrate(db.sql)
    if (applied.length > 0) log.info({ applied }, 'migrations applied')
    await ensureInitialAdmin(db.sql, env, log)
    if (db.kind === 'pglite' && env.demoData && (await isEmpty(db.sql))) {
      await seedDemo(db.sql)
      log.info('demo data created (pilot round 2017); the README lists the demo accounts')
    }
    demoAccounts = await demoPasswordsActive(db.sql)
    if (demoAccounts) log.warn('demo accounts with the published demo password exist: do not use this installation for real data (see README)')
  } catch (error) {
    await db.close()
    throw error
  }
  if (env.nodeEnv === 'production' && !env.tldrawLicenseKey) {
    log.warn('TLDRAW_LICENSE_KEY is not set: on https with a real domain the live whiteboard editor will not run (see README).')
  }

  // Several processes on one Redis; without REDIS_URL none of it is loaded.
  const scaleOut = env.redisUrl ? await (await import('./scale-out')).startScaleOut(env.redisUrl, env.redisPrefix, log.child({ area: 'scale-out' })) : null
  setMaxTextChars(env.limits.maxTextChars)
  const rooms = new Rooms({
    sql: db.sql,
    log: log.child({ area: 'collab' }),
    unloadGraceMs: env.roomUnloadGraceMs,
    compactAfterUpdates: env.compactAfterUpdates,
    limits: env.limits,
    unsaved: new UnsavedBudget(env.limits.maxUnsavedBytes),
    cluster: scaleOut?.cluster,
    // Locks first: the record check's fix of the same key wins (decision 0039).
    rules: [lockRule, boardRecordRule],
  })

  const autoSnapshots = new AutoSnapshots({ sql: db.sql, rooms, everyMinutes: env.snapshotEveryMinutes, retention: env.autoSnapshotRetention, log: log.child({ area: 'snapshots' }) })

  const app = express()
  // Express reads NODE_ENV itself (and shows stack traces unless it is "production"); say it explicitly.
  app.set('env', env.nodeEnv === 'development' ? 'development' : 'production')
  app.set('trust proxy', env.trustProxy)
  const httpServer = http.createServer(app)
  const origin = { trusted: app.get('trust proxy fn') as TrustFn, publicUrl: env.publicUrl }
  const sameOrigin = (req: http.IncomingMessage) => isSameOrigin(req, origin)
  // A server database may be shared by several processes: phase runs are then serialised by an advisory lock (decision 0037).
  const facilitation = new Facilitation(db.sql, { acrossProcesses: db.kind === 'postgres' })
  const io = attachEvents(httpServer, { sql: db.sql, rooms, maxMessageBytes: env.maxMessageBytes, eventRate: env.liveEventRate, sameOrigin, facilitation, adapter: scaleOut?.socketIoAdapter })
  const live = new LiveAccess(db.sql, rooms, io)
  const liveSessions = new LiveSessions(db.sql, io, log.child({ area: 'sessions' }), scaleOut !== null)
  await liveSessions.listen(db)
  const tokenRevoked = (tokenId: string) => void liveSessions.closeSocketsOf({ tokenId })
  const loginGuard = new LoginGuard(env.loginLimits, scaleOut?.store, env.redisPrefix)
  const sso = env.oidc ? new OidcSignIn(env.oidc, db.sql, log.child({ area: 'sso' })) : null
  if (env.oidc && !env.publicUrl)
    log.warn('OIDC_ISSUER is set without PUBLIC_URL: the address sent back to the provider is taken from each request (set PUBLIC_URL to the address registered at the provider)')
  const mailer = createMailer(env.smtp, (error) => log.warn({ err: error }, 'mail could not be sent'))

  const metrics = new Metrics({ rooms, db, io, redis: scaleOut?.status })
  app.disable('x-powered-by')
  app.use(requestContext(log.child({ area: 'http' })))
  app.use(metrics.timing())
  // Before anything reads a body: the API's parsers and Remix's actions never see more than the cap.
  const apiBodyBytes = Math.max(maxApiJsonBytes, env.maxImageBytes, env.limits.maxDocumentBytes)
  app.use(
    limitRequestBodies(
      [
        { path: '/api/v1', maxBytes: apiBodyBytes },
        { path: /^\/boards\/[^/]+\/export\.pdf$/, maxBytes: PDF_EXPORT_MAX_BYTES },
      ],
      env.maxFormBytes,
    ),
  )
  app.use(securityHeaders(env))
  app.get('/metrics', metrics.protectedHandler(env.metrics.token))
  app.get('/healthz', async (req, res) => {
    const report = await healthReport({ db, rooms, env, version, demoAccounts, redis: scaleOut?.status })
    // Everyone learns whether it is up; the rest (version, counts, warnings such as demo accounts) is for operators.
    const full = await mayReadHealthDetails(req, db.sql, env.healthToken).catch(() => false)
    res.status(report.status === 'error' ? 503 : 200).json(full ? report : { status: report.status })
  })
  app.use(refuseCrossSiteWrites(origin))
  // One headless Chromium for PDFs and board pictures (decision 0041).
  const chromium = new HeadlessChromium(env.chromiumPath)
  const pdf = new PdfRenderer(chromium)
  const pictures = new BoardPictures(chromium, { pageDir: path.join(root, 'build', 'pictures'), assetsDir: path.dirname(require.resolve('@tldraw/assets/package.json')) })
  const scrubPerson = (personId: string, name: string) => scrubPersonFromBoards(db.sql, rooms, personId, name)
  app.use(
    '/api/v1',
    apiRouter({
      sql: db.sql,
      live,
      rooms,
      comments: commentEvents(io),
      maxBodyBytes: maxApiJsonBytes,
      maxImageBytes: env.maxImageBytes,
      maxImportBytes: env.limits.maxDocumentBytes,
      beforeImport: env.beforeImport,
      scrubPerson,
      pictures,
      tokenRevoked,
      publicUrl: env.publicUrl,
    }),
  )
  app.use(tldrawAssetsBase, express.static(path.dirname(require.resolve('@tldraw/assets/package.json')), { immutable: true, maxAge: '1y', index: false }))

  const remix = await remixHandler(env)
  app.use(remix.middleware)
  app.all(
    '*',
    createRequestHandler({
      build: remix.build,
      mode: env.nodeEnv === 'development' ? 'development' : 'production',
      getLoadContext: (req, res) => ({
        sql: db.sql,
        cspNonce: res.locals.cspNonce as string | undefined,
        env: { tldrawLicenseKey: env.tldrawLicenseKey, tldrawAssetsBase, version },
        services: {
          loginGuard,
          mailer,
          accessChanged: (personId: string) => live.changed(personId),
          closeSocketsOf: (selector: SocketSelector) => liveSessions.closeSocketsOf(selector),
          publicUrl: env.publicUrl ?? `${req.protocol}://${req.get('host')}`,
          facilitation,
          boardPresence: io.boardPresence,
          renderPdf: (html: string, footer: string, header?: string) => pdf.render(html, footer, header),
          renderPdfWithContents: (build: (pageNumbers: Record<string, number> | null) => string, footer: string, header?: string) => pdf.renderWithContents(build, footer, header),
          boardPictures: pictures,
          rooms,
          sso,
          passwordLogin: env.passwordLogin,
          tokenRevoked,
        },
        client: { address: req.ip ?? 'unknown', secure: req.secure },
      }),
    }),
  )

  app.use(answerUnhandledErrors())

  const yjs = yjsUpgradeHandler({
    sql: db.sql,
    rooms,
    maxMessageBytes: env.maxMessageBytes,
    connectionsPerPerson: env.limits.connectionsPerPerson,
    sameOrigin,
    opened: (ws, credential) => liveSessions.trackYjs(ws, credential),
  })
  httpServer.on('upgrade', (req, socket, head) => {
    if (isYjsUpgrade(req)) void yjs.handle(req, socket, head)
    else if (!req.url?.startsWith('/socket.io/')) refuseUpgrade(socket, 404, 'Not Found')
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(env.port, env.host, () => resolve())
  })
  const port = (httpServer.address() as AddressInfo).port
  const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`
  const internalMetrics = env.metrics.internal ? await metrics.listenInternal(env.metrics.internal.host, env.metrics.internal.port) : null
  log.info({ url, database: db.kind, version, ...(internalMetrics ? { metrics: internalMetrics.url } : {}) }, 'Werkraum is listening')
  autoSnapshots.start()
  liveSessions.start(env.sessionRecheckSeconds * 1000)

  let closing: Promise<void> | null = null
  const close = () =>
    (closing ??= (async () => {
      httpServer.close()
      liveSessions.stop()
      await liveSessions.unlisten()
      await internalMetrics?.close()
      io.disconnectSockets(true)
      await autoSnapshots.stop()
      await rooms.close()
      yjs.close()
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await scaleOut?.close()
      httpServer.closeAllConnections()
      await remix.close()
      await chromium.close()
      await db.close()
      log.info('stopped')
    })())
  const signInHint = env.oidc
    ? `Anmelden über ${env.oidc.providerName ?? new URL(env.oidc.issuer).host}`
    : demoAccounts
      ? `Anmelden als ${demoPeople[0].email}, Passwort ${DEMO_PASSWORD}`
      : env.initialAdmin
        ? `Anmelden als ${env.initialAdmin.email}`
        : (await memberships.hasAdministrator(db.sql))
          ? 'Anmelden mit Ihrem Konto'
          : 'noch kein Konto: npm run admin -- create --email … --password …'
  return { url, port, db, rooms, autoSnapshots, metricsUrl: internalMetrics?.url, signInHint, close }
}

/** Creates the first administrator from WERKRAUM_ADMIN_EMAIL/_PASSWORD when none exists yet. */
async function ensureInitialAdmin(sql: Database['sql'], env: Env, log: Logger) {
  if (!env.initialAdmin || (await memberships.hasAdministrator(sql))) return
  const passwordHash = await hashPassword(env.initialAdmin.password)
  const person = (await people.createPerson(sql, { email: env.initialAdmin.email, name: 'Administrator', passwordHash })) ?? (await people.findPersonByEmail(sql, env.initialAdmin.email))!
  await people.updatePerson(sql, person.id, { passwordHash })
  await memberships.grant(sql, { personId: person.id, role: 'administrator', courseId: null, municipalityId: null })
  log.info({ email: person.email }, 'first administrator created from WERKRAUM_ADMIN_EMAIL')
}

/**
 * Security headers; the Content-Security-Policy keeps every request on this installation, and
 * runs no inline script but those carrying this response's nonce (app/entry.server.tsx).
 */
function securityHeaders(env: Env): express.RequestHandler {
  const csp = (nonce: string) =>
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "worker-src 'self' blob:",
      "frame-ancestors 'self'",
      "base-uri 'self'",
      // Signing out posts here and is redirected to the provider's end-session page: allow that one origin.
      `form-action 'self'${env.oidc ? ` ${new URL(env.oidc.issuer).origin}` : ''}`,
    ].join('; ')
  return (_req, res, next) => {
    if (env.nodeEnv !== 'development') {
      const nonce = randomBytes(16).toString('base64')
      res.locals.cspNonce = nonce
      res.setHeader('Content-Security-Policy', csp(nonce))
    }
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'same-origin')
    next()
  }
}

type RemixMount = {
  build: ServerBuild | (() => Promise<ServerBuild>)
  middleware: express.RequestHandler
  close(): Promise<void>
}

/** The Remix build: Vite's dev server in development, the built bundle otherwise. */
async function remixHandler(env: Env): Promise<RemixMount> {
  if (env.nodeEnv === 'development') {
    const vite = await import('vite')
    const devServer = await vite.createServer({ server: { middlewareMode: true } })
    return {
      build: () => devServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      middleware: devServer.middlewares,
      close: () => devServer.close(),
    }
  }
  const buildDir = path.join(root, 'build')
  const serverBuild = path.join(buildDir, 'server', 'index.js')
  if (!fs.existsSync(serverBuild)) throw new Error(`No build at ${serverBuild}: run "npm run build" first.`)
  const build = (await import(serverBuild)) as ServerBuild
  const middleware = express.Router()
  // Hashed file names: cached for a year; a missing one is a plain 404, not a page.
  middleware.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }))
  middleware.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h', index: false }))
  return {
    build,
    middleware,
    close: async () => {},
  }
}
