/** The document around every page: language, the signed-in person (for the header) and the error pages. */
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from '@remix-run/react'
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { useMemo, type ReactNode } from 'react'
import { I18nextProvider, useTranslation } from 'react-i18next'
import { can, currentPrincipal, managesCourses, personOf } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { useNonce } from '~/components/nonce'
import { createI18n, defaultLocale, localeFromRequest, type Locale } from '~/i18n'
import './styles.css'

export const links: LinksFunction = () => [{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await currentPrincipal(request, context)
  const me = principal
    ? {
        ...(await personOf(context, principal)),
        managesCourses: managesCourses(principal),
        administers: can(principal, { type: 'installation.manage' }),
        compilesHandbook: can(principal, { type: 'handbook.manage' }),
      }
    : null
  return { locale: localeFromRequest(request), me }
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const locale: Locale = data?.locale ?? defaultLocale
  const i18n = useMemo(() => createI18n(locale), [locale])
  const nonce = useNonce()
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

/** Error pages: 403 "Kein Zugriff", 404 "Nicht gefunden", anything else a generic message. */
export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const [title, text] =
    status === 403
      ? [t('errors.forbiddenTitle'), t('errors.forbidden')]
      : status === 404
        ? [t('errors.notFoundTitle'), typeof (error as { data?: unknown }).data === 'string' ? String((error as { data: string }).data) : t('errors.notFound')]
        : [t('errors.genericTitle'), t('errors.generic')]
  return (
    <>
      <AppHeader />
      <main className="page" data-status={status}>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href="/">{t('errors.home')}</a>
        </p>
      </main>
    </>
  )
}
