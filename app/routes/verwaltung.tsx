/** Administration (administrators only): everyone with their roles, and reset links to pass on. */
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { peopleWithRoles, resetLinkFor } from '~/admin/people.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Verwaltung · Werkraum' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'installation.manage' })
  return { people: await peopleWithRoles(context.sql) }
}

const resetForm = z.object({ intent: z.literal('reset'), personId: z.uuid() })

export async function action({ request, context }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'installation.manage' })
  const parsed = resetForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'common.invalid' as const, reset: null }, { status: 400 })
  const reset = await resetLinkFor(context, parsed.data.personId, principal.personId)
  if (!reset) throw notFound()
  return { error: null, reset }
}

export default function Administration() {
  const { people } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' })
  return (
    <>
      <AppHeader />
      <main className="page wide">
        <h1>{t('admin.title')}</h1>
        {result?.reset ? (
          <div role="status" className="success">
            <p>{t('admin.resetIssued', { email: result.reset.email })}</p>
            <input
              className="link-box"
              readOnly
              value={result.reset.link}
              aria-label={t('admin.issueResetLabel', { email: result.reset.email })}
              data-testid="reset-link"
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
        ) : null}
        {result?.error ? (
          <p role="alert" className="error">
            {t(result.error)}
          </p>
        ) : null}
        <section aria-labelledby="people-heading">
          <h2 id="people-heading">{t('admin.people')}</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.email')}</th>
                <th scope="col">{t('admin.roles')}</th>
                <th scope="col">{t('admin.createdAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.issueReset')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map((person) => (
                <tr key={person.id}>
                  <td>{person.name}</td>
                  <td>{person.email}</td>
                  <td>
                    {person.roles.length === 0 ? (
                      <span className="muted">{t('admin.noRoles')}</span>
                    ) : (
                      <ul className="link-list">
                        {person.roles.map((r) => (
                          <li key={r.id}>
                            {t(`roles.${r.role}`)}
                            {r.scope ? <span className="muted"> · {r.scope}</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{date.format(new Date(person.createdAt))}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="reset" />
                      <input type="hidden" name="personId" value={person.id} />
                      <button type="submit" disabled={busy} aria-label={t('admin.issueResetLabel', { email: person.email })}>
                        {t('admin.issueReset')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </main>
    </>
  )
}
