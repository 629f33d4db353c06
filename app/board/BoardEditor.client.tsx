/** The live board: tldraw bound to the board's Yjs room, with connection state, the signed-in person's cursor and — for readers — a read-only editor. */
import { Link } from '@remix-run/react'
import { useEffect, useMemo, useState, useCallback, useSyncExternalStore, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Tldraw, useTldrawCurrentUser, type Editor, type TLUiOverrides, type TLUserPreferences } from 'tldraw'
import { getAssetUrls } from '@tldraw/assets/selfHosted'
import 'tldraw/tldraw.css'
import { customShapeUtils } from './KmsShapeUtil.client'
import { useBoardConnection, type LocalUser } from './useBoardConnection.client'
import { LanguageSwitch } from '~/components/LanguageSwitch'
import { BoardTools } from './BoardTools.client'
import { CanvasOverlayContext, CanvasOverlayView, createCanvasOverlaySlot } from './canvas-overlay'
import { presenceColor } from '../../collab/presence-identity'

type Props = {
  boardId: string
  title: string
  /** Where the back link leads (the board's municipality or course). */
  backTo: string
  /** The person may only read: the editor is read-only and a badge says so. */
  readOnly: boolean
  /** The person facilitates this board (lecturer): locks do not apply to them. */
  facilitates?: boolean
  /** The signed-in person: their id identifies them in presence and in tldraw's attribution records. */
  personId: string
  /** The signed-in person's name, shown with their cursor. */
  personName: string
  licenseKey: string | null
  assetsBase: string
  /** Rendered between the bar and the canvas (e.g. the live session bar), given the editor once it is mounted. */
  banner?: (editor: Editor | null, boardLocked: boolean) => ReactNode
  /** Rendered in the bar (e.g. the template menu), given the editor once it is mounted. */
  tools?: (editor: Editor | null) => ReactNode
}

/** tldraw's component slots; stable, so re-rendering BoardEditor never remounts the editor. */
const EDITOR_COMPONENTS = { InFrontOfTheCanvas: CanvasOverlayView }
/**
 * Participants do not get tldraw's own lock and unlock (menu entries and shift+L): locks are
 * the lecturer's, set from the session bar; the server puts back any change of the flag anyway.
 */
const PARTICIPANT_OVERRIDES: TLUiOverrides = {
  actions(_editor, actions) {
    const { 'toggle-lock': _lock, 'unlock-all': _unlockAll, ...rest } = actions
    return rest
  },
}

/**
 * Holds the mounted editor outside React state: setting state in BoardEditor from tldraw's
 * onMount re-renders <Tldraw> with a new user object and remounts the editor in a loop.
 */
function createEditorSlot() {
  let editor: Editor | null = null
  const listeners = new Set<() => void>()
  return {
    get: () => editor,
    set(next: Editor) {
      editor = next
      for (const listener of listeners) listener()
    },
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * Keeps the editor read-only while the person may only read or the lecturer locked the board
 * (the server puts such edits back anyway). A child of its own: re-rendering BoardEditor when the
 * editor mounts would remount tldraw.
 */
function ReadOnlySync({ slot, readOnly }: { slot: ReturnType<typeof createEditorSlot>; readOnly: boolean }) {
  const editor = useSyncExternalStore(slot.subscribe, slot.get, () => null)
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: readOnly })
  }, [editor, readOnly])
  return null
}

function EditorBanner({ slot, render, boardLocked }: { slot: ReturnType<typeof createEditorSlot>; render: NonNullable<Props['banner']>; boardLocked: boolean }) {
  const editor = useSyncExternalStore(slot.subscribe, slot.get, () => null)
  return <>{render(editor, boardLocked)}</>
}

export default function BoardEditor({ boardId, title, backTo, readOnly, facilitates = false, personId, personName, licenseKey, assetsBase, banner, tools }: Props) {
  const { t, i18n } = useTranslation()
  // The signed-in person, as the server stamps them into every awareness state (collab/awareness-guard.ts).
  const user: LocalUser = useMemo(() => ({ id: personId, name: personName.slice(0, 60), color: presenceColor(personId) }), [personId, personName])
  const { store, connection, saveState, boardLocked } = useBoardConnection(boardId, user)
  const lockedForMe = boardLocked && !facilitates
  const assetUrls = useMemo(() => getAssetUrls({ baseUrl: assetsBase }), [assetsBase])
  const [editorSlot] = useState(createEditorSlot)
  const [overlaySlot] = useState(createCanvasOverlaySlot)

  const onMount = useCallback(
    (editor: Editor) => {
      editor.updateInstanceState({ isReadonly: readOnly })
      editorSlot.set(editor)
      // The mounted editor, for the browser console and browser tests (they act as a person's page would).
      ;(window as { werkraumEditor?: Editor }).werkraumEditor = editor
    },
    [readOnly, editorSlot],
  )

  const preferences: TLUserPreferences = useMemo(() => ({ id: user.id, name: user.name, color: user.color, locale: i18n.language }), [user, i18n.language])
  // The name is the signed-in one: a name typed into tldraw's own preferences is not taken.
  const tlUser = useTldrawCurrentUser({ userPreferences: preferences, setUserPreferences: () => {} })

  return (
    <CanvasOverlayContext.Provider value={overlaySlot}>
      <div className="board-shell">
        <header className="board-bar">
          <Link to={backTo}>← {t('boards.back')}</Link>
          <h1>{title}</h1>
          {readOnly ? (
            <span className="badge-readonly" title={t('board.readOnlyHint')} data-testid="read-only">
              {t('board.readOnly')}
            </span>
          ) : null}
          <span className={`connection connection-${connection}`} role="status" data-testid="connection-state">
            {t(`board.${connection}`)}
          </span>
          <EditorBanner slot={editorSlot} boardLocked={boardLocked} render={(editor) => <BoardTools editor={editor} boardId={boardId} title={title} readOnly={readOnly || lockedForMe} />} />
          {tools ? <EditorBanner slot={editorSlot} boardLocked={boardLocked} render={tools} /> : null}
          <LanguageSwitch />
        </header>
        {saveState !== 'saved' ? (
          <div className={`save-banner save-${saveState}`} role="alert" data-testid="save-state">
            {t(`board.save.${saveState}`)}
          </div>
        ) : null}
        <ReadOnlySync slot={editorSlot} readOnly={readOnly || lockedForMe} />
        {lockedForMe ? (
          <p className="session-announcement" role="status" data-testid="board-locked">
            {t('facilitation.boardLocked')}
          </p>
        ) : null}
        {banner ? <EditorBanner slot={editorSlot} render={banner} boardLocked={boardLocked} /> : null}
        <div className="board-canvas">
          <Tldraw
            store={store}
            shapeUtils={customShapeUtils}
            components={EDITOR_COMPONENTS}
            assetUrls={assetUrls}
            licenseKey={licenseKey ?? undefined}
            user={tlUser}
            overrides={facilitates ? undefined : PARTICIPANT_OVERRIDES}
            onMount={onMount}
          />
        </div>
      </div>
    </CanvasOverlayContext.Provider>
  )
}
