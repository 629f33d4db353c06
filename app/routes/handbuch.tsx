/** The handbook (coordinators): publish or withdraw each municipality's design, then view or print the handbook. */
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { listPublications, setPublished } from '../../db/publication.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Handbuch · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  return { designs: await listPublications(context.sql) }
}

const publishForm = z.object({ municipalityId: z.uuid(), publish: z.enum(['1', '0']) })

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  const parsed = publishForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'common.invalid' as const }, { status: 400 })
  if (!(await setPublished(context.sql, parsed.data.municipalityId, parsed.data.publish === '1', principal.personId))) throw notFound()
  return { error: null }
}

export default function Handbook() {
  const { designs } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' })
  const published = designs.filter((d) => d.publishedAt)
  return (
    <>
      <AppHeader />
      <main className="page wide">
        <h1>{t('handbook.pageTitle')}</h1>
        <p>{t('handbook.lead')}</p>
        {result?.error ? (
          <p className="error" role="alert">
            {t(result.error)}
          </p>
        ) : null}
        {published.length > 0 ? (
          <p>
            <a href="/handbuch/dokument" target="_blank" rel="noreferrer">
              {t('handbook.view')}
            </a>{' '}
            ·{' '}
            <a href="/handbuch.pdf" download data-testid="handbook-pdf">
              {t('handbook.pdf')}
            </a>
          </p>
        ) : (
          <p className="muted">{t('handbook.none')}</p>
        )}
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('handbook.municipality')}</th>
              <th scope="col">{t('report.status')}</th>
              <th scope="col">{t('handbook.pageTitle')}</th>
            </tr>
          </thead>
          <tbody>
            {designs.map((d) => (
              <tr key={d.municipalityId} data-testid={`publication-${d.municipalityId}`}>
                <th scope="row">{d.name}</th>
                <td>{t(`designStatus.${d.status}`)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="municipalityId" value={d.municipalityId} />
                    <span>{d.publishedAt ? t('handbook.isPublished', { date: date.format(new Date(d.publishedAt)) }) : t('handbook.notPublished')}</span>{' '}
                    <button type="submit" name="publish" value={d.publishedAt ? '0' : '1'} disabled={busy}>
                      {d.publishedAt ? t('handbook.withdraw') : t('handbook.publish')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  )
}
