/** The header of every page but the board: the app name, navigation by role, the person, sign-out and language. */
import { Form, Link, NavLink, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { loader as rootLoader } from '~/root'
import { LanguageSwitch } from './LanguageSwitch'

/** The page header; reads the signed-in person from the root loader. */
export function AppHeader() {
  const { t } = useTranslation()
  const me = useRouteLoaderData<typeof rootLoader>('root')?.me ?? null
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        {t('app.name')}
      </Link>
      {me ? (
        <nav aria-label={t('nav.label')}>
          <NavLink to="/" end>
            {t('nav.dashboard')}
          </NavLink>
          {me.managesCourses ? <NavLink to="/kurse">{t('nav.courses')}</NavLink> : null}
          {me.compilesHandbook ? <NavLink to="/handbuch">{t('nav.handbook')}</NavLink> : null}
          {me.administers ? <NavLink to="/verwaltung">{t('nav.admin')}</NavLink> : null}
          <NavLink to="/konto/zugangstoken">{t('nav.tokens')}</NavLink>
        </nav>
      ) : (
        <span />
      )}
      <div className="app-header-end">
        {me ? (
          <>
            <span className="muted">{t('nav.signedInAs', { name: me.name })}</span>
            <Form method="post" action="/abmelden" reloadDocument>
              <button type="submit">{t('nav.signOut')}</button>
            </Form>
          </>
        ) : null}
        <LanguageSwitch />
      </div>
    </header>
  )
}
