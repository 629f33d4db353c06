/** Compares two states of a municipality's design (snapshots or "jetzt"): the differences per board, and both boards side by side with the changes outlined. */
import { Link, useLoaderData } from '@remix-run/react'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { notFound } from '~/auth.server'
import { localeFromRequest } from '~/i18n'
import { AppHeader } from '~/components/AppHeader'
import { compareSide, comparePage, snapshotScope } from '~/snapshots/pages.server'
import { ComparePicker } from '~/snapshots/ComparePicker'
import { ChangeList } from '~/snapshots/ChangeList'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Vergleich ${data.municipality.name} · Werkraum` : 'Werkraum' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { municipality } = await snapshotScope(request, context, params.municipalityId)
  const url = new URL(request.url)
  const from = compareSide.safeParse(url.searchParams.get('von') ?? '')
  const to = compareSide.safeParse(url.searchParams.get('bis') ?? 'jetzt')
  if (!from.success || !to.success) throw notFound()
  return comparePage(context, municipality, from.data, to.data, localeFromRequest(request))
}

export default function ComparePage() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  const total = page.boards.reduce((n, b) => n + b.changes.length + (b.presence === 'both' ? 0 : 1), 0)
  const changed = page.boards.filter((b) => b.changes.length > 0 || b.presence !== 'both')
  const unchanged = page.boards.filter((b) => b.changes.length === 0 && b.presence === 'both')
  return (
    <>
      <AppHeader />
      <main className="page snapshots-page">
        <p>
          <Link to={`/kommunen/${page.municipality.id}/staende`}>← {t('snapshots.back')}</Link>
        </p>
        <h1>{t('snapshots.compareTitle', { name: page.municipality.name })}</h1>
        <section className="card">
          <ComparePicker municipalityId={page.municipality.id} options={page.options} from={page.from} to={page.to} />
        </section>
        <p data-testid="difference-count">{total === 0 ? t('snapshots.noDifferences') : t('snapshots.differences', { count: total })}</p>
        <p className="muted">{t('snapshots.legend')}</p>
        {changed.map((b) => (
          <section key={b.boardId} className="card" data-testid="compared-board">
            <h2>
              {b.title}
              {b.presence === 'added' ? <span className="muted"> · {t('snapshots.boardAdded')}</span> : null}
              {b.presence === 'removed' ? <span className="muted"> · {t('snapshots.boardRemoved')}</span> : null}
            </h2>
            {b.changes.length > 0 ? <ChangeList changes={b.changes} /> : null}
            {b.svgBefore || b.svgAfter ? (
              <div className="compare-sides">
                <figure>
                  <figcaption>{t('snapshots.before')}</figcaption>
                  {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-rendered SVG: tldraw's own export of the stored records (app/pictures), titles escaped */}
                  {b.svgBefore ? <div className="compare-svg" dangerouslySetInnerHTML={{ __html: b.svgBefore }} /> : null}
                </figure>
                <figure>
                  <figcaption>{t('snapshots.after')}</figcaption>
                  {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-rendered SVG: tldraw's own export of the stored records (app/pictures), titles escaped */}
                  {b.svgAfter ? <div className="compare-svg" dangerouslySetInnerHTML={{ __html: b.svgAfter }} /> : null}
                </figure>
              </div>
            ) : null}
          </section>
        ))}
        {unchanged.length > 0 ? (
          <details className="card unchanged-boards" data-testid="unchanged-boards">
            <summary>{t('snapshots.unchangedBoards', { count: unchanged.length })}</summary>
            <ul>
              {unchanged.map((b) => (
                <li key={b.boardId}>{b.title}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </main>
    </>
  )
}
