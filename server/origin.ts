/**
 * Same-origin checks against cross-site request forgery: a state-changing request (and any
 * websocket upgrade) that a browser sends from another site is refused. Requests without an
 * Origin header come from non-browser clients, which cannot ride on a person's cookie.
 */
import type { IncomingMessage } from 'node:http'
import type express from 'express'

/** Express's compiled `trust proxy` (`app.get('trust proxy fn')`): whether the hop at `address` is a trusted proxy. */
export type TrustFn = (address: string, hop: number) => boolean

export type OriginOptions = { trusted: TrustFn; publicUrl?: string }

/** True when the request has no Origin header or its Origin names this server's own host. */
export function isSameOrigin(req: IncomingMessage, options: OriginOptions): boolean {
  const origin = req.headers.origin
  if (!origin) {
    // Browsers send Sec-Fetch-Site on every request; "cross-site" without Origin is still foreign.
    return req.headers['sec-fetch-site'] !== 'cross-site'
  }
  if (origin === 'null') return false
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    return false
  }
  if (options.publicUrl && originHost === new URL(options.publicUrl).host) return true
  // As Express's req.hostname: X-Forwarded-Host only when the peer itself is a trusted proxy.
  const fromProxy = options.trusted(req.socket.remoteAddress ?? '', 0)
  const forwarded = fromProxy ? (req.headers['x-forwarded-host'] as string | undefined)?.split(',')[0]?.trim() : undefined
  return originHost === (forwarded ?? req.headers.host)
}

/** Express middleware refusing foreign-origin POST/PUT/PATCH/DELETE with 403. */
export function refuseCrossSiteWrites(options: OriginOptions): express.RequestHandler {
  return (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || isSameOrigin(req, options)) return next()
    res.status(403).type('text/plain; charset=utf-8').send('Anfrage von fremder Herkunft abgelehnt. / Cross-site request refused.')
  }
}
