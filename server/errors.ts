/**
 * How a request fails: each request gets an id (the `X-Request-Id` header, `res.locals.requestId`)
 * and a logger carrying it (`res.locals.log`); every answer of 500 or more is logged with it; an
 * error no route handled is answered in plain words with that id — never a stack trace or a
 * path on this machine — and methods the server does not speak (TRACE, CONNECT …) get 405.
 */
import { randomUUID } from 'node:crypto'
import type express from 'express'
import type { Logger } from 'pino'

/** Methods any route answers; others are refused before they reach Remix (which cannot build a Request for them). */
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The path as logged: a segment that looks like a secret (reset and invitation links) is left out; ids stay. */
export function pathForLog(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.length >= 20 && !uuid.test(segment) ? '…' : segment))
    .join('/')
}

/** The first middleware: a request id, a logger with it, 500s logged, unknown methods refused. */
export function requestContext(log: Logger): express.RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID()
    res.locals.requestId = requestId
    res.locals.log = log.child({ requestId })
    res.setHeader('X-Request-Id', requestId)
    res.once('finish', () => {
      if (res.statusCode >= 500) res.locals.log.error({ method: req.method, path: pathForLog(req.path), status: res.statusCode }, 'request failed')
    })
    if (!methods.has(req.method)) {
      res.status(405).setHeader('Allow', [...methods].join(', '))
      return void res.type('text/plain; charset=utf-8').send('Methode nicht erlaubt. / Method not allowed.')
    }
    next()
  }
}

/** The last handler: an error nobody answered, as its status (4xx) or 500, in plain words with the request id. */
export function answerUnhandledErrors(): express.ErrorRequestHandler {
  return (error, req, res, _next) => {
    const given = Number(error?.status ?? error?.statusCode)
    const status = given >= 400 && given < 600 ? given : 500
    if (status >= 500) res.locals.log?.error({ err: error, method: req.method, path: pathForLog(req.path) }, 'unhandled error')
    if (res.headersSent) return void req.socket.destroy()
    const requestId = String(res.locals.requestId ?? '')
    const text =
      status >= 500
        ? `Interner Fehler. Bitte später erneut versuchen; nennen Sie bei Rückfragen die Anfrage-ID ${requestId}. / Internal error; please quote request id ${requestId}.`
        : status === 404
          ? 'Nicht gefunden. / Not found.'
          : status === 403
            ? 'Kein Zugriff. / Forbidden.'
            : 'Ungültige Anfrage. / Bad request.'
    res.status(status).type('text/plain; charset=utf-8').send(text)
  }
}
