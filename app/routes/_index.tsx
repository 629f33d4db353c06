/** The dashboard after sign-in: my courses, my municipalities, my roles and recently opened boards. */
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { dashboardFor } from '~/dashboard.server'
import { openSessionsFor } from '~/facilitation/sessions.server'
import { OpenSessions } from '~/facilitation/SessionLists'
import type { loader as rootLoader } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const [dashboard, sessions] = await Promise.all([dashboardFor(context.sql, principal), openSessionsFor(context.sql, principal)])
  return { ...dashboard, sessions }
}

export default function Dashboard() {
  const { courses, municipalities, roles, recentBoards, sessions } = useLoaderData<typeof loader>()
  const me = useRouteLoaderData<typeof rootLoader>('root')?.me
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <>
      <AppHeader />
      <main className="page">
        <h1>{t('dashboard.greeting', { name: me?.name ?? '' })}</h1>
        <p className="tagline">{t('app.tagline')}</p>
        {me?.managesCourses || me?.administers ? (
          <p className="actions">
            {me.managesCourses ? (
              <Link to="/kurse" className="button-link">
                {t('dashboard.manageCourses')}
              </Link>
            ) : null}
            {me.administers ? (
              <Link to="/verwaltung" className="button-link">
                {t('dashboard.administration')}
              </Link>
            ) : null}
          </p>
        ) : null}
        <OpenSessions sessions={sessions} hideWhenEmpty />
        <div className="columns">
          <section aria-labelledby="courses-heading" className="card">
            <h2 id="courses-heading">{t('dashboard.myCourses')}</h2>
            {courses.length === 0 ? (
              <p className="muted">{t('dashboard.noCourses')}</p>
            ) : (
              <ul className="link-list">
                {courses.map((c) => (
                  <li key={c.id}>
                    <Link to={`/kurse/${c.id}`}>{c.name}</Link>
                    {c.cohort ? <span className="muted"> · {c.cohort}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="municipalities-heading" className="card">
            <h2 id="municipalities-heading">{t('dashboard.myMunicipalities')}</h2>
            {municipalities.length === 0 ? (
              <p className="muted">{t('dashboard.noMunicipalities')}</p>
            ) : (
              <ul className="link-list">
                {municipalities.map((m) => (
                  <li key={m.id}>
                    <Link to={`/kommunen/${m.id}`}>{m.name}</Link> <span className="muted">· {t(`kinds.${m.kind}`)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <section aria-labelledby="recent-heading" className="card">
          <h2 id="recent-heading">{t('dashboard.recentBoards')}</h2>
          {recentBoards.length === 0 ? (
            <p className="muted">{t('dashboard.noRecentBoards')}</p>
          ) : (
            <ul className="board-list">
              {recentBoards.map((b) => (
                <li key={b.id}>
                  <span>
                    <Link to={`/boards/${b.id}`}>{b.title}</Link>
                    {b.where ? <span className="muted"> · {b.where}</span> : null}
                  </span>
                  <span className="muted">
                    {t('dashboard.opened')}: {dateFormat.format(new Date(b.openedAt))}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {roles.length > 0 ? (
          <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">{t('dashboard.roles')}</h2>
            <ul className="role-list">
              {roles.map((r) => (
                <li key={r.id}>
                  <strong>{t(`roles.${r.role}`)}</strong>
                  {r.scope ? <span className="muted"> · {r.scope}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </main>
    </>
  )
}
