/** The Leitstand of a live session: facilitators see every group; participants are sent to their group's board. */
import { useLoaderData } from '@remix-run/react'
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { z } from 'zod'
import { can } from '../../access/policy'
import { listBoards } from '../../db/boards.server'
import { getCourse } from '../../db/courses.server'
import { forbidden, notFound, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { Leitstand } from '~/facilitation/Leitstand'
import { groupActivity } from '~/facilitation/group-activity.server'
import { scriptPath } from '~/facilitation/script.server'
import { groupsWithBoards, participantDestination, sessionOfCourse } from '~/facilitation/sessions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Leitstand · ${data.session.title} · Werkraum` : 'Werkraum' }]

const params = z.object({ courseId: z.uuid(), sessionId: z.uuid() })

export async function loader({ request, context, params: raw }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const ids = params.safeParse(raw)
  if (!ids.success) throw notFound()
  const [course, session] = await Promise.all([getCourse(context.sql, ids.data.courseId), sessionOfCourse(context.sql, ids.data.courseId, ids.data.sessionId)])
  if (!course || !session) throw notFound()
  if (!can(principal, { type: 'course.manage', courseId: course.id })) {
    if (can(principal, { type: 'course.view', courseId: course.id })) throw redirect(await participantDestination(context.sql, principal, course.id))
    throw forbidden()
  }
  // A planned session is not open yet: its lecturers prepare it on the script page.
  if (session.status === 'planned') throw redirect(scriptPath(course.id, session.id))
  const [groups, courseBoards] = await Promise.all([groupsWithBoards(context.sql, course.id), listBoards(context.sql, { courseIds: [course.id] })])
  const presence = await context.services.boardPresence(groups.flatMap((g) => (g.board ? [g.board.id] : [])))
  const live = await context.services.facilitation.load(session.id)
  const activity = live
    ? await groupActivity(
        context.services.rooms,
        live.state,
        groups.flatMap((g) => (g.board && g.boardUpdatedAt ? [{ id: g.board.id, updatedAt: g.boardUpdatedAt }] : [])),
      )
    : {}
  return {
    course: { id: course.id, name: course.name },
    session: { id: session.id, title: session.title },
    groups: groups.map(({ boardUpdatedAt: _updatedAt, ...g }) => ({ ...g, present: g.board ? (presence[g.board.id] ?? 0) : 0, activity: g.board ? (activity[g.board.id] ?? null) : null })),
    serverNow: Date.now(),
    courseBoards: courseBoards.map((b) => ({ id: b.id, title: b.title })),
  }
}

export default function LeitstandPage() {
  const page = useLoaderData<typeof loader>()
  return (
    <>
      <AppHeader />
      <Leitstand {...page} />
    </>
  )
}
