/** Course administration: the course rounds a person may see, and a form to create one (coordinators, administrators). */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { createCourse } from '../../db/courses.server'
import { courseList } from '~/admin/courses.server'
import { requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Kurse · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  return courseList(context.sql, principal)
}

const createForm = z.object({
  name: z.string().trim().min(1).max(200),
  cohort: z.string().trim().max(100).default(''),
  format: z.enum(['full', 'shortened']).default('full'),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'course.create' })
  const parsed = createForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'courses.nameRequired' as const }, { status: 400 })
  const course = await createCourse(context.sql, parsed.data)
  return redirect(`/kurse/${course.id}`)
}

export default function Courses() {
  const { courses, canCreate } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation()
  return (
    <>
      <AppHeader />
      <main className="page">
        <h1>{t('courses.title')}</h1>
        <section aria-labelledby="list-heading">
          <h2 id="list-heading">{t('courses.list')}</h2>
          {courses.length === 0 ? (
            <p className="muted">{t('courses.empty')}</p>
          ) : (
            <ul className="board-list">
              {courses.map((c) => (
                <li key={c.id}>
                  <Link to={`/kurse/${c.id}`}>{c.name}</Link>
                  <span className="muted">{[c.cohort, t(`formats.${c.format}`)].filter(Boolean).join(' · ')}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {canCreate ? (
          <section aria-labelledby="create-heading" className="card">
            <h2 id="create-heading">{t('courses.create')}</h2>
            <Form method="post" className="inline-form">
              <div className="field">
                <label htmlFor="course-name">{t('courses.name')}</label>
                <input id="course-name" name="name" required maxLength={200} size={40} aria-invalid={result?.error ? true : undefined} />
              </div>
              <div className="field">
                <label htmlFor="course-cohort">{t('courses.cohort')}</label>
                <input id="course-cohort" name="cohort" maxLength={100} size={8} />
              </div>
              <div className="field">
                <label htmlFor="course-format">{t('courses.format')}</label>
                <select id="course-format" name="format" defaultValue="full">
                  <option value="full">{t('formats.full')}</option>
                  <option value="shortened">{t('formats.shortened')}</option>
                </select>
              </div>
              <button type="submit" disabled={navigation.state !== 'idle'}>
                {t('courses.create')}
              </button>
              {result?.error ? (
                <p role="alert" className="error">
                  {t(result.error)}
                </p>
              ) : null}
            </Form>
          </section>
        ) : null}
      </main>
    </>
  )
}
