/** The session script page (Ablaufplan): a lecturer edits a planned session's phases and opens it. */
import { useLoaderData } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { z } from 'zod'
import { CommandRefused, type Actor } from '../../collab/features/facilitation.server'
import { foreignTemplate, planProblem, planSchema } from '../../collab/features/session-script.server'
import { getCourse } from '../../db/courses.server'
import { listPhases } from '../../db/facilitation.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { ScriptEditor } from '~/facilitation/ScriptEditor'
import { scriptFields, scriptTemplateOptions } from '~/facilitation/script.server'
import { leitstandPath, sessionOfCourse } from '~/facilitation/sessions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Ablaufplan · ${data.session.title} · Werkraum` : 'Werkraum' }]

const params = z.object({ courseId: z.uuid(), sessionId: z.uuid() })

/** The course and session of the address, for a person who manages the course (else 404/403). */
async function load(request: Request, context: LoaderFunctionArgs['context'], raw: LoaderFunctionArgs['params']) {
  const principal = await requirePrincipal(request, context)
  const ids = params.safeParse(raw)
  if (!ids.success) throw notFound()
  const [course, session] = await Promise.all([getCourse(context.sql, ids.data.courseId), sessionOfCourse(context.sql, ids.data.courseId, ids.data.sessionId)])
  if (!course || !session) throw notFound()
  requireCan(principal, { type: 'course.manage', courseId: course.id })
  return { principal, course, session }
}

export async function loader({ request, context, params: raw }: LoaderFunctionArgs) {
  const { course, session } = await load(request, context, raw)
  const [phases, templates] = await Promise.all([listPhases(context.sql, session.id), scriptTemplateOptions(context.sql, course.id)])
  return {
    course: { id: course.id, name: course.name },
    session: { id: session.id, title: session.title, moduleNumber: session.moduleNumber, status: session.status },
    phases: phases.map(({ id: _id, position: _position, ...phase }) => phase),
    templates,
    leitstand: leitstandPath(course.id, session.id),
  }
}

export async function action({ request, context, params: raw }: ActionFunctionArgs) {
  const { principal, course, session } = await load(request, context, raw)
  const actor: Actor = { personId: principal.personId, name: '', role: 'facilitator', municipalityId: null }
  const form = await request.formData()
  const facilitation = context.services.facilitation
  const notPlanned = () => data({ ok: false as const, error: { key: 'script.errors.notPlanned', phase: null } }, { status: 409 })
  if (session.status !== 'planned') return notPlanned()
  try {
    const parsed = planSchema.safeParse(scriptFields(form))
    if (!parsed.success) return data({ ok: false as const, error: planProblem(parsed.error) }, { status: 400 })
    const foreign = await foreignTemplate(context.sql, course.id, parsed.data.phases)
    if (foreign !== null) return data({ ok: false as const, error: { key: 'script.errors.template', phase: foreign } }, { status: 400 })
    await facilitation.replanned(session.id, actor, parsed.data)
    // Opening saves the script as shown first, so nothing typed is lost.
    if (form.get('intent') === 'open') {
      await facilitation.openPlanned(session.id, actor)
      return redirect(leitstandPath(course.id, session.id))
    }
    return { ok: true as const, error: null }
  } catch (error) {
    // The server's Facilitation may come from another copy of the module than this bundle's: compare by name.
    if (error instanceof CommandRefused || (error instanceof Error && error.constructor.name === 'CommandRefused')) return notPlanned()
    throw error
  }
}

export default function ScriptPage() {
  const page = useLoaderData<typeof loader>()
  return (
    <>
      <AppHeader />
      <ScriptEditor key={JSON.stringify(page.phases)} {...page} />
    </>
  )
}
