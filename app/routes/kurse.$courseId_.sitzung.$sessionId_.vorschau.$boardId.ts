/** A group board's thumbnail for the Leitstand (SVG, facilitators of the session's course only). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { boardInCourse, can } from '../../access/policy'
import { getBoard } from '../../db/boards.server'
import { listTeams } from '../../db/courses.server'
import { forbidden, notFound, requirePrincipal } from '~/auth.server'
import { sessionOfCourse } from '~/facilitation/sessions.server'
import { busyResponse, isPictureBusy, pictureResponse } from '~/pictures/board-pictures.server'
import { localeFromRequest } from '~/i18n'

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
  // Cached by board state: the many people polling the same state share one render (decision 0041).
  const state = await context.services.rooms.currentState(board.id)
  try {
    const picture = await context.services.boardPictures.draw(state, { title: board.title, withText: false, locale: localeFromRequest(request) })
    return pictureResponse(request, picture, 'private, no-cache')
  } catch (error) {
    if (isPictureBusy(error)) return busyResponse()
    throw error
  }
}
