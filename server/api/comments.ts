/**
 * Comment routes of the JSON API: threads on a board's shapes or the Systemdesign's entries and
 * sections, replies, @-mentions, resolve/reopen. Reading needs `board.view`, writing
 * `board.edit` (guests read, never write); every change is stored, then announced live over
 * socket.io to the board's event room (and to the people mentioned).
 */
import type express from 'express'
import { z } from 'zod'
import { boardAccess, loadPrincipal } from '../../access'
import * as boards from '../../db/boards.server'
import * as comments from '../../db/comments.server'
import { municipalityFor, sendError, validId, who, type ApiDeps } from './common'
import { threadsOfDesign } from '../../app/comments/comments.server'

/** Where live comment changes go (socket.io in the server; nothing in tests of the router alone). */
export type CommentEvents = {
  threadChanged(thread: comments.Thread): void
  mentioned(personIds: string[], thread: comments.Thread): void
}

const uuid = z.uuid()
const body = z.string().trim().min(1).max(5000)
const mentions = z.array(uuid).max(20).default([])
const newThread = z.object({
  anchor: z.object({ kind: z.enum(comments.anchorKinds), id: z.string().max(200).default(''), label: z.string().trim().max(200).default('') }),
  body,
  mentions,
})
const reply = z.object({ body, mentions })
const status = z.object({ status: z.enum(['open', 'resolved']) })

/** Adds the comment routes to the API router. */
export function commentRoutes(router: express.Router, deps: ApiDeps): void {
  const { sql } = deps

  /** The mentioned people that may be mentioned here (members who can see the board), or null when one may not. */
  async function checkMentions(board: boards.Board, ids: string[]): Promise<string[] | null> {
    const unique = [...new Set(ids)]
    const candidates = new Set((await comments.mentionCandidates(sql, board)).map((p) => p.id))
    for (const id of unique) {
      if (!candidates.has(id)) return null
      if (boardAccess(await loadPrincipal(sql, id), board) === 'none') return null
    }
    return unique
  }

  async function boardFor(req: express.Request, res: express.Response, need: 'read' | 'write', boardId: string) {
    const board = await boards.getBoard(sql, boardId)
    if (!board) return void sendError(req, res, 'not_found')
    const access = boardAccess(who(res), board)
    if (access === 'none' || (need === 'write' && access !== 'write')) return void sendError(req, res, 'forbidden')
    return board
  }

  const announce = (thread: comments.Thread, mentioned: string[] = []) => {
    deps.comments.threadChanged(thread)
    if (mentioned.length > 0) deps.comments.mentioned(mentioned, thread)
  }

  router.get('/boards/:id/comments', async (req, res) => {
    const board = await boardFor(req, res, 'read', req.params.id)
    if (!board) return
    res.json({ threads: await comments.listThreads(sql, [board.id], { all: req.query.status === 'all' }) })
  })
  router.get('/boards/:id/mentionable', async (req, res) => {
    const board = await boardFor(req, res, 'read', req.params.id)
    if (!board) return
    const people = []
    for (const p of await comments.mentionCandidates(sql, board)) {
      if (boardAccess(await loadPrincipal(sql, p.id), board) !== 'none') people.push(p)
    }
    res.json({ people })
  })
  router.post('/boards/:id/comments', async (req, res) => {
    const parsed = newThread.safeParse(req.body)
    if (!parsed.success)
      return sendError(
        req,
        res,
        'invalid_body',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      )
    const board = await boardFor(req, res, 'write', req.params.id)
    if (!board) return
    if (parsed.data.anchor.kind !== 'board' && !parsed.data.anchor.id) return sendError(req, res, 'invalid_body', ['anchor.id'])
    const mentioned = await checkMentions(board, parsed.data.mentions)
    if (!mentioned) return sendError(req, res, 'invalid_body', ['mentions'])
    const thread = await comments.createThread(sql, { boardId: board.id, anchor: parsed.data.anchor, authorId: who(res).personId, body: parsed.data.body, mentions: mentioned })
    announce(thread, mentioned)
    res.status(201).json(thread)
  })
  router.post('/comment-threads/:id/replies', async (req, res) => {
    const parsed = reply.safeParse(req.body)
    if (!parsed.success)
      return sendError(
        req,
        res,
        'invalid_body',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      )
    const thread = validId(req.params.id) ? await comments.getThread(sql, req.params.id) : null
    if (!thread) return sendError(req, res, 'not_found')
    const board = await boardFor(req, res, 'write', thread.boardId)
    if (!board) return
    const mentioned = await checkMentions(board, parsed.data.mentions)
    if (!mentioned) return sendError(req, res, 'invalid_body', ['mentions'])
    const next = await comments.addReply(sql, thread.id, { authorId: who(res).personId, body: parsed.data.body, mentions: mentioned })
    announce(next, mentioned)
    res.status(201).json(next)
  })
  router.put('/comment-threads/:id/status', async (req, res) => {
    const parsed = status.safeParse(req.body)
    if (!parsed.success) return sendError(req, res, 'invalid_body')
    const thread = validId(req.params.id) ? await comments.getThread(sql, req.params.id) : null
    if (!thread) return sendError(req, res, 'not_found')
    const board = await boardFor(req, res, 'write', thread.boardId)
    if (!board) return
    const next = await comments.setThreadStatus(sql, thread.id, parsed.data.status, who(res).personId)
    announce(next)
    res.json(next)
  })
  router.get('/municipalities/:id/comments', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'municipality.view')
    if (!municipality) return
    res.json({ threads: await threadsOfDesign(sql, who(res), municipality.id, { all: req.query.status === 'all' }) })
  })
}
