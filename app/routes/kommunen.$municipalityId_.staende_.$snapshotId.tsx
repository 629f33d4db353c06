/** One snapshot: its boards as stored pictures, a board opened read-only in the real editor, and — for those allowed — restore with confirmation. */
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { requireCan } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { useHydrated } from '~/hooks/useHydrated'
import { snapshotOf, snapshotPage, snapshotScope } from '~/snapshots/pages.server'
import { localeFromRequest } from '~/i18n'
import { restoreSnapshot } from '../../collab/features/snapshots.server'

const SnapshotEditor = lazy(() => import('~/snapshots/SnapshotEditor.client'))

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.snapshot.label} · Werkraum` : 'Werkraum' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal, municipality } = await snapshotScope(request, context, params.municipalityId)
  const snapshot = await snapshotOf(context, municipality.id, params.snapshotId)
  const url = new URL(request.url)
  const restored = url.searchParams.get('wiederhergestellt')
  return {
    ...(await snapshotPage(context, principal, municipality, snapshot)),
    restoredNewer: restored === null ? null : Math.max(0, Number(restored) || 0),
    settings: { licenseKey: context.env.tldrawLicenseKey ?? null, assetsBase: context.env.tldrawAssetsBase },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { principal, municipality } = await snapshotScope(request, context, params.municipalityId)
  const snapshot = await snapshotOf(context, municipality.id, params.snapshotId)
  requireCan(principal, { type: 'snapshot.restore', municipalityId: municipality.id })
  const form = await request.formData()
  if (form.get('intent') !== 'restore' || form.get('confirm') !== 'ja') throw new Response('Bad Request', { status: 400 })
  const result = await restoreSnapshot({ sql: context.sql, rooms: context.services.rooms, snapshotId: snapshot.id, restoredBy: principal.personId, language: localeFromRequest(request) })
  return redirect(`/kommunen/${municipality.id}/staende/${snapshot.id}?wiederhergestellt=${result.newer.length}`)
}

export default function SnapshotView() {
  const page = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const hydrated = useHydrated()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const label = page.snapshot.label || t(`snapshots.kinds.${page.snapshot.kind}`)
  const editorBoard = page.boards.find((b) => b.boardId === search.get('editor') && b.json)
  const base = `/kommunen/${page.municipality.id}/staende`
  return (
    <>
      <AppHeader />
      <main className="page snapshots-page">
        <p>
          <Link to={base}>← {t('snapshots.back')}</Link>
        </p>
        <h1>{t('snapshots.view', { label })}</h1>
        <p className="muted">
          {t('snapshots.takenAt', { date: dateFormat.format(new Date(page.snapshot.takenAt)) })} ·{' '}
          {page.snapshot.takenByName ? t('snapshots.by', { name: page.snapshot.takenByName }) : t('snapshots.byUnknown')} · {t(`snapshots.kinds.${page.snapshot.kind}`)}
        </p>
        {page.snapshot.note ? <p>{page.snapshot.note}</p> : null}
        <p className="report-links">
          <a href={`${base.replace(/\/staende$/, '')}/bericht?stand=${page.snapshot.id}`} target="_blank" rel="noreferrer" data-testid="snapshot-report">
            {t('report.open')}
          </a>{' '}
          ·{' '}
          <a href={`${base.replace(/\/staende$/, '')}/bericht.pdf?stand=${page.snapshot.id}`} download data-testid="snapshot-report-pdf">
            {t('report.pdf')}
          </a>
        </p>
        {page.restoredNewer !== null ? (
          <p role="status" className="success" data-testid="restored">
            {t('snapshots.restored', { label })} {page.restoredNewer > 0 ? t('snapshots.restoredNewer', { count: page.restoredNewer }) : null}
          </p>
        ) : null}
        <p>
          <Link to={`${base}/vergleich?von=${page.snapshot.id}&bis=jetzt`}>{t('snapshots.compareWithNow')}</Link>
        </p>
        {page.canRestore ? (
          <details className="card restore-box">
            <summary>{t('snapshots.restore')}</summary>
            <p>{t('snapshots.restoreExplain')}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <input type="hidden" name="confirm" value="ja" />
              <button type="submit" disabled={busy} data-testid="restore-confirm">
                {t('snapshots.restoreConfirm')}
              </button>
            </Form>
          </details>
        ) : null}
        {editorBoard ? (
          <section className="card" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{editorBoard.title}</h2>
            <p>
              <Link to={`${base}/${page.snapshot.id}`}>{t('snapshots.closeEditor')}</Link>
            </p>
            {hydrated ? (
              <Suspense fallback={<p>{t('snapshots.editorLoading')}</p>}>
                <SnapshotEditor jsonUrl={editorBoard.json!} licenseKey={page.settings.licenseKey} assetsBase={page.settings.assetsBase} />
              </Suspense>
            ) : (
              <img className="snapshot-board" src={editorBoard.src} alt={t('snapshots.thumbnail', { title: editorBoard.title })} />
            )}
          </section>
        ) : null}
        {page.boards.map((b) => (
          <section key={b.boardId} className="card" data-testid="snapshot-board">
            <h2>{b.title}</h2>
            {b.json ? (
              <p>
                <Link to={`${base}/${page.snapshot.id}?editor=${b.boardId}`}>{t('snapshots.openEditor')}</Link> ·{' '}
                <a href={b.json} download={`${b.title}.tldraw.json`}>
                  {t('snapshots.downloadJson')}
                </a>
              </p>
            ) : null}
            <img className="snapshot-board" src={b.src} alt={t('snapshots.thumbnail', { title: b.title })} />
          </section>
        ))}
      </main>
    </>
  )
}
