/**
 * Board routes of the JSON API: list the boards one may see, create one (empty or from a
 * template), read one, and export/import a whiteboard as a tldraw file (the import replaces the
 * board or adds to it, stored through the room before anyone sees it).
 */
import express, { type Router } from 'express'
import { z } from 'zod'
import { can } from '../../access'
import * as boards from '../../db/boards.server'
import { BoardFileInvalid, exportBoard, importBoard } from '../../collab/features/board-export.server'
import { createBoardWithTemplate, templateChoice, TemplateRefused } from '../../collab/features/templates.server'
import { localeOf, sendError, who, type ApiDeps } from './common'

const uuid = z.uuid()
const createBoardBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    municipalityId: uuid.optional(),
    courseId: uuid.optional(),
    /** `builtin:<id>` or `course:<uuid>`; without it the board starts empty. */
    template: templateChoice.optional(),
  })
  .refine((b) => !!b.municipalityId !== !!b.courseId, { message: 'exactly one of municipalityId, courseId' })
const tldrawRecord = z.looseObject({ id: z.string().min(3).max(200).regex(/^[a-z_]+:/i), typeName: z.string().min(1).max(100) })
/** A `.tldr` file or an export of this API; `add` puts its shapes onto the board, `replace` (the default) makes the board exactly the file. */
const boardImportBody = z.object({
  schema: z.record(z.string(), z.unknown()).nullable().optional(),
  records: z.array(tldrawRecord).max(50_000),
  mode: z.enum(['add', 'replace']).default('replace'),
})

/** POST /boards/:id/import: its body has its own, larger limit (a board's file, not a form). */
export const isBoardImport = (req: express.Request) => req.method === 'POST' && /^\/boards\/[^/]+\/import$/.test(req.path)

/** Adds the board routes to the API router. */
export function boardRoutes(router: Router, deps: ApiDeps): void {
  const { sql, rooms } = deps
  // Parsed after the sign-in check, so that only someone signed in can send a body this large.
  const importJson = express.json({ limit: deps.maxImportBytes, strict: false, type: () => true })
  const parseImport: express.RequestHandler = (req, res, next) =>
    importJson(req, res, (error?: { type?: string }) => {
      if (error?.type === 'entity.too.large') return sendError(req, res, 'import_too_large', undefined, { max: `${Math.floor(deps.maxImportBytes / 1024 / 1024)} MB` })
      next(error)
    })

  router.get('/boards', async (_req, res) => {
    const p = who(res)
    const all = await boards.listBoards(sql)
    res.json({ boards: all.filter((b) => can(p, { type: 'board.view', board: b })) })
  })
  router.post('/boards', async (req, res) => {
    const parsed = createBoardBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.map((i) => i.message))
    const owner = { municipalityId: parsed.data.municipalityId ?? null, courseId: parsed.data.courseId ?? null }
    if (!can(who(res), { type: 'board.create', board: owner })) return sendError(req, res, 'forbidden')
    let board: boards.Board
    try {
      board = await createBoardWithTemplate(sql, rooms, who(res), { title: parsed.data.title, owner, template: parsed.data.template ?? null, locale: localeOf(req) })
    } catch (error) {
      if (error instanceof TemplateRefused) return sendError(req, res, 'invalid_body', ['template'])
      throw error
    }
    res.status(201).location(`/api/v1/boards/${board.id}`).json(board)
  })
  router.get('/boards/:id', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.view', board })) return sendError(req, res, 'forbidden')
    res.json(board)
  })

  router.get('/boards/:id/export', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board || board.kind !== 'whiteboard') return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.view', board })) return sendError(req, res, 'forbidden')
    const name = board.title.replace(/[^\p{L}\p{N} _-]/gu, '').trim().slice(0, 80) || 'board'
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}.tldraw.json`)
    res.json({ title: board.title, ...(await exportBoard(rooms, board.id)) })
  })
  router.post('/boards/:id/import', parseImport, async (req, res) => {
    const parsed = boardImportBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`))
    const board = await boards.getBoard(sql, req.params.id)
    if (!board || board.kind !== 'whiteboard') return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.edit', board })) return sendError(req, res, 'forbidden')
    try {
      const { records, schema, mode } = parsed.data
      res.json(await importBoard({ sql, rooms, board, records, schema: schema ?? null, mode, personId: who(res).personId, beforeImport: deps.beforeImport, language: localeOf(req) }))
    } catch (error) {
      if (error instanceof BoardFileInvalid) return sendError(req, res, 'invalid_board_file', [error.message])
      throw error
    }
  })
}
