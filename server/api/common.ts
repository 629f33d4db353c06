/**
 * What every router of the JSON API shares: the stable error codes and `sendError`, the
 * principal of a request (resolved once by `authenticate`, read with `who`), the resource of a
 * path checked against the policy (`courseFor`, `municipalityFor`), the request's language, a
 * router whose async handlers reach the error handler, and the dependencies a router is given.
 */
import express, { type ErrorRequestHandler, type Router } from 'express'
import { z, type ZodError } from 'zod'
import { can, principalFor, type Action, type Principal } from '../../access'
import type { Sql } from '../../db/client.server'
import type { BoardPictures } from '../../app/pictures/board-pictures.server'
import * as courses from '../../db/courses.server'
import type { Rooms } from '../../collab/rooms'
import type { BeforeImportPolicy } from '../../collab/features/board-export.server'
import type { LiveAccess } from '../live-access'
import type { CommentEvents } from './comments'

export const apiErrors = {
  unauthorized: { status: 401, de: 'Anmeldung erforderlich (Sitzung oder Zugangstoken).', en: 'Sign-in required (session or access token).' },
  forbidden: { status: 403, de: 'Dafür fehlt Ihnen die Berechtigung.', en: 'You are not allowed to do this.' },
  not_found: { status: 404, de: 'Nicht gefunden.', en: 'Not found.' },
  invalid_json: { status: 400, de: 'Der Inhalt ist kein gültiges JSON.', en: 'The body is not valid JSON.' },
  invalid_body: { status: 400, de: 'Die Angaben sind unvollständig oder ungültig.', en: 'The input is incomplete or invalid.' },
  conflict: { status: 409, de: 'Das gibt es bereits.', en: 'This already exists.' },
  person_unknown: { status: 404, de: 'Unter dieser E-Mail-Adresse ist niemand registriert; laden Sie die Person ein.', en: 'Nobody is registered with this email address; invite them instead.' },
  invalid_board_file: { status: 400, de: 'Die Datei ist keine gültige tldraw-Datei; am Board wurde nichts geändert.', en: 'The file is not a valid tldraw file; the board was not changed.' },
  import_too_large: { status: 413, de: 'Die Datei ist zu groß für einen Import (höchstens {{max}}).', en: 'The file is too large to import (at most {{max}}).' },
  too_large: { status: 413, de: 'Der Inhalt ist zu groß.', en: 'The body is too large.' },
  image_too_large: { status: 413, de: 'Das Bild ist zu groß. Bitte verkleinern Sie es (höchstens {{max}}).', en: 'The picture is too large. Please make it smaller (at most {{max}}).' },
  image_type: {
    status: 415,
    de: 'Das ist kein Bild im Format PNG, JPEG, GIF oder WebP (erkannt am Inhalt, nicht am Dateinamen).',
    en: 'This is not a PNG, JPEG, GIF or WebP picture (recognised by its content, not its name).',
  },
  busy: { status: 503, de: 'Das Bild wird gerade erzeugt; bitte in einigen Sekunden erneut versuchen.', en: 'The picture is being made; please try again in a few seconds.' },
  internal: { status: 500, de: 'Interner Fehler.', en: 'Internal error.' },
} as const

export type ApiErrorCode = keyof typeof apiErrors

/** The language of an API request: English when it asks for it, else German. */
export const localeOf = (req: express.Request) => (/^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'de') as 'de' | 'en'

/** Sends `{ error: { code, message, details? } }` in the request's language (German unless it asks for English). */
export function sendError(req: express.Request, res: express.Response, code: ApiErrorCode, details?: unknown, values: Record<string, string> = {}) {
  const entry = apiErrors[code]
  const english = localeOf(req) === 'en'
  let message = entry[localeOf(req)].replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '')
  // An invalid body names its fields in the message ("field: problem" details).
  const fields = code === 'invalid_body' && Array.isArray(details) ? [...new Set(details.flatMap((d) => (typeof d === 'string' && /^[\w.[\]]+:/.test(d) ? [d.slice(0, d.indexOf(':'))] : [])))] : []
  if (fields.length > 0) message = `${message.replace(/\.$/, '')} (${english ? (fields.length > 1 ? 'fields' : 'field') : fields.length > 1 ? 'Felder' : 'Feld'}: ${fields.join(', ')}).`
  // A server error carries the request id it is logged with (server/errors.ts), for the operator.
  const requestId = entry.status >= 500 ? res.locals.requestId : undefined
  res.status(entry.status).json({ error: { code, message, ...(details ? { details } : {}), ...(requestId ? { requestId } : {}) } })
}

