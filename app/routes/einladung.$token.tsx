/** Accepting an invitation: set name and password (or, signed in as the invitee, just accept); then signed in on the dashboard. */
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { startSession } from '../../access/authenticate.server'
import { accept, invitationPage } from '~/admin/invitations.server'
import { currentPrincipal, newPasswordProblem, passwordRules } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Einladung · Werkraum' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const page = await invitationPage(context, params.token ?? '', await currentPrincipal(request, context))
  return data({ ...page, minLength: passwordRules.minLength, passwordLogin: context.services.passwordLogin }, { status: page.valid ? 200 : 410 })
}

const newAccount = z.object({ name: z.string().trim().min(1).max(200), password: z.string(), passwordRepeat: z.string() })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const secret = params.token ?? ''
  const principal = await currentPrincipal(request, context)
  const page = await invitationPage(context, secret, principal)
  if (!page.valid) return data({ error: 'invitation.invalid', values: {} }, { status: 410 })
  if (page.visitor === 'other') return data({ error: 'invitation.otherPerson', values: {} }, { status: 409 })
  if (principal && page.visitor === 'invitee') {
    const result = await accept(context, secret, { existingPersonId: principal.personId })
    if (!result.ok) return data({ error: 'invitation.invalid', values: {} }, { status: 410 })
    return redirect('/')
  }
  // Single sign-on only: the invitation is accepted by signing in through the provider with the invited address.
  if (!context.services.passwordLogin) return data({ error: 'signIn.passwordOff', values: {} }, { status: 403 })
  const parsed = newAccount.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'password.nameRequired', values: {} }, { status: 400 })
  const problem = newPasswordProblem(parsed.data.password, parsed.data.passwordRepeat)
  if (problem) return data({ error: problem.key, values: problem.values }, { status: 400 })
  const result = await accept(context, secret, { name: parsed.data.name, password: parsed.data.password })
  if (!result.ok) {
    return data({ error: result.reason === 'account_exists' ? 'invitation.accountExists' : 'invitation.invalid', values: {} }, { status: 409 })
  }
  const cookie = await startSession(context.sql, result.personId, { secure: context.client.secure })
  return redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export default function InvitationPage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [search] = useSearchParams()
  const location = useLocation()
  const { t } = useTranslation()
  if (!page.valid) {
    return (
      <>
        <AppHeader />
        <main className="page narrow">
          <h1>{t('invitation.invalidTitle')}</h1>
          <p className="alert-box">{t('invitation.invalid')}</p>
          <p>
            <Link to="/">{t('errors.home')}</Link>
          </p>
        </main>
      </>
    )
  }
  const error = result ? (
    <p role="alert" className="error">
      {t(result.error, result.values)}
      {result.error === 'invitation.accountExists' ? (
        <>
          {' '}
          <Link to={`/anmelden?weiter=${encodeURIComponent(location.pathname)}`}>{t('invitation.signInFirst')}</Link>
        </>
      ) : null}
    </p>
  ) : null
  const intro = t('invitation.intro', { role: t(`roles.${page.role}`), scope: page.scope ? t('invitation.inScope', { scope: page.scope }) : '' })
  return (
    <>
      <AppHeader />
      <main className="page narrow">
        <h1>{t('invitation.title')}</h1>
        <p>{intro}</p>
        {page.visitor === 'other' ? (
          <p className="alert-box">{t('invitation.otherPerson', { signedIn: page.signedInAs, invited: page.email })}</p>
        ) : page.visitor === 'invitee' ? (
          <Form method="post" className="stack-form card">
            <p>{t('invitation.signedInAs', { email: page.email })}</p>
            {error}
            <button type="submit" disabled={busy}>
              {t('invitation.accept')}
            </button>
          </Form>
        ) : !page.passwordLogin ? (
          <div className="card">
            <p>{t('invitation.viaSso', { email: page.email })}</p>
            <a className="button-link" href="/anmelden/sso?weiter=%2F">
              {t('sso.signIn')}
            </a>
          </div>
        ) : (
          <Form method="post" className="stack-form card">
            <label htmlFor="invite-email">{t('invitation.email')}</label>
            <input id="invite-email" value={page.email} readOnly autoComplete="username" />
            <label htmlFor="name">{t('invitation.name')}</label>
            <input id="name" name="name" required maxLength={200} autoComplete="name" defaultValue={search.get('name') ?? ''} />
            <label htmlFor="password">{t('invitation.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              required
              minLength={page.minLength}
              autoComplete="new-password"
              aria-describedby="password-hint"
            />
            <p id="password-hint" className="hint">
              {t('invitation.passwordHint', { min: page.minLength })}
            </p>
            <label htmlFor="passwordRepeat">{t('invitation.passwordRepeat')}</label>
            <input id="passwordRepeat" name="passwordRepeat" type="password" required minLength={page.minLength} autoComplete="new-password" />
            {error}
            <button type="submit" disabled={busy}>
              {t('invitation.submit')}
            </button>
          </Form>
        )}
      </main>
    </>
  )
}
