/**
 * `POST /api/v1/courses/:id/participants/import`: the course page's CSV import for scripts.
 * The body is the CSV file as it is (any encoding the page accepts; `Content-Type: text/csv`).
 * Without `?commit=true` it is a preview and writes nothing (200 when valid, 422 with the
 * per-row errors otherwise); with it, a valid file is imported (201 with the invitation links
 * for new people and the count of existing accounts that got the role), an invalid one is not (422).
 */
import express, { type Router } from 'express'
import { z } from 'zod'
import { can, type Principal } from '../../access'
import { previewImport, runImport, type ImportPreview } from '../../access/participant-import.server'
import type { Sql } from '../../db/client.server'
import * as courses from '../../db/courses.server'
import * as people from '../../db/people.server'
import { sendError } from './common'

const path = /^\/courses\/[^/]+\/participants\/import\/?$/

/** True for the request whose body is a CSV file, not JSON (the API's JSON parser leaves it alone). */
export function isParticipantImport(req: express.Request): boolean {
  return req.method === 'POST' && path.test(req.path)
}

const query = z.object({ commit: z.enum(['true', 'false', '1', '0']).optional() })

/** The preview as the API answers it (without the decoded text the page needs). */
const previewBody = (preview: ImportPreview) => ({ ok: preview.ok, fileError: preview.fileError, encoding: preview.encoding, rows: preview.rows })

/** The import route; mounted after the API's sign-in check (res.locals.principal is set). */
export function participantImportRouter(deps: {
  sql: Sql
  /** Origin for invitation links (PUBLIC_URL); default: the request's own. */
  publicUrl: string | undefined
  /** Re-checks a person's open connections after they got a role. */
  accessChanged: (personId: string) => Promise<void>
}): Router {
  const router = express.Router()
  const csvBody = express.raw({ type: () => true, limit: 1024 * 1024 })
  router.post('/courses/:id/participants/import', csvBody, (req, res, next) => {
    void (async () => {
      const principal = (res.locals as { principal: Principal }).principal
      const course = z.uuid().safeParse(req.params.id).success ? await courses.getCourse(deps.sql, req.params.id) : null
      if (!course) return sendError(req, res, 'not_found')
      if (!can(principal, { type: 'course.manage', courseId: course.id })) return sendError(req, res, 'forbidden')
      const options = query.safeParse(req.query)
      if (!options.success) return sendError(req, res, 'invalid_body', ['commit: must be true or false'])
      const bytes = req.body instanceof Buffer ? new Uint8Array(req.body) : new Uint8Array()
      const commit = options.data.commit === 'true' || options.data.commit === '1'
      if (!commit) {
        const preview = await previewImport(deps.sql, course.id, bytes)
        return res.status(preview.ok ? 200 : 422).json(previewBody(preview))
      }
      const result = await runImport(deps.sql, course.id, bytes, principal.personId)
      if (!result.ok) return res.status(422).json(previewBody(result.preview))
      const origin = deps.publicUrl ?? `${req.protocol}://${req.get('host')}`
      for (const email of result.granted) {
        const person = await people.findPersonByEmail(deps.sql, email)
        if (person) await deps.accessChanged(person.id)
      }
      res.status(201).json({
        invited: result.invited.map((p) => ({ email: p.email, name: p.name, link: new URL(p.path, origin).toString() })),
        granted: result.granted.length,
      })
    })().catch(next)
  })
  return router
}
