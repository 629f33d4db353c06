/**
 * The JSON API under /api/v1 for municipal IT: personal access tokens
 * (`Authorization: Bearer wr_pat_…`) or the session cookie; every body validated with zod;
 * every operation checked by the access policy; errors are JSON with a stable code.
 * Documented in docs/api.md.
 */
import express, { type ErrorRequestHandler, type Router } from 'express'
import { z } from 'zod'
import { can, principalFor, roles, type Principal } from '../../access'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as memberships from '../../db/memberships.server'
import * as people from '../../db/people.server'
import * as privacy from '../../db/privacy.server'
import { createInvitation } from '../../access'
import { writeBackup } from '../../db/backup.server'
import type { LiveAccess } from '../live-access'
import type { Rooms } from '../../collab/room'
import * as snapshots from '../../db/snapshots.server'
import { listAudit } from '../../db/audit.server'
import { loadSide, restoreSnapshot, SnapshotInputError, takeSnapshot } from '../../collab/snapshots.server'
import { compareBoards, docFromState } from '../../app/snapshots/content'
import { BoardFileInvalid, exportBoard, importBoard } from '../../collab/board-export.server'
import * as courseTemplates from '../../db/course-templates.server'
import { createBoardWithTemplate, normaliseFrame, saveTemplateBody, templateChoice, templateChoices, TemplateRefused } from '../../app/templates/templates.server'
import { fieldIssues, sendError } from './errors'
import { commentRoutes, type CommentEvents } from './comments'
import { imageRoutes, isImageUpload } from './images'
import { tokensRouter } from './tokens'
import { isParticipantImport, participantImportRouter } from './participant-import'

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
const createCourseBody = z.object({
  name: z.string().trim().min(1).max(200),
  cohort: z.string().trim().max(100).default(''),
  format: z.enum(['full', 'shortened']).default('full'),
})
const moduleBody = z.object({
  title: z.string().trim().min(1).max(200),
  startsOn: z.iso.date().nullable().default(null),
  endsOn: z.iso.date().nullable().default(null),
  place: z.string().trim().max(200).default(''),
})
const createMunicipalityBody = z.object({ name: z.string().trim().min(1).max(200), kind: z.enum(['Stadt', 'Kreis', 'Gemeinde']) })
const teamBody = z.object({ municipalityId: uuid })
const statusBody = z.object({ status: z.enum(courses.designStatuses) })
const tldrawRecord = z.looseObject({ id: z.string().min(3).max(200).regex(/^[a-z_]+:/i), typeName: z.string().min(1).max(100) })
/** A `.tldr` file or an export of this API; `add` puts its shapes onto the board, `replace` (the default) makes the board exactly the file. */
const boardImportBody = z.object({
  schema: z.record(z.string(), z.unknown()).nullable().optional(),
  records: z.array(tldrawRecord).max(50_000),
  mode: z.enum(['add', 'replace']).default('replace'),
})
/** POST /boards/:id/import: its body has its own, larger limit (a board's file, not a form). */
const isBoardImport = (req: express.Request) => req.method === 'POST' && /^\/boards\/[^/]+\/import$/.test(req.path)
const snapshotBody = z.object({ label: z.string().trim().min(1).max(200), note: z.string().trim().max(2000).default('') })
const compareQuery = z.object({ from: z.union([z.literal('now'), z.uuid()]), to: z.union([z.literal('now'), z.uuid()]).default('now') })
const grantBody = z.object({
  email: z.email(),
  role: z.enum(roles),
  courseId: uuid.nullable().default(null),
  municipalityId: uuid.nullable().default(null),
})

type Locals = { principal: Principal }

/** The language of template labels for an API request: English when it asks for it, else German. */
const localeOf = (req: express.Request) => (/^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'de') as 'de' | 'en'

/** A router whose async handlers pass their errors to the error handler (Express 4 would not). */
function asyncRouter(): Router {
  const router = express.Router()
  for (const method of ['get', 'post', 'put', 'delete'] as const) {
    const original = router[method].bind(router) as (path: string, ...handlers: express.RequestHandler[]) => Router
    ;(router as unknown as Record<string, unknown>)[method] = (path: string, ...handlers: express.RequestHandler[]) =>
      original(path, ...handlers.map((h): express.RequestHandler => (req, res, next) => Promise.resolve(h(req, res, next)).catch(next)))
  }
  return router
}

