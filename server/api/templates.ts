/**
 * Template routes of the JSON API: the templates a board may start from (built-in and its
 * course's), and a course's own templates (a frame saved from a board): list, save, read, delete.
 */
import type { Router } from 'express'
import { can } from '../../access'
import * as boards from '../../db/boards.server'
import * as courseTemplates from '../../db/course-templates.server'
import { normaliseFrame, saveTemplateBody, templateChoices } from '../../collab/features/templates.server'
import { courseFor, localeOf, sendError, validId, who, type ApiDeps } from './common'

/** Adds the template routes to the API router. */
export function templateRoutes(router: Router, { sql }: ApiDeps): void {
  router.get('/boards/:id/templates', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) return sendError(req, res, 'not_found')
    if (!can(who(res), { type: 'board.view', board })) return sendError(req, res, 'forbidden')
    res.json({ templates: await templateChoices(sql, who(res), board, localeOf(req)) })
  })
  router.get('/courses/:id/templates', async (req, res) => {
    const course = await courseFor(sql, req, res, 'course.view')
    if (!course) return
    res.json({ templates: await courseTemplates.listCourseTemplates(sql, [course.id]) })
  })
  router.post('/courses/:id/templates', async (req, res) => {
    const course = await courseFor(sql, req, res, 'course.manage')
    if (!course) return
    const parsed = saveTemplateBody.safeParse(req.body)
    if (!parsed.success)
      return sendError(
        req,
        res,
        'invalid_body',
        parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
      )
    const frame = normaliseFrame(parsed.data.records)
    if ('error' in frame) return sendError(req, res, 'invalid_body', [frame.error])
    const saved = await courseTemplates.createCourseTemplate(sql, { courseId: course.id, name: parsed.data.name, records: frame.records, createdBy: who(res).personId })
    res.status(201).json(saved)
  })

  /** The course template of the path when the person may do `action` in its course; otherwise the error is sent. */
  const templateFor = async (req: Parameters<typeof courseFor>[1], res: Parameters<typeof courseFor>[2], action: 'course.view' | 'course.manage') => {
    const template = validId(req.params.id) ? await courseTemplates.getCourseTemplate(sql, req.params.id) : null
    if (!template) return void sendError(req, res, 'not_found')
    if (!can(who(res), { type: action, courseId: template.courseId })) return void sendError(req, res, 'forbidden')
    return template
  }
  router.get('/course-templates/:id', async (req, res) => {
    const template = await templateFor(req, res, 'course.view')
    if (!template) return
    res.json(template)
  })
  router.delete('/course-templates/:id', async (req, res) => {
    const template = await templateFor(req, res, 'course.manage')
    if (!template) return
    await courseTemplates.deleteCourseTemplate(sql, template.id)
    res.status(204).end()
  })
}
