/**
 * Personal access tokens in the JSON API: `GET /tokens` (one's own, without secrets),
 * `POST /tokens` `{ name, expiresInDays }` (the secret is in the answer, once), and
 * `DELETE /tokens/:id` (revokes it and closes the sockets opened with it at once).
 */
import express, { type Router } from 'express'
import type { Principal } from '../../access'
import { issuePersonalToken, listPersonalTokens, newTokenInput, revokePersonalToken } from '../../access/personal-tokens.server'
import type { Sql } from '../../db/client.server'
import { sendError } from './common'

/** The token routes; mounted after the API's sign-in check (res.locals.principal is set). */
export function tokensRouter(deps: { sql: Sql; tokenRevoked: (tokenId: string) => void }): Router {
  const router = express.Router()
  const who = (res: express.Response) => (res.locals as { principal: Principal }).principal
  const handle = (fn: (req: express.Request, res: express.Response) => Promise<unknown>): express.RequestHandler => (req, res, next) => void fn(req, res).catch(next)

  router.get(
    '/tokens',
    handle(async (_req, res) => {
      res.json({ tokens: await listPersonalTokens(deps.sql, who(res).personId) })
    }),
  )
  router.post(
    '/tokens',
    handle(async (req, res) => {
      // A token never makes tokens (a leaked one could outlive its revocation): only a signed-in session may.
      if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return sendError(req, res, 'forbidden')
      const parsed = newTokenInput.safeParse(req.body ?? {})
      if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
      res.status(201).json(await issuePersonalToken(deps.sql, who(res).personId, parsed.data))
    }),
  )
  router.delete(
    '/tokens/:id',
    handle(async (req, res) => {
      if (!(await revokePersonalToken(deps.sql, req.params.id, who(res).personId, deps.tokenRevoked))) return sendError(req, res, 'not_found')
      res.status(204).end()
    }),
  )
  return router
}
