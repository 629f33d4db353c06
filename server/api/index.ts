/**
 * The JSON API under /api/v1 for municipal IT: personal access tokens
 * (`Authorization: Bearer wr_pat_…`) or the session cookie; every body validated with zod;
 * every operation checked by the access policy; errors are JSON with a stable code.
 * Documented in docs/api.md. This module only mounts: the body parser, the sign-in check, one
 * router per resource (each in its own file beside its schemas), and the error handler.
 */
import express, { type Router } from 'express'
import { asyncRouter, authenticate, endOfApi, type ApiDeps, type ApiRoutes } from './common'
import { adminRoutes } from './admin'
import { boardRoutes, isBoardImport } from './boards'
import { commentRoutes } from './comments'
import { courseRoutes } from './courses'
import { imageRoutes, isImageUpload } from './images'
import { membershipRoutes } from './memberships'
import { municipalityRoutes } from './municipalities'
import { peopleRoutes } from './people'
import { snapshotRoutes } from './snapshots'
import { templateRoutes } from './templates'
import { tokensRouter } from './tokens'
import { isParticipantImport, participantImportRouter } from './participant-import'

export type { ApiDeps } from './common'
export type { CommentEvents } from './comments'

/** Every resource of the API; a new one is one more entry (decision 0030). */
const resources: ApiRoutes[] = [
  peopleRoutes,
  boardRoutes,
  imageRoutes,
  commentRoutes,
  templateRoutes,
  courseRoutes,
  municipalityRoutes,
  snapshotRoutes,
  membershipRoutes,
  adminRoutes,
  (router, deps) => router.use(tokensRouter({ sql: deps.sql, tokenRevoked: deps.tokenRevoked ?? (() => {}) })),
  (router, deps) => router.use(participantImportRouter({ sql: deps.sql, publicUrl: deps.publicUrl, accessChanged: (id) => deps.live.changed(id) })),
]

/** The /api/v1 router. */
export function apiRouter(deps: ApiDeps): Router {
  const router = asyncRouter()
  // Pictures and board files bring their own body parsers (their own types and limits).
  router.use(
    express.json({
      limit: deps.maxBodyBytes,
      strict: false,
      type: (req) => !isImageUpload(req as express.Request) && !isBoardImport(req as express.Request) && !isParticipantImport(req as express.Request),
    }),
  )
  router.use(authenticate(deps.sql))
  for (const routes of resources) routes(router, deps)
  endOfApi(router)
  return router
}
