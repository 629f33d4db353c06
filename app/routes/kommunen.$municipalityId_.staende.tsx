/** A municipality's snapshots (Stände) in order: label, author, date, a thumbnail; "Stand speichern" for those allowed; a comparison picker. */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireCan } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { snapshotScope, timelinePage } from '~/snapshots/pages.server'
import { ComparePicker } from '~/snapshots/ComparePicker'
import { localeFromRequest } from '~/i18n'
import { takeSnapshot } from '../../collab/features/snapshots.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Stände ${data.municipality.name} · Werkraum` : 'Werkraum' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal, municipality } = await snapshotScope(request, context, params.municipalityId)
  return timelinePage(context, principal, municipality)
}

const takeForm = z.object({ label: z.string().trim().min(1).max(200), note: z.string().trim().max(2000).default('') })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { principal, municipality } = await snapshotScope(request, context, params.municipalityId)
  requireCan(principal, { type: 'snapshot.take', municipalityId: municipality.id })
  const parsed = takeForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'snapshots.labelRequired' as const }, { status: 400 })
  const snapshot = await takeSnapshot({
    sql: context.sql,
    rooms: context.services.rooms,
    municipalityId: municipality.id,
    label: parsed.data.label,
    note: parsed.data.note,
    kind: 'manual',
    language: localeFromRequest(request),
    takenBy: principal.personId,
  })
  return data({ taken: snapshot.label })
}

export default function SnapshotTimeline() {
  const page = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <>
      <AppHeader />
      <main className="page snapshots-page">
        <p>
          <Link to={`/kommunen/${page.municipality.id}`}>← {page.municipality.name}</Link>
        </p>
        <h1>{t('snapshots.title', { name: page.municipality.name })}</h1>
        <p className="muted">{t('snapshots.intro')}</p>
        {page.canTake ? (
          <section className="card" aria-labelledby="take-heading">
            <h2 id="take-heading">{t('snapshots.take')}</h2>
            <Form method="post" className="inline-form" key={reply && 'taken' in reply ? reply.taken : 'form'}>
              <div className="field">
                <label htmlFor="snapshot-label">{t('snapshots.label')}</label>
                <input id="snapshot-label" name="label" required maxLength={200} placeholder={t('snapshots.labelPlaceholder')} />
              </div>
              <div className="field">
                <label htmlFor="snapshot-note">{t('snapshots.note')}</label>
                <input id="snapshot-note" name="note" maxLength={2000} />
              </div>
              <button type="submit" disabled={busy}>
                {t('snapshots.take')}
              </button>
            </Form>
            {reply && 'error' in reply ? (
              <p role="alert" className="error">
                {t(reply.error)}
              </p>
            ) : null}
            {reply && 'taken' in reply ? (
              <p role="status" className="success">
                {t('snapshots.taken', { label: reply.taken })}
              </p>
            ) : null}
          </section>
        ) : null}
        {page.snapshots.length > 0 ? (
          <section className="card" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{t('snapshots.compare')}</h2>
            <ComparePicker municipalityId={page.municipality.id} options={page.snapshots} from={page.snapshots[0].id} to="jetzt" />
          </section>
        ) : null}
        {page.snapshots.length === 0 ? (
          <p className="muted">{t('snapshots.none')}</p>
        ) : (
          <ol className="snapshot-timeline" data-testid="timeline">
            {page.snapshots.map((s) => (
              <li key={s.id} className="card snapshot-item" data-testid="snapshot">
                {s.thumbnails.length > 0 ? (
                  <ul className="snapshot-thumbs" aria-label={t('snapshots.thumbnails')}>
                    {s.thumbnails.map((thumb) => (
                      <li key={thumb.boardId}>
                        <img className="snapshot-thumb" src={thumb.src} alt={t('snapshots.thumbnail', { title: thumb.title })} title={thumb.title} loading="lazy" />
                      </li>
                    ))}
                  </ul>
                ) : null}
                <div>
                  <h3>
                    <Link to={`/kommunen/${page.municipality.id}/staende/${s.id}`}>{s.label || t(`snapshots.kinds.${s.kind}`)}</Link>
                  </h3>
                  <p className="muted">
                    {dateFormat.format(new Date(s.takenAt))} · {s.takenByName ? t('snapshots.by', { name: s.takenByName }) : t('snapshots.byUnknown')} · {t(`snapshots.kinds.${s.kind}`)} ·{' '}
                    {t('snapshots.boardsCount', { count: s.boardCount })}
                  </p>
                  {s.note ? <p>{s.note}</p> : null}
                  <p>
                    <Link to={`/kommunen/${page.municipality.id}/staende/${s.id}`}>{t('snapshots.open')}</Link> ·{' '}
                    <Link to={`/kommunen/${page.municipality.id}/staende/vergleich?von=${s.id}&bis=jetzt`}>{t('snapshots.compareWithNow')}</Link>
                  </p>
                </div>
              </li>
            ))}
          </ol>
        )}
        {page.audit ? (
          <section className="card" aria-labelledby="audit-heading" data-testid="audit">
            <h2 id="audit-heading">{t('snapshots.audit')}</h2>
            {page.audit.length === 0 ? (
              <p className="muted">{t('snapshots.auditNone')}</p>
            ) : (
              <ul className="link-list">
                {page.audit.map((a) => (
                  <li key={a.id}>
                    {dateFormat.format(new Date(a.at))} · {a.personName ?? t('snapshots.auditSystem')} · {t(`snapshots.auditActions.${a.action}`)}
                    {a.label ? ` „${a.label}“` : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </main>
    </>
  )
}
