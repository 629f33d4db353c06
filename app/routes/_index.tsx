/** Start page: the list of boards and a form to create one. */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { createBoard, listBoards } from '../../db/boards.server'
import { LanguageSwitch } from '~/components/LanguageSwitch'

export const meta: MetaFunction = () => [{ title: 'Werkraum' }]

export async function loader({ context }: LoaderFunctionArgs) {
  const boards = await listBoards(context.sql)
  return { boards: boards.map((b) => ({ id: b.id, title: b.title, updatedAt: b.updatedAt.toISOString() })) }
}

const createForm = z.object({ title: z.string().trim().min(1).max(200) })

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = createForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ error: 'boards.titleRequired' as const }, { status: 400 })
  const board = await createBoard(context.sql, parsed.data)
  return redirect(`/boards/${board.id}`)
}

export default function Index() {
  const { boards } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>{t('app.name')}</h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <section aria-labelledby="create-heading" className="card">
        <h2 id="create-heading">{t('boards.create')}</h2>
        <Form method="post" className="create-form">
          <label htmlFor="title">{t('boards.titleLabel')}</label>
          <input id="title" name="title" required maxLength={200} placeholder={t('boards.titlePlaceholder')} aria-invalid={actionData?.error ? true : undefined} />
          <button type="submit" disabled={navigation.state !== 'idle'}>
            {t('boards.create')}
          </button>
          {actionData?.error ? (
            <p role="alert" className="error">
              {t(actionData.error)}
            </p>
          ) : null}
        </Form>
      </section>
      <section aria-labelledby="boards-heading">
        <h2 id="boards-heading">{t('boards.title')}</h2>
        {boards.length === 0 ? (
          <p>{t('boards.empty')}</p>
        ) : (
          <ul className="board-list">
            {boards.map((board) => (
              <li key={board.id}>
                <Link to={`/boards/${board.id}`}>{board.title}</Link>
                <span className="muted">
                  {t('boards.updated')}: {dateFormat.format(new Date(board.updatedAt))}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
