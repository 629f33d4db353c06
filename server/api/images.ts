/**
 * Picture routes of the JSON API: upload a picture to a board (`board.edit`; the raw bytes as
 * the body, type recognised from the content, size limited by MAX_IMAGE_BYTES, nothing stored
 * otherwise) and fetch it (`board.view` on the board it was placed on — only people with
 * access to that board's municipality or course see it).
 */
import express from 'express'
import { boardAccess } from '../../access'
import * as boards from '../../db/boards.server'
import * as images from '../../db/board-images.server'
import { sendError, validId, who, type ApiDeps } from './common'

/** True for the one request whose body is a picture, not JSON (the JSON parser leaves it alone). */
export function isImageUpload(req: express.Request): boolean {
  return req.method === 'POST' && /^\/boards\/[^/]+\/images\/?$/.test(req.path)
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`

/** Adds the picture routes to the API router. */
export function imageRoutes(router: express.Router, deps: ApiDeps): void {
  const { sql } = deps
  const raw = express.raw({ type: () => true, limit: deps.maxImageBytes })

  router.post('/boards/:id/images', async (req, res) => {
    const board = await boards.getBoard(sql, req.params.id)
    if (!board) return sendError(req, res, 'not_found')
    if (boardAccess(who(res), board) !== 'write') return sendError(req, res, 'forbidden')
    const tooLarge = () => sendError(req, res, 'image_too_large', { maxBytes: deps.maxImageBytes }, { max: megabytes(deps.maxImageBytes) })
    if (Number(req.headers['content-length'] ?? 0) > deps.maxImageBytes) {
      // Say so at once; the rest of the upload is read and dropped so the client hears the answer.
      req.resume()
      return req.once('end', tooLarge)
    }
    const error = await new Promise<{ type?: string } | null>((resolve) => raw(req, res, (err?: unknown) => resolve((err as { type?: string }) ?? null)))
    if (error) return error.type === 'entity.too.large' ? tooLarge() : sendError(req, res, 'invalid_body')
    const bytes: unknown = req.body
    if (!(bytes instanceof Buffer) || bytes.byteLength === 0) return sendError(req, res, 'image_type')
    const mime = images.sniffImageType(bytes)
    if (!mime) return sendError(req, res, 'image_type')
    const id = await images.storeImage(sql, { boardId: board.id, mime, bytes, createdBy: who(res).personId })
    res
      .status(201)
      .location(`/api/v1/images/${id}`)
      .json({ id, src: `/api/v1/images/${id}`, mime, size: bytes.byteLength })
  })

  router.get('/images/:id', async (req, res) => {
    const image = validId(req.params.id) ? await images.getImage(sql, req.params.id) : null
    if (!image) return sendError(req, res, 'not_found')
    const board = await boards.getBoard(sql, image.boardId)
    if (!board || boardAccess(who(res), board) === 'none') return sendError(req, res, 'forbidden')
    res.setHeader('content-type', image.mime)
    res.setHeader('cache-control', 'private, max-age=31536000, immutable')
    res.setHeader('content-disposition', 'inline')
    res.send(image.bytes)
  })
}
