/** A group board's thumbnail for the Leitstand (SVG, facilitators of the session's course only). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { boardInCourse, can } from '../../access/policy'
import { getBoard } from '../../db/boards.server'
import { listTeams } from '../../db/courses.server'
import { forbidden, notFound, requirePrincipal } from '~/auth.server'
import { sessionOfCourse } from '~/facilitation/sessions.server'
import { boardThumbnail } from '../../domain/board/svg'

const params = z.object({ courseId: z.uuid(), sessionId: z.uuid(), boardId: z.uuid() })

export async function loader({ request, context, params: raw }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const ids = params.safeParse(raw)
  if (!ids.success) throw notFound()
  const { courseId, sessionId, boardId } = ids.data
  if (!can(principal, { type: 'course.manage', courseId })) throw forbidden()
  const [session, board, teams] = await Promise.all([sessionOfCourse(context.sql, courseId, sessionId), getBoard(context.sql, boardId), listTeams(context.sql, courseId)])
  const inCourse = board && boardInCourse(board, courseId, new Set(teams.map((t) => t.id)))
  if (!session || !board || !inCourse) throw notFound()
  const svg = boardThumbnail(await context.services.rooms.currentState(board.id), board.title)
  return new Response(svg, {
    headers: { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
  })
}
