/** A board: its title, the connection state, and the live tldraw editor (client-only) — read-only when the policy says so. */
import { Link, useLoaderData } from '@remix-run/react'
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { lazy, Suspense, useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { boardAccess, can } from '../../access/policy'
import { getBoard, getDesignDocument, recordVisit } from '../../db/boards.server'
import { forbidden, personOf, requirePrincipal } from '~/auth.server'
import { sessionForBoard } from '~/facilitation/sessions.server'
import { SessionBar } from '~/facilitation/SessionBar'
import { useBoardSession } from '~/facilitation/useSession'
import { PrivateLayer } from '~/board/PrivateLayer.client'
import { useHydrated } from '~/hooks/useHydrated'
import { createI18n, localeFromRequest } from '~/i18n'
import { templateChoices, templateTargets } from '../../collab/features/templates.server'
import TemplateTools from '~/templates/TemplateTools.client'
import BoardComments from '~/comments/BoardComments.client'

const loadBoardEditor = () => import('~/board/BoardEditor.client')
/** The editor chunk (tldraw, most of the page's JS) starts loading as soon as this module runs in the browser — alongside hydration, not after it (issue 18). */
const editorChunk = typeof document === 'undefined' ? null : loadBoardEditor()
editorChunk?.catch(() => {}) // a failed load is reported where the editor renders (lazy gets the same promise)
const BoardEditor = lazy(() => editorChunk ?? loadBoardEditor())
const DesignLink = lazy(() => import('~/design/DesignLink.client'))

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.board.title} · Werkraum` : 'Werkraum' }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const board = await getBoard(context.sql, params.boardId ?? '')
  if (!board) {
    const t = createI18n(localeFromRequest(request)).t
    throw new Response(t('board.notFound'), { status: 404 })
  }
  const access = boardAccess(principal, board)
  if (access === 'none') throw forbidden()
  // The Systemdesign document shares the room machinery but is no whiteboard: it has its own page.
  if (board.kind === 'design' && board.municipalityId) throw redirect(`/kommunen/${board.municipalityId}/systemdesign`)
  // A private layer is bound inside its board's page, never opened on its own.
  if (board.kind === 'private' && board.privateOf) throw redirect(`/boards/${board.privateOf}`)
  await recordVisit(context.sql, principal.personId, board.id)
  const person = await personOf(context, principal)
  // A municipality's board speaks its Systemdesign: KMS shapes are linked to the design's entries.
  const designDocument = board.municipalityId ? await getDesignDocument(context.sql, board.municipalityId) : null
  const designAccess = designDocument ? boardAccess(principal, designDocument) : 'none'
  return {
    design:
      designDocument && board.municipalityId && designAccess !== 'none'
        ? { id: designDocument.id, municipalityId: board.municipalityId, readOnly: designAccess === 'read' || access === 'read' }
        : null,
    board: { id: board.id, title: board.title, backTo: board.municipalityId ? `/kommunen/${board.municipalityId}` : board.courseId ? `/kurse/${board.courseId}` : '/' },
    readOnly: access === 'read',
    facilitates: can(principal, { type: 'board.facilitate', board }),
    person: { id: person.id, name: person.name },
    editor: { licenseKey: context.env.tldrawLicenseKey ?? null, assetsBase: context.env.tldrawAssetsBase },
    session: await sessionForBoard(context.sql, principal, board),
    templates: access === 'write' ? await templateChoices(context.sql, principal, board, localeFromRequest(request)) : [],
    templateTargets: access === 'write' ? await templateTargets(context.sql, principal, board) : [],
  }
}

export default function BoardPage() {
  const { board, readOnly, facilitates, person, editor, session, design, templates, templateTargets } = useLoaderData<typeof loader>()
  const hydrated = useHydrated()
  const { t } = useTranslation()
  // The page watches its courses' sessions from the start: a session opened later shows up without a reload.
  const live = useBoardSession(board.id, session)
  const info = live.info
  // Private mode (decision 0020): a participant's new notes go to their private layer — and,
  // while the page does not know yet whether the mode is on, are held there too (issue 15).
  const privateMode = !live.known ? ('unknown' as const) : live.role === 'participant' && live.session?.status === 'open' && live.session.state.privateBoards.includes(board.id)
  const { emit } = live
  const sessionId = info?.id ?? null
  const requestLayer = useCallback(async () => {
    if (!sessionId) return 'refused' as const
    const answer = await emit('private:layer', { sessionId, boardId: board.id })
    if (answer.ok && typeof answer.layerId === 'string' && /^[\w-]{1,64}$/.test(answer.layerId)) return answer.layerId
    return answer.error === 'forbidden' || answer.error === 'not_found' ? ('refused' as const) : null
  }, [emit, sessionId, board.id])
  return (
    <div className="board-page">
      {hydrated ? (
        <Suspense fallback={<p className="board-loading">{t('board.loading')}</p>}>
          <BoardEditor
            key={board.id}
            boardId={board.id}
            title={board.title}
            backTo={board.backTo}
            readOnly={readOnly}
            facilitates={facilitates}
            personId={person.id}
            personName={person.name}
            licenseKey={editor.licenseKey}
            assetsBase={editor.assetsBase}
            tools={(tl) => (
              <>
                {readOnly ? null : <TemplateTools editor={tl} templates={templates} targets={templateTargets} />}
                <BoardComments editor={tl} boardId={board.id} readOnly={readOnly} />
              </>
            )}
            banner={(tl, boardLocked) => (
                    <>
                      {/* Stays mounted through every state of the session: unmounting would take unrevealed notes off screen. */}
                      {readOnly || facilitates ? null : <PrivateLayer editor={tl} on={privateMode} requestLayer={requestLayer} localKey={`${board.id}-${person.id}`} />}
                      {info ? <SessionBar session={info} live={live} boardId={board.id} personId={person.id} editor={tl} boardLocked={boardLocked} /> : null}
                      {design ? (
                        <Suspense fallback={null}>
                          <DesignLink editor={tl} designId={design.id} municipalityId={design.municipalityId} readOnly={design.readOnly} person={person} />
                        </Suspense>
                      ) : null}
                    </>
                  )}
          />
        </Suspense>
      ) : (
        <header className="board-bar">
          <Link to={board.backTo}>← {t('boards.back')}</Link>
          <h1>{board.title}</h1>
          <p className="board-loading">{t('board.loading')}</p>
        </header>
      )}
    </div>
  )
}
