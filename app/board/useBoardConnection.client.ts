/**
 * Connects a board page to its room: a Y.Doc synced over the y-websocket protocol, a tldraw
 * store bound to it once the first sync arrived, and presence through Yjs awareness. The doc is
 * also kept in IndexedDB (y-indexeddb): edits made while offline survive a page reload and are
 * sent when the connection returns (the client's outbox). Signing out clears these copies.
 */
import { useEffect, useState } from 'react'
import {
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLStore,
  type TLStoreWithStatus,
} from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { listenForNotices } from '../../collab/notice-client'
import { LOCKS_MAP_NAME } from '../../collab/features/locks'
import { privateLayerSkip } from '../../collab/private-layer-binding'
import { bindPresence, bindStoreToYDoc, getRecordsMap } from '../../collab/tldraw-binding'
import { customShapeUtils } from './KmsShapeUtil.client'
import { boardAssetStore } from './asset-store.client'
import { LOCAL_DB_PREFIX } from './local-copies.client'

export type ConnectionState = 'connecting' | 'live' | 'offline'
/**
 * Whether the server could store this board's edits: `not-saved` while its database is away
 * (edits are shared live and held), `refused` when it could not take this person's edit
 * (kept here and sent again later), `document-too-large` when the board is full.
 */
export type SaveState = 'saved' | 'not-saved' | 'refused' | 'document-too-large'

/** Close codes after which the page reloads, so that its loader decides access anew (see collab/protocol.ts). */
const ACCESS_CHANGED_CODES = new Set([4401, 4403, 4409])
export type LocalUser = { id: string; name: string; color: string }

const boardDocs = new WeakMap<TLStore, Y.Doc>()
/** The board doc a board page's store is bound to (for the private layer, which binds alongside it). */
export function boardDocOf(store: TLStore): Y.Doc | undefined {
  return boardDocs.get(store)
}

/** Opens the board's room and returns the store (for <Tldraw>), the connection state and the provider. */
export function useBoardConnection(boardId: string, user: LocalUser) {
  const [state, setState] = useState<{ store: TLStoreWithStatus; connection: ConnectionState; provider: WebsocketProvider | null }>({
    store: { status: 'loading' },
    connection: 'connecting',
    provider: null,
  })
  const [boardLocked, setBoardLocked] = useState(false)
  const [presence, setPresence] = useState<ReturnType<typeof bindPresence> | null>(null)
  const [saveState, setSaveState] = useState<SaveState>('saved')

  // biome-ignore lint/correctness/useExhaustiveDependencies: the user is applied through presence.setUser below; a rename must not reconnect
  useEffect(() => {
    const doc = new Y.Doc()
    const local = new IndexeddbPersistence(`${LOCAL_DB_PREFIX}${boardId}`, doc)
    const origin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`
    const provider = new WebsocketProvider(origin, boardId, doc, { maxBackoffTime: 5000 })
    const store = createTLStore({ shapeUtils: [...defaultShapeUtils, ...customShapeUtils], bindingUtils: defaultBindingUtils, assets: boardAssetStore(boardId) })
    boardDocs.set(store, doc)
    let binding: { dispose(): void } | null = null
    let presenceBinding: ReturnType<typeof bindPresence> | null = null
    let everSynced = false

    let last: { store: TLStoreWithStatus; connection: ConnectionState } | null = null
    // Publishes only real changes: every reconnect attempt while offline emits a status event,
    // and a new store object each time would remount the editor under the person's pen.
    const publish = () => {
      const connected = provider.wsconnected && provider.synced
      const connection: ConnectionState = connected ? 'live' : everSynced ? 'offline' : 'connecting'
      const connectionStatus = connected ? 'online' : 'offline'
      const status = binding ? 'synced-remote' : 'loading'
      if (
        last &&
        last.connection === connection &&
        last.store.status === status &&
        (status === 'loading' || (last.store as { connectionStatus?: string }).connectionStatus === connectionStatus)
      ) {
        return
      }
      const next = {
        store: binding ? ({ status: 'synced-remote', connectionStatus, store } as const) : ({ status: 'loading' } as const),
        connection,
      }
      last = next
      setState({ ...next, provider })
    }
    const bind = () => {
      // Records a private layer claims (private mode, decision 0020) never enter the board doc.
      binding = bindStoreToYDoc(store, doc, { skip: privateLayerSkip(store) })
      presenceBinding = bindPresence(store, provider.awareness, user)
      setPresence(presenceBinding)
    }
    const onSync = (synced: boolean) => {
      if (synced) everSynced = true
      if (synced && !binding) {
        seedEmptyBoard(store, doc)
        bind()
      }
      publish()
    }
    // Without a server yet, a board this browser already holds opens from its local copy.
    void local.whenSynced.then(() => {
      if (binding || getRecordsMap(doc).size === 0) return
      everSynced = true
      bind()
      publish()
    })
    const onClose = (event: CloseEvent | null) => {
      if (event && ACCESS_CHANGED_CODES.has(event.code)) location.reload()
    }
    const stopNotices = listenForNotices(provider, (notice) => {
      if (notice.kind === 'refused') setSaveState(notice.reason === 'document-too-large' ? 'document-too-large' : 'refused')
      else setSaveState(notice.kind)
    })
    // Locks (collab/features/locks.ts) replicate with the board. The room puts back an edit of a locked
    // shape and sends the correction here too (decision 0039), so nothing is held back.
    const locks = doc.getMap(LOCKS_MAP_NAME)
    const onLocks = () => setBoardLocked(locks.has('board'))
    locks.observe(onLocks)
    provider.on('sync', onSync)
    provider.on('status', publish)
    provider.on('connection-close', onClose)
    return () => {
      provider.off('sync', onSync)
      provider.off('status', publish)
      provider.off('connection-close', onClose)
      stopNotices()
      locks.unobserve(onLocks)
      presenceBinding?.dispose()
      binding?.dispose()
      provider.destroy()
      void local.destroy()
      doc.destroy()
    }
    // The user is applied through presence.setUser below; reconnecting on a rename would be wrong.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boardId])

  useEffect(() => {
    presence?.setUser(user)
  }, [presence, user])

  return { ...state, saveState, boardLocked }
}

/**
 * A board nobody has opened yet gets its document and first page with fixed ids, so two
 * people opening it at once converge on one page instead of two.
 */
function seedEmptyBoard(store: TLStore, doc: Y.Doc) {
  if (getRecordsMap(doc).size > 0) return
  store.put([
    DocumentRecordType.create({ id: TLDOCUMENT_ID }),
    PageRecordType.create({ id: PageRecordType.createId('page'), name: 'Seite 1', index: 'a1' as never }),
  ])
}
