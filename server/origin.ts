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

/** True when the request has no Origin header or its Origin is this server's own (scheme, host and port). */
export function isSameOrigin(req: IncomingMessage, options: OriginOptions): boolean {
  const origin = req.headers.origin
  if (!origin) {
    // Browsers send Sec-Fetch-Site on every request; "cross-site" without Origin is still foreign.
    return req.headers['sec-fetch-site'] !== 'cross-site'
  }
  if (origin === 'null') return false
  // Scheme, host and port all count: http://werkraum.example is not https://werkraum.example.
  const originOf = (url: string) => {
    try {
      return new URL(url).origin
    } catch {
      return null
    }
  }
  const claimed = originOf(origin)
  if (!claimed) return false
  if (options.publicUrl && claimed === originOf(options.publicUrl)) return true
  // As Express's req.hostname and req.protocol: X-Forwarded-Host/-Proto only when the peer itself is a trusted proxy.
  const fromProxy = options.trusted(req.socket.remoteAddress ?? '', 0)
  const first = (name: string) => (fromProxy ? (req.headers[name] as string | undefined)?.split(',')[0]?.trim() || undefined : undefined)
  const scheme = first('x-forwarded-proto') ?? ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http')
  const host = first('x-forwarded-host') ?? req.headers.host
  return !!host && claimed === originOf(`${scheme}://${host}`)
}

/** Express middleware refusing foreign-origin POST/PUT/PATCH/DELETE with 403. */
export function refuseCrossSiteWrites(options: OriginOptions): express.RequestHandler {
  return (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || isSameOrigin(req, options)) return next()
    res.status(403).type('text/plain; charset=utf-8').send('Anfrage von fremder Herkunft abgelehnt. / Cross-site request refused.')
  }
}