/** The issues of a failed body validation as `field: problem` lines (the field named as the client sent it). */
export function fieldIssues(error: ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
}

/** What the API routers are given by the server. */
export type ApiDeps = {
  sql: Sql
  live: LiveAccess
  rooms: Rooms
  comments: CommentEvents
  maxBodyBytes: number
  maxImageBytes: number
  /** The body limit of a board import (a whole board's file). */
  maxImportBytes: number
  /** Rate and retention of the "vor Import" Stände (collab/board-export.server.ts). */
  beforeImport: BeforeImportPolicy
  /** Removes a deleted person's name from every board and design document (stored before anyone sees it). */
  scrubPerson?: (personId: string, name: string) => Promise<unknown>
  /** Closes the sockets opened with a token that was just revoked. */
  tokenRevoked?: (tokenId: string) => void
  /** The address people use (PUBLIC_URL), for absolute links; default: the request's origin. */
  publicUrl?: string
  /** Whiteboards drawn as tldraw draws them (decision 0041); without it, the pictures stored with a snapshot are served. */
  pictures?: BoardPictures
}

/** One resource's routes: adds them to the API router (one call in server/api/index.ts). */
export type ApiRoutes = (router: Router, deps: ApiDeps) => void

type Locals = { principal: Principal }

/** Resolves the principal of every request (session cookie or bearer token); 401 without one. */
export function authenticate(sql: Sql): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const principal = await principalFor(sql, { cookie: req.headers.cookie, authorization: req.headers.authorization })
      if (!principal) return sendError(req, res, 'unauthorized')
      ;(res.locals as Locals).principal = principal
      next()
    } catch (error) {
      next(error)
    }
  }
}

/** The principal of the request, resolved by `authenticate`. */
export const who = (res: express.Response) => (res.locals as Locals).principal

const uuid = z.uuid()

/** True for an id that can name a row (a UUID); anything else is simply not found. */
export const validId = (id: string) => uuid.safeParse(id).success

type CourseAction = Extract<Action, { courseId: string }>['type']
type MunicipalityAction = Extract<Action, { municipalityId: string }>['type']

/** The course of the path (`:id`) when the person may do `action` on it; otherwise the error is sent and undefined returned. */
export async function courseFor(sql: Sql, req: express.Request, res: express.Response, action: CourseAction) {
  const course = validId(req.params.id) ? await courses.getCourse(sql, req.params.id) : null
  if (!course) return void sendError(req, res, 'not_found')
  if (!can(who(res), { type: action, courseId: course.id } as Action)) return void sendError(req, res, 'forbidden')
  return course
}

/** The municipality of the path (`:id`) when the person may do `action` there; otherwise the error is sent and undefined returned. */
export async function municipalityFor(sql: Sql, req: express.Request, res: express.Response, action: MunicipalityAction) {
  const municipality = validId(req.params.id) ? await courses.getMunicipality(sql, req.params.id) : null
  if (!municipality) return void sendError(req, res, 'not_found')
  if (!can(who(res), { type: action, municipalityId: municipality.id } as Action)) return void sendError(req, res, 'forbidden')
  return municipality
}

/** A router whose async handlers pass their errors to the error handler (Express 4 would not). */
export function asyncRouter(): Router {
  const router = express.Router()
  for (const method of ['get', 'post', 'put', 'delete'] as const) {
    const original = router[method].bind(router) as (path: string, ...handlers: express.RequestHandler[]) => Router
    ;(router as unknown as Record<string, unknown>)[method] = (path: string, ...handlers: express.RequestHandler[]) =>
      original(
        path,
        ...handlers.map(
          (h): express.RequestHandler =>
            (req, res, next) =>
              Promise.resolve(h(req, res, next)).catch(next),
        ),
      )
  }
  return router
}

/** The end of the API router: `not_found` for any other path, and every error as JSON with a stable code. */
export function endOfApi(router: Router): void {
  router.use((req, res) => sendError(req, res, 'not_found'))
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (error?.type === 'entity.parse.failed') return sendError(req, res, 'invalid_json')
    if (error?.type === 'entity.too.large') return sendError(req, res, 'too_large')
    res.locals.log?.error?.({ err: error }, 'api error')
    sendError(req, res, 'internal')
  }
  router.use(onError)
}
