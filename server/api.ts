/**
 * The JSON API under /api/v1 (extended by later issues): input is validated with zod at the
 * boundary; errors are JSON `{ error: { code, message } }`.
 */
import express, { type ErrorRequestHandler, type Router } from 'express'
import { z } from 'zod'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'

const createBoardBody = z.object({ title: z.string().trim().min(1).max(200) })

/** Sends a JSON error with a stable code. */
function fail(res: express.Response, status: number, code: string, message: string) {
  res.status(status).json({ error: { code, message } })
}

/** The /api/v1 router. */
export function apiRouter(sql: Sql, options: { maxBodyBytes: number }): Router {
  const router = express.Router()
  router.use(express.json({ limit: options.maxBodyBytes, strict: true, type: () => true }))

  router.post('/boards', async (req, res) => {
    const parsed = createBoardBody.safeParse(req.body)
    if (!parsed.success) {
      fail(res, 400, 'invalid_body', 'Body must be JSON {"title": string of 1–200 characters}.')
      return
    }
    const board = await boards.createBoard(sql, parsed.data)
    res.status(201).location(`/api/v1/boards/${board.id}`).json(board)
  })

  router.get('/boards', async (_req, res) => {
    res.json({ boards: await boards.listBoards(sql) })
  })

  router.get('/boards/:id', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) {
      fail(res, 404, 'not_found', 'No board with this id.')
      return
    }
    res.json(board)
  })

  router.use((_req, res) => fail(res, 404, 'not_found', 'No such API endpoint.'))

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error?.type === 'entity.parse.failed') return fail(res, 400, 'invalid_json', 'The body is not valid JSON.')
    if (error?.type === 'entity.too.large') return fail(res, 413, 'too_large', 'The body is too large.')
    res.locals.log?.error?.({ err: error }, 'api error')
    fail(res, 500, 'internal', 'Internal error.')
  }
  router.use(onError)
  return router
}
