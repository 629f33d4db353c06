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
import { sendError } from './errors'

const uuid = z.uuid()
const createBoardBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    municipalityId: uuid.optional(),
    courseId: uuid.optional(),
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
const grantBody = z.object({
  email: z.email(),
  role: z.enum(roles),
  courseId: uuid.nullable().default(null),
  municipalityId: uuid.nullable().default(null),
})

type Locals = { principal: Principal }

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
  maxBodyBytes: number
  /** Removes a deleted person's name from every board and design document (stored before anyone sees it). */
  scrubPerson?: (personId: string, name: string) => Promise<unknown>
}): Router {
  const { sql } = deps
  const router = asyncRouter()
  router.use(express.json({ limit: deps.maxBodyBytes, strict: false, type: () => true }))

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
    const board = await boards.createBoard(sql, { title: parsed.data.title, ...owner })
    res.status(201).location(`/api/v1/boards/${board.id}`).json(board)
  })
  router.get('/boards/:id', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.view', board })) return sendError(req, res, 'forbidden')
    res.json(board)
  })

  // ── courses ──
  router.get('/courses', async (_req, res) => {
    const p = who(res)
    const all = await courses.listCourses(sql)
    res.json({ courses: all.filter((c) => can(p, { type: 'course.view', courseId: c.id })) })
  })
  router.post('/courses', async (req, res) => {
    const parsed = createCourseBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body')
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
    if (!parsed.success) return sendError(req, res, 'invalid_body')
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
    if (!parsed.success) return sendError(req, res, 'invalid_body')
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
    if (!parsed.success) return sendError(req, res, 'invalid_body')
    const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
    if (!municipality) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'design.status', municipalityId: municipality.id })) return sendError(req, res, 'forbidden')
    await courses.setDesignStatus(sql, municipality.id, parsed.data.status)
    res.json(await courses.getDesign(sql, municipality.id))
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
    if (!parsed.success) return sendError(req, res, 'invalid_body')
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const person = await people.findPersonByEmail(sql, email)
    if (!person) return sendError(req, res, 'person_unknown')
    const id = await memberships.grant(sql, { personId: person.id, ...scope })
    await deps.live.changed(person.id)
    res.status(201).json({ id, personId: person.id, ...scope })
  })
  router.delete('/memberships/:id', async (req, res) => {
    const membership = validId(req.params.id) ? await memberships.getMembership(sql, req.params.id) : null
    if (!membership) return sendError(req, res, 'not_found')
    const { role, courseId, municipalityId } = membership
    if (!can(who(res), { type: 'membership.grant', role, courseId, municipalityId })) return sendError(req, res, 'forbidden')
    await memberships.revoke(sql, membership.id)
    await deps.live.changed(membership.personId)
    res.status(204).end()
  })
  router.post('/invitations', async (req, res) => {
    const parsed = grantBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body')
    const { email, ...scope } = parsed.data
    if (!can(who(res), { type: 'membership.grant', ...scope })) return sendError(req, res, 'forbidden')
    const invitation = await createInvitation(sql, { email, ...scope }, who(res).personId)
    res.status(201).json({ id: invitation.id, link: invitation.path, expiresAt: invitation.expiresAt })
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
