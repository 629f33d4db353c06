/**
 * Municipality routes of the JSON API: list the municipalities one may see, create one, read
 * one with its Systemdesign and boards, set the Systemdesign's status, and read its audit log.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { can } from '../../access'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import { listAudit } from '../../db/audit.server'
import { municipalityFor, sendError, who, fieldIssues, type ApiDeps } from './common'

const createMunicipalityBody = z.object({ name: z.string().trim().min(1).max(200), kind: z.enum(['Stadt', 'Kreis', 'Gemeinde']) })
const statusBody = z.object({ status: z.enum(courses.designStatuses) })

/** Adds the municipality routes to the API router. */
export function municipalityRoutes(router: Router, { sql }: ApiDeps): void {
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
    const municipality = await municipalityFor(sql, req, res, 'municipality.view')
    if (!municipality) return
    res.json({ ...municipality, design: await courses.getDesign(sql, municipality.id), boards: await boards.listBoards(sql, { municipalityIds: [municipality.id] }) })
  })
  router.put('/municipalities/:id/design/status', async (req, res) => {
    const parsed = statusBody.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const municipality = await municipalityFor(sql, req, res, 'design.status')
    if (!municipality) return
    await courses.setDesignStatus(sql, municipality.id, parsed.data.status)
    res.json(await courses.getDesign(sql, municipality.id))
  })
  router.get('/municipalities/:id/audit', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'audit.view')
    if (!municipality) return
    res.json({ entries: await listAudit(sql, municipality.id) })
  })
}
