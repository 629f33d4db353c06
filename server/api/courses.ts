/**
 * Course routes of the JSON API: list the courses one may see, create one, read one with its
 * modules and teams, set a module's dates and place, and add a municipality's team.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { can } from '../../access'
import * as courses from '../../db/courses.server'
import { courseFor, sendError, validId, who, fieldIssues, type ApiDeps } from './common'

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
const teamBody = z.object({ municipalityId: z.uuid() })

/** Adds the course routes to the API router. */
export function courseRoutes(router: Router, { sql }: ApiDeps): void {
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
    const course = await courseFor(sql, req, res, 'course.view')
    if (!course) return
    res.json({ ...course, modules: await courses.listModules(sql, course.id), teams: await courses.listTeams(sql, course.id) })
  })
  router.put('/courses/:id/modules/:number', async (req, res) => {
    const number = Number(req.params.number)
    const parsed = moduleBody.safeParse(req.body)
    if (!parsed.success || !Number.isInteger(number) || number < 1 || number > 5) return sendError(req, res, 'invalid_body')
    const course = await courseFor(sql, req, res, 'course.manage')
    if (!course) return
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
}
