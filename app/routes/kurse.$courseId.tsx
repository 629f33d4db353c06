/** One course round: modules 1–5, municipalities and teams, course boards, people with roles, invitations. */
import { useActionData, useLoaderData } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { z } from 'zod'
import { roles } from '../../access/policy'
import { createBoard } from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import { coursePage, createMunicipalityInCourse, inviteToCourse, revokeInCourse } from '~/admin/courses.server'
import { CourseView, type CourseReply } from '~/admin/CourseView'
import { forbidden, notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { courseSessions, plannedCourseSessions } from '~/facilitation/sessions.server'
import { OpenSessionForm, OpenSessions, PlannedSessions } from '~/facilitation/SessionLists'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.course.name} · Werkraum` : 'Werkraum' }]

async function loadCourse(params: { courseId?: string }, sql: Parameters<typeof courses.getCourse>[0]) {
  const id = z.uuid().safeParse(params.courseId)
  const course = id.success ? await courses.getCourse(sql, id.data) : null
  if (!course) throw notFound()
  return course
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const course = await loadCourse(params, context.sql)
  requireCan(principal, { type: 'course.view', courseId: course.id })
  const [page, sessions, planned] = await Promise.all([
    coursePage(context.sql, principal, course),
    courseSessions(context.sql, principal, course.id),
    plannedCourseSessions(context.sql, principal, course.id),
  ])
  return { ...page, sessions, planned }
}

const optionalDate = z.union([z.literal('').transform(() => null), z.iso.date()])
const title = z.string().trim().min(1).max(200)
const intents = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('module'),
    number: z.coerce.number().int().min(1).max(5),
    title,
    startsOn: optionalDate,
    endsOn: optionalDate,
    place: z.string().trim().max(200).default(''),
  }),
  z.object({ intent: z.literal('addTeam'), municipalityId: z.uuid() }),
  z.object({ intent: z.literal('createMunicipality'), name: title, kind: z.enum(['Stadt', 'Kreis', 'Gemeinde']) }),
  z.object({ intent: z.literal('createBoard'), title }),
  z.object({
    intent: z.literal('invite'),
    email: z.string().trim().pipe(z.email()),
    role: z.enum(roles),
    municipalityId: z.union([z.literal('').transform(() => null), z.uuid()]),
  }),
  z.object({ intent: z.literal('revoke'), membershipId: z.uuid() }),
])

const invalidMessage: Record<string, string> = {
  module: 'course.moduleInvalid',
  createMunicipality: 'course.municipalityInvalid',
  createBoard: 'boards.titleRequired',
  invite: 'invitations.invalid',
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const course = await loadCourse(params, context.sql)
  const form = Object.fromEntries(await request.formData())
  const parsed = intents.safeParse(form)
  const reply = (body: CourseReply, status = 200) => data(body, { status })
  if (!parsed.success) {
    const intent = String(form.intent ?? '')
    return reply({ intent, error: invalidMessage[intent] ?? 'common.invalid', number: Number(form.number) || undefined }, 400)
  }
  const input = parsed.data
  switch (input.intent) {
    case 'module': {
      requireCan(principal, { type: 'course.manage', courseId: course.id })
      const { intent, number, ...module } = input
      await courses.upsertModule(context.sql, course.id, { number, ...module })
      return reply({ intent, number, notice: 'course.moduleSaved' })
    }
    case 'addTeam': {
      requireCan(principal, { type: 'course.manage', courseId: course.id })
      const municipality = await courses.getMunicipality(context.sql, input.municipalityId)
      if (!municipality) throw notFound()
      await courses.addTeam(context.sql, course.id, municipality.id)
      return reply({ intent: 'teams', notice: 'course.teamAdded', name: municipality.name })
    }
    case 'createMunicipality': {
      requireCan(principal, { type: 'course.manage', courseId: course.id })
      requireCan(principal, { type: 'municipality.create' })
      const created = await createMunicipalityInCourse(context.sql, course.id, { name: input.name, kind: input.kind })
      if (!created) return reply({ intent: 'teams', error: 'course.municipalityExists' }, 409)
      return reply({ intent: 'teams', notice: 'course.teamAdded', name: created.name })
    }
    case 'createBoard': {
      const owner = { courseId: course.id, municipalityId: null }
      requireCan(principal, { type: 'board.create', board: owner })
      const board = await createBoard(context.sql, { title: input.title, ...owner })
      return redirect(`/boards/${board.id}`)
    }
    case 'invite': {
      const result = await inviteToCourse(context, principal, course.id, input)
      if (!result.ok) return reply({ intent: 'invite', error: `invitations.${result.error}` }, result.error === 'notAllowed' ? 403 : 400)
      return reply({ intent: 'invite', invitation: result })
    }
    case 'revoke': {
      const outcome = await revokeInCourse(context, principal, course.id, input.membershipId)
      if (outcome === 'not_found') throw notFound()
      if (outcome === 'forbidden') throw forbidden()
      return reply({ intent: 'people', notice: 'course.revoked' })
    }
  }
}

export default function CoursePage() {
  const page = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  return (
    <>
      <AppHeader />
      <div className="page wide course-sessions">
        <OpenSessions sessions={page.sessions} hideWhenEmpty={!page.manage} />
        {page.manage ? <PlannedSessions sessions={page.planned} /> : null}
        {page.manage ? <OpenSessionForm courseId={page.course.id} /> : null}
      </div>
      <CourseView page={page} reply={reply ?? null} />
    </>
  )
}
