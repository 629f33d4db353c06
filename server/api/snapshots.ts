/**
 * Snapshot (Stand) routes of the JSON API: a municipality's snapshots with their boards, take
 * one, compare two (or one with now), read one, a board of it as SVG or tldraw JSON, and
 * restore one (what is newer is kept as a snapshot first).
 */
import type { Router } from 'express'
import { z } from 'zod'
import * as snapshots from '../../db/snapshots.server'
import { loadSide, restoreSnapshot, SnapshotInputError, takeSnapshot } from '../../collab/features/snapshots.server'
import { compareBoards } from '../../domain/snapshots/content'
import { recordsMap, storedSchema, withStateDoc } from '../../domain/board/document'
import { isPictureBusy } from '../../app/pictures/board-pictures.server'
import { localeOf, municipalityFor, sendError, validId, who, fieldIssues, type ApiDeps } from './common'

const snapshotBody = z.object({ label: z.string().trim().min(1).max(200), note: z.string().trim().max(2000).default('') })
const compareQuery = z.object({ from: z.union([z.literal('now'), z.uuid()]), to: z.union([z.literal('now'), z.uuid()]).default('now') })

/** Adds the snapshot routes to the API router. */
export function snapshotRoutes(router: Router, { sql, rooms, pictures }: ApiDeps): void {
  /** The snapshot of the path, if it belongs to the path's municipality. */
  const snapshotOf = async (municipalityId: string, snapshotId: string) => {
    const snapshot = validId(snapshotId) ? await snapshots.getSnapshot(sql, snapshotId) : null
    return snapshot && snapshot.municipalityId === municipalityId ? snapshot : null
  }
  const withBoards = async (list: snapshots.Snapshot[]) => {
    const boards = await snapshots.snapshotBoardList(
      sql,
      list.map((s) => s.id),
    )
    return list.map((s) => ({
      ...s,
      boards: boards.filter((b) => b.snapshotId === s.id).map((b) => ({ boardId: b.boardId, kind: b.boardKind, title: b.title })),
    }))
  }

  router.get('/municipalities/:id/snapshots', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.view')
    if (!municipality) return
    res.json({ snapshots: await withBoards(await snapshots.listSnapshots(sql, municipality.id)) })
  })
  router.post('/municipalities/:id/snapshots', async (req, res) => {
    const parsed = snapshotBody.safeParse(req.body)
    if (!parsed.success)
      return sendError(
        req,
        res,
        'invalid_body',
        parsed.error.issues.map((i) => i.message),
      )
    const municipality = await municipalityFor(sql, req, res, 'snapshot.take')
    if (!municipality) return
    const snapshot = await takeSnapshot({ sql, rooms, municipalityId: municipality.id, ...parsed.data, kind: 'manual', takenBy: who(res).personId, language: localeOf(req) })
    const [full] = await withBoards([snapshot])
    res.status(201).location(`/api/v1/municipalities/${municipality.id}/snapshots/${snapshot.id}`).json(full)
  })
  router.get('/municipalities/:id/snapshots/compare', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.view')
    if (!municipality) return
    const parsed = compareQuery.safeParse(req.query)
    if (!parsed.success) return sendError(req, res, 'invalid_body', fieldIssues(parsed.error))
    const [from, to] = await Promise.all([parsed.data.from, parsed.data.to].map((side) => loadSide(sql, rooms, municipality.id, side)))
    if (!from || !to) return sendError(req, res, 'not_found')
    res.json({ from: parsed.data.from, to: parsed.data.to, boards: compareBoards(from, to) })
  })
  router.get('/municipalities/:id/snapshots/:snapshotId', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    if (!snapshot) return sendError(req, res, 'not_found')
    const [full] = await withBoards([snapshot])
    res.json(full)
  })
  router.get('/municipalities/:id/snapshots/:snapshotId/boards/:boardId/svg', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    const board = snapshot ? (await snapshots.snapshotBoards(sql, snapshot.id)).find((b) => b.boardId === req.params.boardId) : null
    if (!board) return sendError(req, res, 'not_found')
    // A whiteboard is drawn as tldraw draws it (cached by its frozen state); the design document keeps its stored text page.
    let svg = board.svg
    if (board.boardKind === 'whiteboard' && pictures) {
      try {
        svg = (await pictures.draw(board.state, { title: board.title, locale: localeOf(req) })).svg
      } catch (error) {
        if (!isPictureBusy(error)) throw error
        res.setHeader('retry-after', '5')
        return sendError(req, res, 'busy')
      }
    }
    res.type('image/svg+xml').setHeader('cache-control', 'private, max-age=31536000, immutable')
    res.send(svg)
  })
  router.get('/municipalities/:id/snapshots/:snapshotId/boards/:boardId/json', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.view')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    const board = snapshot ? (await snapshots.snapshotBoards(sql, snapshot.id)).find((b) => b.boardId === req.params.boardId) : null
    if (!board || board.boardKind !== 'whiteboard') return sendError(req, res, 'not_found')
    res.json(withStateDoc(board.state, (doc) => ({ schema: storedSchema(doc) ?? snapshot!.tldrawSchema ?? null, records: [...recordsMap(doc).values()] })))
  })
  router.post('/municipalities/:id/snapshots/:snapshotId/restore', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'snapshot.restore')
    if (!municipality) return
    const snapshot = await snapshotOf(municipality.id, req.params.snapshotId)
    if (!snapshot) return sendError(req, res, 'not_found')
    try {
      const result = await restoreSnapshot({ sql, rooms, snapshotId: snapshot.id, restoredBy: who(res).personId, language: localeOf(req) })
      res.json({ restored: result.restored, missing: result.missing, newer: result.newer, beforeRestore: result.beforeRestore })
    } catch (error) {
      if (error instanceof SnapshotInputError) return sendError(req, res, 'invalid_body')
      throw error
    }
  })
}
