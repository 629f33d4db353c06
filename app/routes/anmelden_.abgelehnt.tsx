/** Why single sign-on did not let someone in (no invitation, unverified email, provider error), in plain words. */
import { Link, useLoaderData } from '@remix-run/react'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Anmeldung nicht möglich · Werkraum' }]

const reason = z.enum(['state', 'provider', 'no_email', 'unverified_email', 'not_invited']).catch('provider')

export async function loader({ request }: LoaderFunctionArgs) {
  return { reason: reason.parse(new URL(request.url).searchParams.get('grund')) }
}

export default function SignInRefused() {
  const { reason } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <AppHeader />
      <main className="page narrow">
        <h1>{t('sso.refusedTitle')}</h1>
        <p role="alert" className="alert-box">
          {t(`sso.refused.${reason}`)}
        </p>
        <p>
          <Link to="/anmelden" reloadDocument>
            {t('sso.backToSignIn')}
          </Link>
        </p>
      </main>
    </>
  )
}
