/** The signed-in person's personal access tokens: issue one with a name and expiry (secret shown once), see when each was used, revoke it. */
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { issuePersonalToken, listPersonalTokens, newTokenInput, revokePersonalToken } from '../../access/personal-tokens.server'
import { notFound, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Zugangstoken · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  return { tokens: await listPersonalTokens(context.sql, principal.personId) }
}

const tokenForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), name: z.string(), expiresInDays: z.enum(['30', '90', '365', 'never']) }),
  z.object({ intent: z.literal('revoke'), tokenId: z.uuid() }),
])

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const form = tokenForm.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) return data({ error: 'tokens.invalid' as const, issued: null }, { status: 400 })
  if (form.data.intent === 'revoke') {
    if (!(await revokePersonalToken(context.sql, form.data.tokenId, principal.personId, context.services.tokenRevoked))) throw notFound()
    return { error: null, issued: null }
  }
  const input = newTokenInput.safeParse({ name: form.data.name, expiresInDays: form.data.expiresInDays === 'never' ? null : form.data.expiresInDays })
  if (!input.success) return data({ error: 'tokens.invalid' as const, issued: null }, { status: 400 })
  const issued = await issuePersonalToken(context.sql, principal.personId, input.data)
  return { error: null, issued: { name: issued.name, token: issued.token } }
}

export default function PersonalTokens() {
  const { tokens } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' })
  const when = (value: string | Date | null, none: string) => (value ? date.format(new Date(value)) : none)
  return (
    <>
      <AppHeader />
      <main className="page wide">
        <h1>{t('tokens.title')}</h1>
        <p>{t('tokens.intro')}</p>
        {result?.issued ? (
          <div role="status" className="success">
            <p>{t('tokens.issued', { name: result.issued.name })}</p>
            <input className="link-box" readOnly value={result.issued.token} aria-label={t('tokens.secret')} data-testid="new-token" onFocus={(e) => e.currentTarget.select()} />
          </div>
        ) : null}
        {result?.error ? (
          <p role="alert" className="error">
            {t(result.error)}
          </p>
        ) : null}
        <Form method="post" className="stack-form card">
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="token-name">{t('tokens.name')}</label>
          <input id="token-name" name="name" required maxLength={100} placeholder={t('tokens.namePlaceholder')} />
          <label htmlFor="token-expiry">{t('tokens.expiry')}</label>
          <select id="token-expiry" name="expiresInDays" defaultValue="90">
            <option value="30">{t('tokens.days', { count: 30 })}</option>
            <option value="90">{t('tokens.days', { count: 90 })}</option>
            <option value="365">{t('tokens.days', { count: 365 })}</option>
            <option value="never">{t('tokens.never')}</option>
          </select>
          <button type="submit" disabled={busy}>
            {t('tokens.create')}
          </button>
        </Form>
        <section aria-labelledby="tokens-heading">
          <h2 id="tokens-heading">{t('tokens.list')}</h2>
          {tokens.length === 0 ? (
            <p className="muted">{t('tokens.none')}</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>{t('tokens.name')}</th>
                  <th>{t('tokens.created')}</th>
                  <th>{t('tokens.lastUsed')}</th>
                  <th>{t('tokens.expires')}</th>
                  <th>{t('tokens.status')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>{when(token.createdAt, '')}</td>
                    <td>{when(token.lastUsedAt, t('tokens.neverUsed'))}</td>
                    <td>{when(token.expiresAt, t('tokens.noExpiry'))}</td>
                    <td>{t(`tokens.statuses.${token.status}`)}</td>
                    <td>
                      {token.status === 'active' ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={token.id} />
                          <button type="submit" disabled={busy} aria-label={t('tokens.revokeLabel', { name: token.name })}>
                            {t('tokens.revoke')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </>
  )
}
