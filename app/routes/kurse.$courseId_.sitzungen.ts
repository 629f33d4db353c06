/** Opens a live session for a course (the form on the course page) and leads to its Leitstand, or plans one and leads to its script page. */
import { data, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getCourse } from '../../db/courses.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { scriptPath } from '~/facilitation/script.server'
import { leitstandPath, openSessionFields, openSessionForm } from '~/facilitation/sessions.server'

export async function loader({ params }: ActionFunctionArgs) {
  return redirect(`/kurse/${params.courseId ?? ''}`)
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const courseId = z.uuid().safeParse(params.courseId)
  const course = courseId.success ? await getCourse(context.sql, courseId.data) : null
  if (!course) throw notFound()
  requireCan(principal, { type: 'course.manage', courseId: course.id })
  const form = await request.formData()
  const parsed = openSessionForm.safeParse(openSessionFields(form))
  if (!parsed.success) return data({ error: 'facilitation.invalid' }, { status: 400 })
  // "Plan for later" keeps the session closed and leads to its script page to prepare the phases.
  const planned = form.get('intent') === 'plan'
  const session = await context.services.facilitation.open({ courseId: course.id, createdBy: principal.personId, ...parsed.data, status: planned ? 'planned' : 'open' })
  return redirect(planned ? scriptPath(course.id, session.id) : leitstandPath(course.id, session.id))
}
