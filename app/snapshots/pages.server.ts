/** The snapshot pages' server side: the timeline, one snapshot, and a comparison — as far as the policy lets this person see and act. */
import type { AppLoadContext } from '@remix-run/node'
import { z } from 'zod'
import { can, type Principal } from '../../access/policy'
import * as courses from '../../db/courses.server'
import * as store from '../../db/snapshots.server'
import { listAudit } from '../../db/audit.server'
import { loadSide } from '../../collab/features/snapshots.server'
import type { Locale } from '~/i18n'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { compareBoards, type BoardComparison } from '../../domain/snapshots/content'
import type { Highlight } from '../../domain/board/svg'

/** The signed-in person and the municipality of the path, after checking they may see its snapshots. */
export async function snapshotScope(request: Request, context: AppLoadContext, municipalityId: string | undefined) {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(municipalityId)
  const municipality = id.success ? await courses.getMunicipality(context.sql, id.data) : null
  if (!municipality) throw notFound()
  requireCan(principal, { type: 'snapshot.view', municipalityId: municipality.id })
  return { principal, municipality }
}

/** The snapshot of the path if it belongs to the municipality, else a 404. */
export async function snapshotOf(context: AppLoadContext, municipalityId: string, snapshotId: string | undefined) {
  const id = z.uuid().safeParse(snapshotId)
  const snapshot = id.success ? await store.getSnapshot(context.sql, id.data) : null
  if (!snapshot || snapshot.municipalityId !== municipalityId) throw notFound()
  return snapshot
}

const svgUrl = (municipalityId: string, snapshotId: string, boardId: string) => `/api/v1/municipalities/${municipalityId}/snapshots/${snapshotId}/boards/${boardId}/svg`

const plain = (s: store.Snapshot) => ({
  id: s.id,
  kind: s.kind,
  label: s.label,
  note: s.note,
  takenByName: s.takenByName,
  takenAt: s.takenAt.toISOString(),
})

/** The timeline: every snapshot, newest first, with a thumbnail of each of its whiteboards. */
export async function timelinePage(context: AppLoadContext, principal: Principal, municipality: courses.Municipality) {
  const list = await store.listSnapshots(context.sql, municipality.id)
  const boards = await store.snapshotBoardList(
    context.sql,
    list.map((s) => s.id),
  )
  const audit = can(principal, { type: 'audit.view', municipalityId: municipality.id }) ? await listAudit(context.sql, municipality.id, 50) : null
  return {
    municipality: { id: municipality.id, name: municipality.name },
    canTake: can(principal, { type: 'snapshot.take', municipalityId: municipality.id }),
    audit: audit?.map((a) => ({ id: a.id, at: a.at.toISOString(), personName: a.personName, action: a.action, label: String(a.details.label ?? '') })) ?? null,
    snapshots: list.map((s) => {
      const own = boards.filter((b) => b.snapshotId === s.id)
      const whiteboards = own.filter((b) => b.boardKind === 'whiteboard')
      return {
        ...plain(s),
        boardCount: own.length,
        thumbnails: (whiteboards.length > 0 ? whiteboards : own).map((b) => ({ boardId: b.boardId, title: b.title, src: svgUrl(municipality.id, s.id, b.boardId) })),
      }
    }),
  }
}

/** One snapshot: its boards as stored SVGs, and whether this person may restore it. */
export async function snapshotPage(context: AppLoadContext, principal: Principal, municipality: courses.Municipality, snapshot: store.Snapshot) {
  const boards = await store.snapshotBoardList(context.sql, [snapshot.id])
  return {
    municipality: { id: municipality.id, name: municipality.name },
    snapshot: plain(snapshot),
    canRestore: can(principal, { type: 'snapshot.restore', municipalityId: municipality.id }),
    boards: boards.map((b) => ({
      boardId: b.boardId,
      kind: b.boardKind,
      title: b.title,
      src: svgUrl(municipality.id, snapshot.id, b.boardId),
      json: b.boardKind === 'whiteboard' ? `/api/v1/municipalities/${municipality.id}/snapshots/${snapshot.id}/boards/${b.boardId}/json` : null,
    })),
  }
}

/** A side of a comparison as the page names it: a snapshot id, or 'jetzt' for now. */
export const compareSide = z.union([z.literal('jetzt'), z.uuid()])

function highlights(board: BoardComparison, side: 'before' | 'after'): Map<string, Highlight> {
  const map = new Map<string, Highlight>()
  for (const c of board.changes) {
    if (c.area !== 'shape') continue
    if (c.change === 'added' && side === 'after') map.set(c.id, 'added')
    if (c.change === 'removed' && side === 'before') map.set(c.id, 'removed')
    if ((c.change === 'moved' || c.change === 'changed') && !map.has(c.id)) map.set(c.id, c.change)
  }
  return map
}

/** A comparison of two sides (snapshots or now): the differences per board and both boards drawn with the changes outlined. */
export async function comparePage(context: AppLoadContext, municipality: courses.Municipality, from: string, to: string, locale: Locale = 'de') {
  const side = (value: string) => loadSide(context.sql, context.services.rooms, municipality.id, value === 'jetzt' ? 'now' : value)
  const [before, after] = await Promise.all([side(from), side(to)])
  if (!before || !after) throw notFound()
  const comparison = compareBoards(before, after)
  const snapshots = await store.listSnapshots(context.sql, municipality.id)
  return {
    municipality: { id: municipality.id, name: municipality.name },
    from,
    to,
    options: snapshots.map(plain),
    boards: await Promise.all(
      comparison.map(async (board) => {
        const old = before.find((b) => b.boardId === board.boardId)
        const now = after.find((b) => b.boardId === board.boardId)
        // Unchanged boards are shown collapsed, without pictures: nothing to compare.
        const draw = board.kind === 'whiteboard' && (board.changes.length > 0 || board.presence !== 'both')
        const picture = (side: typeof old, which: 'before' | 'after') =>
          draw && side ? context.services.boardPictures.draw(side.state, { title: side.title, highlight: highlights(board, which), locale }).then((p) => p.svg) : null
        return { ...board, svgBefore: await picture(old, 'before'), svgAfter: await picture(now, 'after') }
      }),
    ),
  }
}
