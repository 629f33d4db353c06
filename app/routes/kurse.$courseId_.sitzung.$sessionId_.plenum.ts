/**
 * The plenary picture: the board a lecturer has brought everyone to, drawn as SVG with its text,
 * for every person in the session's course — while the summon lasts. It is how the other groups
 * see a group's board that the access policy does not let them open.
 */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { boardInCourse, can } from '../../access/policy'
import { getBoard } from '../../db/boards.server'
import { listTeams } from '../../db/courses.server'
import { forbidden, notFound, requirePrincipal } from '~/auth.server'
import { busyResponse, isPictureBusy, pictureResponse } from '~/pictures/board-pictures.server'
import { localeFromRequest } from '~/i18n'

const params = z.object({ courseId: z.uuid(), sessionId: z.uuid() })

export async function loader({ request, context, params: raw }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const ids = params.safeParse(raw)
  if (!ids.success) throw notFound()
  const { courseId, sessionId } = ids.data
  if (!can(principal, { type: 'course.view', courseId })) throw forbidden()
  const session = await context.services.facilitation.load(sessionId)
  const summon = session && session.courseId === courseId && session.status === 'open' ? session.state.summon : null
  if (!summon) throw notFound()
  const [board, teams] = await Promise.all([getBoard(context.sql, summon.boardId), listTeams(context.sql, courseId)])
  const inCourse = board && boardInCourse(board, courseId, new Set(teams.map((t) => t.id)))
  if (!board || !inCourse) throw notFound()
  // Cached by board state: the many people polling the same state share one render (decision 0041).
  const state = await context.services.rooms.currentState(board.id)
  try {
    const picture = await context.services.boardPictures.draw(state, { title: board.title, withText: true, locale: localeFromRequest(request) })
    return pictureResponse(request, picture, 'private, no-cache')
  } catch (error) {
    if (isPictureBusy(error)) return busyResponse()
    throw error
  }
}
