/** A board: its title, the connection state, and the live tldraw editor (client-only). */
import { Link, useLoaderData } from '@remix-run/react'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { getBoard } from '../../db/boards.server'
import { useHydrated } from '~/hooks/useHydrated'
import { localeFromRequest } from '~/i18n'
import { createI18n } from '~/i18n'

const BoardEditor = lazy(() => import('~/board/BoardEditor.client'))

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.board.title} · Werkraum` : 'Werkraum' }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const board = await getBoard(context.sql, params.boardId ?? '')
  if (!board) {
    const t = createI18n(localeFromRequest(request)).t
    throw new Response(t('board.notFound'), { status: 404 })
  }
  return {
    board: { id: board.id, title: board.title },
    editor: { licenseKey: context.env.tldrawLicenseKey ?? null, assetsBase: context.env.tldrawAssetsBase },
  }
}

export default function BoardPage() {
  const { board, editor } = useLoaderData<typeof loader>()
  const hydrated = useHydrated()
  const { t } = useTranslation()
  return (
    <div className="board-page">
      {hydrated ? (
        <Suspense fallback={<p className="board-loading">{t('board.loading')}</p>}>
          <BoardEditor boardId={board.id} title={board.title} licenseKey={editor.licenseKey} assetsBase={editor.assetsBase} />
        </Suspense>
      ) : (
        <header className="board-bar">
          <Link to="/">← {t('boards.back')}</Link>
          <h1>{board.title}</h1>
          <p className="board-loading">{t('board.loading')}</p>
        </header>
      )}
    </div>
  )
}
