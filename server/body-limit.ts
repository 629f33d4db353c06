/**
 * The one cap on request bodies, in front of every route (Remix forms, the PDF export, the
 * JSON API): a declared Content-Length above the route's cap is refused before a byte is read,
 * and a body without one (chunked) is counted as it streams to whoever reads it and cut off
 * with 413 at the cap — so no route can buffer more than its cap, signed in or not (issue 16).
 */
import type express from 'express'

/** A path prefix (or pattern) and the most bytes a body sent there may have; the first match wins. */
export type BodyLimitRule = { path: string | RegExp; maxBytes: number }

const message = (maxBytes: number) =>
  `Die Anfrage ist zu groß (höchstens ${Math.floor(maxBytes / 1024)} KB). / Request body too large (at most ${Math.floor(maxBytes / 1024)} KB).`

/** Express middleware capping every request body by the first matching rule, else `fallbackBytes`. */
export function limitRequestBodies(rules: BodyLimitRule[], fallbackBytes: number): express.RequestHandler {
  const capFor = (path: string) =>
    rules.find((r) => (typeof r.path === 'string' ? path === r.path || path.startsWith(`${r.path}/`) : r.path.test(path)))?.maxBytes ?? fallbackBytes

  return (req, res, next) => {
    const maxBytes = capFor(req.path)
    const refuse = () => {
      if (!res.headersSent) {
        res.status(413).set('connection', 'close').type('text/plain; charset=utf-8').send(message(maxBytes))
      }
      // The rest of the body is never read: the connection goes once the answer is out.
      req.unpipe()
      req.pause()
      if (res.writableFinished) req.socket.destroy()
      else res.once('finish', () => req.socket.destroy())
    }

    const declared = req.headers['content-length']
    if (declared !== undefined && Number(declared) > maxBytes) {
      // Nobody reads this body: answer while the connection stays open, discard what still arrives
      // for a moment, then close — closing at once with unread bytes sends a reset that can wipe the
      // 413 out of the client's buffer before it reads it.
      res.status(413).type('text/plain; charset=utf-8').send(message(maxBytes))
      req.resume()
      setTimeout(() => req.socket.destroy(), 2000).unref()
      return
    }

    // Count what streams to the body's reader. The counter joins only when a reader starts
    // (a 'data' or 'readable' listener), so it never sets the stream flowing by itself.
    let received = 0
    const count = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) {
        req.off('data', count)
        refuse()
      }
    }
    const onReader = (event: string | symbol) => {
      if (event !== 'data' && event !== 'readable') return
      req.off('newListener', onReader)
      req.on('data', count)
    }
    req.on('newListener', onReader)
    next()
  }
}
