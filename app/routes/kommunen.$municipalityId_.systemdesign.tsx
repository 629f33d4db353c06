/** A municipality's Systemdesign: its sections as live rich text and its typed lists as tables (client-only editor), read-only for guests. */
import { Form, Link, useLoaderData } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { lazy, Suspense, useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { personOf, notFound, requireCan, requirePrincipal, forbidden } from '~/auth.server'
import { designPage } from '~/design/design-page.server'
import { AppHeader } from '~/components/AppHeader'
import { useHydrated } from '~/hooks/useHydrated'
import * as courses from '../../db/courses.server'
import designStyles from '~/design/design.css?url'

import { CommentsPanel, type Anchor, type Thread } from '~/comments/CommentsPanel'
import { anchorKey, DesignCommentsProvider } from '~/comments/design-comments'
import { threadsOfDesign } from '~/comments/comments.server'
import { sections } from '../../domain/design/model'

const DesignEditor = lazy(() => import('~/design/DesignEditor.client'))

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: designStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Systemdesign ${data.page.municipality.name} · Werkraum` : 'Werkraum' }]

async function loadMunicipality(request: Request, context: LoaderFunctionArgs['context'], params: LoaderFunctionArgs['params']) {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(params.municipalityId)
  const municipality = id.success ? await courses.getMunicipality(context.sql, id.data) : null
  if (!municipality) throw notFound()
  requireCan(principal, { type: 'municipality.view', municipalityId: municipality.id })
  return { principal, municipality }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal, municipality } = await loadMunicipality(request, context, params)
  const page = await designPage(context.sql, principal, municipality)
  if (!page) throw forbidden()
  const person = await personOf(context, principal)
  const boardThreads = (await threadsOfDesign(context.sql, principal, municipality.id)).filter((t) => t.board.kind === 'whiteboard')
  return {
    page,
    person: { id: person.id, name: person.name },
    boardThreads: boardThreads.map((t) => ({ id: t.id, board: t.board, anchor: t.anchor.label, first: t.comments[0]?.body ?? '', replies: t.comments.length - 1 })),
  }
}

const statusForm = z.object({ status: z.enum(courses.designStatuses) })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { principal, municipality } = await loadMunicipality(request, context, params)
  const parsed = statusForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'common.invalid' }, { status: 400 })
  requireCan(principal, { type: 'design.status', municipalityId: municipality.id })
  await courses.setDesignStatus(context.sql, municipality.id, parsed.data.status)
  return data({ notice: 'municipality.statusSaved' })
}

/** Focuses the entry row or section a thread is about (opening a collapsed section first). */
function showAnchor(anchor: Anchor) {
  const target =
    anchor.kind === 'entry'
      ? document.querySelector<HTMLElement>(`tr[data-entry-id="${CSS.escape(anchor.id)}"]`)
      : anchor.kind === 'section'
        ? document.querySelector<HTMLElement>(`#section-heading-${CSS.escape(anchor.id)} button`)
        : null
  if (!target) return
  const hidden = target.closest<HTMLElement>('[hidden]')
  if (hidden) document.querySelector<HTMLButtonElement>(`[aria-controls="${CSS.escape(hidden.id)}"]`)?.click()
  requestAnimationFrame(() => {
    target.scrollIntoView({ block: 'center' })
    target.focus()
  })
}

export default function SystemdesignPage() {
  const { page, person, boardThreads } = useLoaderData<typeof loader>()
  const hydrated = useHydrated()
  const { t } = useTranslation()
  const [counts, setCounts] = useState<ReadonlyMap<string, number>>(new Map())
  const [filter, setFilter] = useState<Anchor | null>(null)
  const [openKey, setOpenKey] = useState(0)
  const onThreads = useCallback((threads: Thread[]) => {
    const next = new Map<string, number>()
    for (const thread of threads) if (thread.status === 'open') next.set(anchorKey(thread.anchor), (next.get(anchorKey(thread.anchor)) ?? 0) + 1)
    setCounts(next)
  }, [])
  const comments = useMemo(
    () => ({
      counts,
      open: (anchor: Anchor) => {
        setFilter(anchor)
        setOpenKey((k) => k + 1)
      },
    }),
    [counts],
  )
  return (
    <>
      <AppHeader />
      <main className="page design-page">
        <p>
          <Link to={`/kommunen/${page.municipality.id}`}>← {page.municipality.name}</Link>
        </p>
        <h1>{t('design.title', { name: page.municipality.name })}</h1>
        <p className="report-links">
          <a href={`/kommunen/${page.municipality.id}/bericht`} target="_blank" rel="noreferrer" data-testid="report-page">
            {t('report.open')}
          </a>{' '}
          ·{' '}
          <a href={`/kommunen/${page.municipality.id}/bericht.pdf`} download data-testid="report-pdf">
            {t('report.pdf')}
          </a>
        </p>
        <div className="design-status">
          <span>
            {t('municipality.status')}:{' '}
            <span className="status-badge" data-testid="design-status">
              {t(`designStatus.${page.status}`)}
            </span>
          </span>
          {page.canSetStatus ? (
            <Form method="post" className="inline-form">
              <label htmlFor="design-status-select">{t('municipality.changeStatus')}</label>
              <select id="design-status-select" name="status" defaultValue={page.status} key={page.status}>
                {page.statuses.map((s) => (
                  <option key={s} value={s}>
                    {t(`designStatus.${s}`)}
                  </option>
                ))}
              </select>
              <button type="submit">{t('common.save')}</button>
            </Form>
          ) : null}
        </div>
        {hydrated ? (
          <Suspense fallback={<p>{t('design.loading')}</p>}>
            <DesignCommentsProvider value={comments}>
              <DesignEditor documentId={page.documentId} readOnly={page.readOnly} personName={person.name} status={page.status} />
            </DesignCommentsProvider>
          </Suspense>
        ) : (
          <p>{t('design.loading')}</p>
        )}
        {hydrated ? (
          <div className="design-comments card">
            <CommentsPanel
              boardId={page.documentId}
              readOnly={page.readOnly}
              anchors={sections.map((s) => ({ kind: 'section' as const, id: s.key, label: s.number === null ? s.title : `${s.number} ${s.title}` }))}
              filter={filter}
              onClearFilter={() => {
                setFilter(null)
                setOpenKey((k) => k + 1)
              }}
              openKey={openKey}
              onThreads={onThreads}
              onShowAnchor={showAnchor}
            />
            <h3>{t('comments.onBoards')}</h3>
            {boardThreads.length === 0 ? (
              <p className="muted">{t('comments.noneOpen')}</p>
            ) : (
              <ul data-testid="board-threads">
                {boardThreads.map((thread) => (
                  <li key={thread.id}>
                    <Link to={`/boards/${thread.board.id}`}>{thread.board.title}</Link>
                    {thread.anchor ? ` · ${thread.anchor}` : ''}: {thread.first}
                    {thread.replies > 0 ? <span className="muted"> ({t('comments.replies', { count: thread.replies })})</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ) : (
          <p>{t('design.loading')}</p>
        )}
      </main>
    </>
  )
}