/** The /api/v1 router. */
export function apiRouter(deps: {
  sql: Sql
  live: LiveAccess
  rooms: Rooms
  comments: CommentEvents
  maxBodyBytes: number
  maxImageBytes: number
  /** The body limit of a board import (a whole board's file). */
  maxImportBytes: number
  /** Removes a deleted person's name from every board and design document (stored before anyone sees it). */
  scrubPerson?: (personId: string, name: string) => Promise<unknown>
  /** Closes the sockets opened with a token that was just revoked. */
  tokenRevoked?: (tokenHash: string) => void
  /** The address people use (PUBLIC_URL), for absolute links; default: the request's origin. */
  publicUrl?: string
}): Router {
  const { sql } = deps
  const router = asyncRouter()
  router.use(express.json({ limit: deps.maxBodyBytes, strict: false, type: (req) => !isImageUpload(req as express.Request) && !isBoardImport(req as express.Request) && !isParticipantImport(req as express.Request) }))
  // Parsed after the sign-in check, so that only someone signed in can send a body this large.
  const importJson = express.json({ limit: deps.maxImportBytes, strict: false, type: () => true })
  const parseImport: express.RequestHandler = (req, res, next) =>
    importJson(req, res, (error?: { type?: string }) => {
      if (error?.type === 'entity.too.large') return sendError(req, res, 'import_too_large', undefined, { max: `${Math.floor(deps.maxImportBytes / 1024 / 1024)} MB` })
      next(error)
    })

  router.use(async (req, res, next) => {
    try {
      const principal = await principalFor(sql, { cookie: req.headers.cookie, authorization: req.headers.authorization })
      if (!principal) return sendError(req, res, 'unauthorized')
      ;(res.locals as Locals).principal = principal
      next()
    } catch (error) {
      next(error)
    }
  })

  const who = (res: express.Response) => (res.locals as Locals).principal
  const validId = (id: string) => uuid.safeParse(id).success

  router.use(tokensRouter({ sql, tokenRevoked: deps.tokenRevoked ?? (() => {}) }))
  router.use(participantImportRouter({ sql, publicUrl: deps.publicUrl, accessChanged: (id) => deps.live.changed(id) }))

  // ── me ──
  router.get('/me', async (_req, res) => {
    const p = who(res)
    const person = await people.getPerson(sql, p.personId)
    res.json({ ...person, memberships: p.memberships })
  })

  // ── boards ──
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
      board = await createBoardWithTemplate(sql, deps.rooms, who(res), { title: parsed.data.title, owner, template: parsed.data.template ?? null, locale: localeOf(req) })
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
    res.json({ title: board.title, ...(await exportBoard(deps.rooms, board.id)) })
  })
  router.post('/boards/:id/import', parseImport, async (req, res) => {
    const parsed = boardImportBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`))
    const board = await boards.getBoard(sql, req.params.id)
    if (!board || board.kind !== 'whiteboard') return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.edit', board })) return sendError(req, res, 'forbidden')
    try {
      const { records, schema, mode } = parsed.data
      res.json(await importBoard({ sql, rooms: deps.rooms, board, records, schema: schema ?? null, mode, personId: who(res).personId }))
    } catch (error) {
      if (error instanceof BoardFileInvalid) return sendError(req, res, 'invalid_board_file', [error.message])
      throw error
    }
  })
  router.get('/boards/:id/templates', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.view', board })) return sendError(req, res, 'forbidden')
    res.json({ templates: await templateChoices(sql, who(res), board, localeOf(req)) })
  })

  // ── pictures ──
  imageRoutes(router, { sql, maxImageBytes: deps.maxImageBytes, who })

  // ── comments ──
  commentRoutes(router, { sql, events: deps.comments, who })

  // ── course templates ──
  router.get('/courses/:id/templates', async (req, res) => {
    const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
    if (!course) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.view', courseId: course.id })) return sendError(req, res, 'forbidden')
    res.json({ templates: await courseTemplates.listCourseTemplates(sql, [course.id]) })
  })
  router.post('/courses/:id/templates', async (req, res) => {
    const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
    if (!course) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.manage', courseId: course.id })) return sendError(req, res, 'forbidden')
    const parsed = saveTemplateBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`))
    const frame = normaliseFrame(parsed.data.records)
    if ('error' in frame) return sendError(req, res, 'invalid_body', [frame.error])
    const saved = await courseTemplates.createCourseTemplate(sql, { courseId: course.id, name: parsed.data.name, records: frame.records, createdBy: who(res).personId })
    res.status(201).json(saved)
  })
  router.get('/course-templates/:id', async (req, res) => {
    const template = validId(req.params.id) ? await courseTemplates.getCourseTemplate(sql, req.params.id) : null
    if (!template) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.view', courseId: template.courseId })) return sendError(req, res, 'forbidden')
    res.json(template)
  })
  router.delete('/course-templates/:id', async (req, res) => {
    const template = validId(req.params.id) ? await courseTemplates.getCourseTemplate(sql, req.params.id) : null
    if (!template) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.manage', courseId: template.courseId })) return sendError(req, res, 'forbidden')
    await courseTemplates.deleteCourseTemplate(sql, template.id)
    res.status(204).end()
  })

  // ── courses ──
  router.get('/courses', async (_req, res) => {
    const p = who(res)
    const all = await courses.listCourses(sql)
    res.json({ courses: all.filter((c) => can(p, { type: 'course.view', courseId: c.id })) })
  })
  router.post('/courses', async (req, res) => {
    const parsed = createCourseBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    if (!can(who(res), { type: 'course.create' })) return sendError(req, res, 'forbidden')
    res.status(201).json(await courses.createCourse(sql, parsed.data))
  })
  router.get('/courses/:id', async (req, res) => {
    const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
    if (!course) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.view', courseId: course.id })) return sendError(req, res, 'forbidden')
    res.json({ ...course, modules: await courses.listModules(sql, course.id), teams: await courses.listTeams(sql, course.id) })
  })
  router.put('/courses/:id/modules/:number', async (req, res) => {
    const number = Number(req.params.number)
    const parsed = moduleBody.safeParse(req.body)
    if (!parsed.success || !Number.isInteger(number) || number < 1 || number > 5) return sendError(req, res, 'invalid_body')
    const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
    if (!course) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.manage', courseId: course.id })) return sendError(req, res, 'forbidden')
    res.json(await courses.upsertModule(sql, course.id, { number, ...parsed.data }))
  })
  router.post('/courses/:id/teams', async (req, res) => {
    const parsed = teamBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
    const municipality = await courses.getMunicipality(sql, parsed.data.municipalityId)
    if (!course || !municipality) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'course.manage', courseId: course.id })) return sendError(req, res, 'forbidden')
    await courses.addTeam(sql, course.id, municipality.id)
    res.status(201).json({ courseId: course.id, municipalityId: municipality.id })
  })

  // ── municipalities ──
  router.get('/municipalities', async (_req, res) => {
    const p = who(res)
    const all = await courses.listMunicipalities(sql)
    res.json({ municipalities: all.filter((m) => can(p, { type: 'municipality.view', municipalityId: m.id })) })
  })
  router.post('/municipalities', async (req, res) => {
    const parsed = createMunicipalityBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    if (!can(who(res), { type: 'municipality.create' })) return sendError(req, res, 'forbidden')
    const created = await courses.createMunicipality(sql, parsed.data)
    if (!created) return sendError(req, res, 'conflict')
    res.status(201).json(created)
  })
  router.get('/municipalities/:id', async (req, res) => {
    const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
    if (!municipality) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'municipality.view', municipalityId: municipality.id })) return sendError(req, res, 'forbidden')
    res.json({ ...municipality, design: await courses.getDesign(sql, municipality.id), boards: await boards.listBoards(sql, { municipalityIds: [municipality.id] }) })
  })
  router.put('/municipalities/:id/design/status', async (req, res) => {
    const parsed = statusBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
    if (!municipality) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'design.status', municipalityId: municipality.id })) return sendError(req, res, 'forbidden')
    await courses.setDesignStatus(sql, municipality.id, parsed.data.status)
    res.json(await courses.getDesign(sql, municipality.id))
  })

  // ── snapshots (Stände) ──
  /** The municipality of the path when the person may do `action` there; otherwise the error is sent and null returned. */
  const municipalityFor = async (req: express.Request, res: express.Response, action: 'snapshot.view' | 'snapshot.take' | 'snapshot.restore' | 'audit.view') => {
    const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
    if (!municipality) return void sendError(req, res, 'not_found')
    if (!can(who(res), { type: action, municipalityId: municipality.id })) return void sendError(req, res, 'forbidden')
    return municipality
  }
  /** The snapshot of the path, if it belongs to the path's municipality. */
  const snapshotOf = async (municipalityId: string, snapshotId: string) => {
    const snapshot = validId(snapshotId) ? await snapshots.getSnapshot(sql, snapshotId) : null
    return snapshot && snapshot.municipalityId === municipalityId ? snapshot : null
  }
  const withBoards = async (list: snapshots.Snapshot[]) => {
    const boards = await snapshots.snapshotBoardList(sql, list.map((s) => s.id))
    return list.map((s) => ({
      ...s,
      boards: boards.filter((b) => b.snapshotId === s.id).map((b) => ({ boardId: b.boardId, kind: b.boardKind, title: b.title })),
    }))
  }
  router.get('/municipalities/:id/snapshots', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.view')
    if (!municipality) return
    res.json({ snapshots: await withBoards(await snapshots.listSnapshots(sql, municipality.id)) })
  })
  router.post('/municipalities/:id/snapshots', async (req, res) => {
    const parsed = snapshotBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', parsed.error.issues.map((i) => i.message))
    const municipality = await municipalityFor(req, res, 'snapshot.take')
    if (!municipality) return
    const snapshot = await takeSnapshot({ sql, rooms: deps.rooms, municipalityId: municipality.id, ...parsed.data, kind: 'manual', takenBy: who(res).personId })
    const [full] = await withBoards([snapshot])
    res.status(201).location(`/api/v1/municipalities/${municipality.id}/snapshots/${snapshot.id}`).json(full)
  })
  router.get('/municipalities/:id/snapshots/compare', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.view')
    if (!municipality) return
    const parsed = compareQuery.safeParse(req.query)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const [from, to] = await Promise.all([parsed.data.from, parsed.data.to].map((side) => loadSide(sql, deps.rooms, municipality.id, side)))
    if (!from || !to) return sendError(req, res, 'not_found')
    res.json({ from: parsed.data.from, to: parsed.data.to, boards: compareBoards(from, to) })
  })
  router.get('/municipalities/:id/snapshots/:snapshotId', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    if (!snapshot) return sendError(req, res, 'not_found')
    const [full] = await withBoards([snapshot])
    res.json(full)
  })
  router.get('/municipalities/:id/snapshots/:snapshotId/boards/:boardId/svg', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    const board = snapshot ? (await snapshots.snapshotBoardList(sql, [snapshot.id])).find((b) => b.boardId === req.params.boardId) : null
    if (!board) return sendError(req, res, 'not_found')
    res.type('image/svg+xml').setHeader('cache-control', 'private, max-age=31536000, immutable')
    res.send(board.svg)
  })
  router.get('/municipalities/:id/snapshots/:snapshotId/boards/:boardId/json', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    const board = snapshot ? (await snapshots.snapshotBoards(sql, snapshot.id)).find((b) => b.boardId === req.params.boardId) : null
    if (!board || board.boardKind !== 'whiteboard') return sendError(req, res, 'not_found')
    const doc = docFromState(board.state)
    try {
      res.json({ schema: doc.getMap('tl_meta').get('schema') ?? snapshot!.tldrawSchema ?? null, records: [...doc.getMap('tl_records').values()] })
    } finally {
      doc.destroy()
    }
  })
  router.post('/municipalities/:id/snapshots/:snapshotId/restore', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'snapshot.restore')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    if (!snapshot) return sendError(req, res, 'not_found')
    try {
      const result = await restoreSnapshot({ sql, rooms: deps.rooms, snapshotId: snapshot.id, restoredBy: who(res).personId })
      res.json({ restored: result.restored, missing: result.missing, newer: result.newer, beforeRestore: result.beforeRestore })
    } catch (error) {
      if (error instanceof SnapshotInputError) return sendError(req, res, 'invalid_body')
      throw error
    }
  })

  router.get('/municipalities/:id/audit', async (req, res) => {
    const municipality = await municipalityFor(req, res, 'audit.view')
    if (!municipality) return
    res.json({ entries: await listAudit(sql, municipality.id) })
  })

  // ── memberships and invitations ──
  router.get('/memberships', async (req, res) => {
    const p = who(res)
    const courseId = typeof req.query.courseId === 'string' ? req.query.courseId : null
    const municipalityId = typeof req.query.municipalityId === 'string' ? req.query.municipalityId : null
    if (courseId && validId(courseId)) {
      if (!can(p, { type: 'course.manage', courseId })) return sendError(req, res, 'forbidden')
      return res.json({ memberships: await memberships.listCourseMembers(sql, courseId) })
    }
    if (municipalityId && validId(municipalityId)) {
      if (!can(p, { type: 'municipality.manage', municipalityId })) return sendError(req, res, 'forbidden')
      return res.json({ memberships: await memberships.listMunicipalityMembers(sql, municipalityId) })
    }
    sendError(req, res, 'invalid_body')
  })
  router.post('/memberships', async (req, res) => {
    const parsed = grantBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const person = await people.findPersonByEmail(sql, email)
    if (!person) return sendError(req, res, 'person_unknown')
    const id = await memberships.grant(sql, { personId: person.id, ...scope, grantedBy: who(res).personId })
    await deps.live.changed(person.id)
    res.status(201).json({ id, personId: person.id, ...scope })
  })
  router.delete('/memberships/:id', async (req, res) => {
    const membership = validId(req.params.id) ? await memberships.getMembership(sql, req.params.id) : null
    if (!membership) return sendError(req, res, 'not_found')
    const { role, courseId, municipalityId } = membership
    if (!can(who(res), { type: 'membership.grant', role, courseId, municipalityId })) return sendError(req, res, 'forbidden')
    await memberships.revoke(sql, membership.id, who(res).personId)
    await deps.live.changed(membership.personId)
    res.status(204).end()
  })
  router.post('/invitations', async (req, res) => {
    const parsed = grantBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const invitation = await createInvitation(sql, { email, ...scope }, who(res).personId)
    res.status(201).json({ id: invitation.id, link: new URL(invitation.path, deps.publicUrl ?? `${req.protocol}://${req.get('host')}`).toString(), expiresAt: invitation.expiresAt })
  })

  // ── personal data (GDPR Art. 15, 17) ──
  router.get('/people/:id/personal-data', async (req, res) => {
    const p = who(res)
    if (!validId(req.params.id)) return sendError(req, res, 'not_found')
    if (p.personId !== req.params.id && !can(p, { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    const data = await privacy.personalData(sql, req.params.id)
    if (!data) return sendError(req, res, 'not_found')
    res.json(data)
  })
  router.get('/municipalities/:id/personal-data', async (req, res) => {
    const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
    if (!municipality) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'municipality.manage', municipalityId: municipality.id })) return sendError(req, res, 'forbidden')
    const ids = await privacy.peopleOfMunicipality(sql, municipality.id)
    res.json({ municipality, people: await Promise.all(ids.map((id) => privacy.personalData(sql, id))) })
  })
  router.delete('/people/:id', async (req, res) => {
    if (!can(who(res), { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    if (!validId(req.params.id) || req.params.id === who(res).personId) return sendError(req, res, 'invalid_body')
    const name = (await privacy.personalData(sql, req.params.id))?.person.name
    const email = await privacy.deletePerson(sql, req.params.id)
    if (!email) return sendError(req, res, 'not_found')
    await deps.live.changed(req.params.id)
    await deps.scrubPerson?.(req.params.id, name ?? '')
    res.status(204).end()
  })

  // ── administration ──
  router.get('/admin/backup', async (req, res) => {
    if (!can(who(res), { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    res.setHeader('content-type', 'application/gzip')
    res.setHeader('content-disposition', `attachment; filename="werkraum-${new Date().toISOString().slice(0, 10)}.werkraum-backup"`)
    await writeBackup(sql, res)
  })

  router.use((req, res) => sendError(req, res, 'not_found'))
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (error?.type === 'entity.parse.failed') return sendError(req, res, 'invalid_json')
    if (error?.type === 'entity.too.large') return sendError(req, res, 'too_large')
    res.locals.log?.error?.({ err: error }, 'api error')
    sendError(req, res, 'internal')
  }
  router.use(onError)
  return router
}
