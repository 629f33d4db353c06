/** Sign-in with email and password (rate-limited); afterwards back to `?weiter=` (same-site paths only). */
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { endSession, startSession } from '../../access/authenticate.server'
import { currentPrincipal, returnPath } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Anmelden · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const next = returnPath(url.searchParams.get('weiter'))
  if (await currentPrincipal(request, context)) throw redirect(next)
  const { sso, passwordLogin } = context.services
  return { next, signedOut: url.searchParams.has('abgemeldet'), sso: sso ? { providerName: sso.settings.providerName ?? null } : null, passwordLogin }
}

const signInForm = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
  weiter: z.string().optional(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.services.passwordLogin) return data({ error: 'passwordOff' as const, minutes: 0 }, { status: 403 })
  const parsed = signInForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'invalid' as const, minutes: 0 }, { status: 400 })
  const { email, password, weiter } = parsed.data
  const result = await context.services.loginGuard.signIn(context.sql, email, password, context.client.address)
  if (result.ok) {
    // Never adopt a session id the browser brought along (fixation): end it, issue a new one.
    await endSession(context.sql, request.headers.get('cookie'), { secure: context.client.secure })
    const cookie = await startSession(context.sql, result.personId, { secure: context.client.secure })
    return redirect(returnPath(weiter), { headers: { 'Set-Cookie': cookie } })
  }
  if (result.reason === 'rate_limited') {
    return data({ error: 'rateLimited' as const, minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }, { status: 429 })
  }
  return data({ error: 'invalid' as const, minutes: 0 }, { status: 401 })
}

export default function SignIn() {
  const { next, signedOut, sso, passwordLogin } = useLoaderData<typeof loader>()
  useEffect(() => {
    // After signing out, this browser keeps no copy of any board.
    if (signedOut) void import('~/board/local-copies.client').then((m) => m.clearLocalBoardCopies())
  }, [signedOut])
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation()
  return (
    <>
      <AppHeader />
      <main className="page narrow">
        <h1>{t('signIn.title')}</h1>
        {signedOut && !result ? (
          <p role="status" className="notice">
            {t('signIn.signedOut')}
          </p>
        ) : null}
        {sso ? (
          <div className="card">
            <p>{t('sso.intro')}</p>
            {/* A full page load: the provider's page is another site. */}
            <a className="button-link" href={`/anmelden/sso?weiter=${encodeURIComponent(next)}`}>
              {sso.providerName ? t('sso.signInWith', { provider: sso.providerName }) : t('sso.signIn')}
            </a>
          </div>
        ) : null}
        {passwordLogin ? (
          <>
            <p>{t(sso ? 'signIn.introWithSso' : 'signIn.intro')}</p>
            <Form method="post" className="stack-form card">
              <input type="hidden" name="weiter" value={next} />
              <label htmlFor="email">{t('signIn.email')}</label>
              <input id="email" name="email" type="email" autoComplete="username" required autoFocus aria-invalid={result ? true : undefined} />
              <label htmlFor="password">{t('signIn.password')}</label>
              <input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={result ? true : undefined} />
              {result ? (
                <p role="alert" className="error">
                  {result.error === 'rateLimited' ? t('signIn.rateLimited', { count: result.minutes }) : result.error === 'passwordOff' ? t('signIn.passwordOff') : t('signIn.invalid')}
                </p>
              ) : null}
              <button type="submit" disabled={navigation.state !== 'idle'}>
                {t('signIn.submit')}
              </button>
            </Form>
            <p className="muted">{t('signIn.forgotten')}</p>
          </>
        ) : null}
      </main>
    </>
  )
}
