/** Setting a new password from an administrator's reset link; ends the person's other sessions and signs them in here. */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { startSession } from '../../access/authenticate.server'
import { personForResetLink, resetPassword } from '../../access/password-reset.server'
import { getPerson } from '../../db/people.server'
import { newPasswordProblem, passwordRules } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Passwort · Werkraum' }]

export async function loader({ context, params }: LoaderFunctionArgs) {
  const personId = await personForResetLink(context.sql, params.token ?? '')
  const person = personId ? await getPerson(context.sql, personId) : null
  if (!person) return data({ valid: false as const, email: '', minLength: passwordRules.minLength }, { status: 410 })
  return { valid: true as const, email: person.email, minLength: passwordRules.minLength }
}

const resetForm = z.object({ password: z.string(), passwordRepeat: z.string() })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const parsed = resetForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'common.invalid', values: {} }, { status: 400 })
  const problem = newPasswordProblem(parsed.data.password, parsed.data.passwordRepeat)
  if (problem) return data({ error: problem.key, values: problem.values }, { status: 400 })
  const result = await resetPassword(context.sql, params.token ?? '', parsed.data.password)
  if (!result.ok) return data({ error: 'reset.invalid', values: {} }, { status: 410 })
  // Every session of the person ended: so do their open sockets (a thief's included), on every process.
  await context.services.closeSocketsOf({ personId: result.personId })
  const cookie = await startSession(context.sql, result.personId, { secure: context.client.secure })
  return redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export default function PasswordReset() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t } = useTranslation()
  return (
    <>
      <AppHeader />
      <main className="page narrow">
        {!page.valid ? (
          <>
            <h1>{t('reset.invalidTitle')}</h1>
            <p className="alert-box">{t('reset.invalid')}</p>
            <p>
              <Link to="/anmelden">{t('signIn.title')}</Link>
            </p>
          </>
        ) : (
          <>
            <h1>{t('reset.title')}</h1>
            <p>{t('reset.intro', { email: page.email })}</p>
            <Form method="post" className="stack-form card">
              <input type="hidden" name="username" value={page.email} autoComplete="username" />
              <label htmlFor="password">{t('reset.password')}</label>
              <input id="password" name="password" type="password" required minLength={page.minLength} autoComplete="new-password" aria-describedby="password-hint" />
              <p id="password-hint" className="hint">
                {t('invitation.passwordHint', { min: page.minLength })}
              </p>
              <label htmlFor="passwordRepeat">{t('reset.passwordRepeat')}</label>
              <input id="passwordRepeat" name="passwordRepeat" type="password" required minLength={page.minLength} autoComplete="new-password" />
              {result ? (
                <p role="alert" className="error">
                  {t(result.error, result.values)}
                </p>
              ) : null}
              <button type="submit" disabled={busy}>
                {t('reset.submit')}
              </button>
            </Form>
          </>
        )}
      </main>
    </>
  )
}
