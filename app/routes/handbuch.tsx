/** The handbook (coordinators): publish or withdraw each municipality's design, then view or print the handbook. */
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { listRecentAudit, recordAudit } from '../../db/audit.server'
import { listPublications, setPublished } from '../../db/publication.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { startHandbookExport } from '~/report/handbook.server'

export const meta: MetaFunction = () => [{ title: 'Handbuch · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  return { designs: await listPublications(context.sql), audit: await listRecentAudit(context.sql) }
}

const publishForm = z.object({ municipalityId: z.uuid(), publish: z.enum(['1', '0']) })

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  const form = Object.fromEntries(await request.formData())
  if (form.intent === 'export') return { error: null, jobId: await startHandbookExport(request, context) }
  const parsed = publishForm.safeParse(form)
  if (!parsed.success) return data({ error: 'common.invalid' as const, jobId: null }, { status: 400 })
  const publish = parsed.data.publish === '1'
  // A draft is not what a council agreed on: only designs from "Abgestimmt" on are published.
  const status = (await listPublications(context.sql)).find((d) => d.municipalityId === parsed.data.municipalityId)?.status
  if (publish && status === 'Entwurf') return data({ error: 'handbook.draftRefused' as const, jobId: null }, { status: 409 })
  if (!(await setPublished(context.sql, parsed.data.municipalityId, publish, principal.personId))) throw notFound()
  await recordAudit(context.sql, { personId: principal.personId, action: publish ? 'design.publish' : 'design.withdraw', municipalityId: parsed.data.municipalityId, subjectId: null })
  return { error: null, jobId: null }
}

type JobState = { status: 'running' | 'done' | 'failed'; progress: number; total: number; error: string | null; download: string | null }

/** Starts the handbook PDF in the background and follows its progress until the file can be downloaded. */
function HandbookExport() {
  const { t } = useTranslation()
  const start = useFetcher<typeof action>()
  const jobId = start.data?.jobId ?? null
  const [job, setJob] = useState<JobState | null>(null)
  useEffect(() => {
    if (!jobId) return
    let stopped = false
    const poll = async () => {
      const response = await fetch(`/exporte/${jobId}`).catch(() => null)
      if (stopped) return
      const next = response?.ok ? ((await response.json()) as JobState) : null
      if (next) setJob(next)
      if (!next || next.status === 'running') setTimeout(poll, 1000)
    }
    void poll()
    return () => {
      stopped = true
    }
  }, [jobId])
  return (
    <div className="handbook-export">
      <start.Form method="post">
        <input type="hidden" name="intent" value="export" />
        <button type="submit" disabled={start.state !== 'idle' || job?.status === 'running'} data-testid="handbook-export">
          {t('exports.start')}
        </button>
      </start.Form>
      {job ? (
        <p role="status" data-testid="handbook-export-state">
          {job.status === 'running' ? (
            <>
              <progress value={job.progress} max={job.total} /> {t('exports.running', { progress: job.progress, total: job.total })}
            </>
          ) : job.status === 'done' && job.download ? (
            <>
              {t('exports.done')}{' '}
              <a href={job.download} download data-testid="handbook-export-download">
                {t('exports.download')}
              </a>
            </>
          ) : (
            <span className="error">{job.error ?? t('exports.failed')}</span>
          )}
        </p>
      ) : null}
    </div>
  )
}

export default function Handbook() {
  const { designs, audit } = useLoaderData<typeof loader>()
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
        ) : null}
        {published.length > 0 ? <HandbookExport /> : <p className="muted">{t('handbook.none')}</p>}
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
                    <button type="submit" name="publish" value={d.publishedAt ? '0' : '1'} disabled={busy || (!d.publishedAt && d.status === 'Entwurf')}>
                      {d.publishedAt ? t('handbook.withdraw') : t('handbook.publish')}
                    </button>
                    {!d.publishedAt && d.status === 'Entwurf' ? <span className="muted"> ({t('handbook.draftHint')})</span> : null}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('handbook.audit')}</h2>
        {audit.length === 0 ? (
          <p className="muted">{t('handbook.auditEmpty')}</p>
        ) : (
          <table className="table" data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">{t('handbook.auditWhen')}</th>
                <th scope="col">{t('handbook.auditWho')}</th>
                <th scope="col">{t('handbook.auditWhat')}</th>
                <th scope="col">{t('handbook.municipality')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((a) => (
                <tr key={a.id}>
                  <td>{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(a.at))}</td>
                  <td>{a.personName ?? '–'}</td>
                  <td>{t(`handbook.actions.${a.action.replace('.', '_')}`, { defaultValue: a.action })}</td>
                  <td>{a.municipalityName ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  )
}
