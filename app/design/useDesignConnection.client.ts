/**
 * Connects the Systemdesign page to its document's room: a Y.Doc synced over the y-websocket
 * protocol (the same `/yjs/<id>` endpoint and rules as boards), the connection state, and the
 * person's name and colour in Yjs awareness for the carets. Writers seed the Konfliktfelder
 * once after the first sync.
 */
import { useEffect, useState } from 'react'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { seedKonfliktfelderOnce } from '../../domain/design/model'

export type ConnectionState = 'connecting' | 'live' | 'offline'
export type DesignUser = { id: string; name: string; color: string }
export type DesignConnection = { doc: Y.Doc; provider: WebsocketProvider; synced: boolean; connection: ConnectionState }

/** Close codes after which the page reloads so its loader decides access anew (see collab/protocol.ts). */
const ACCESS_CHANGED_CODES = new Set([4401, 4403, 4409])

/** Opens the design document's room; returns null until the doc and provider exist. */
export function useDesignConnection(documentId: string, user: DesignUser, readOnly: boolean): DesignConnection | null {
  const [state, setState] = useState<DesignConnection | null>(null)

  useEffect(() => {
    const doc = new Y.Doc()
    const origin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`
    const provider = new WebsocketProvider(origin, documentId, doc, { maxBackoffTime: 5000 })
    let everSynced = false
    const publish = () => {
      const connected = provider.wsconnected && provider.synced
      setState({ doc, provider, synced: everSynced, connection: connected ? 'live' : everSynced ? 'offline' : 'connecting' })
    }
    const onSync = (synced: boolean) => {
      if (synced && !everSynced) {
        everSynced = true
        if (!readOnly) seedKonfliktfelderOnce(doc)
      }
      publish()
    }
    const onClose = (event: CloseEvent | null) => {
      if (event && ACCESS_CHANGED_CODES.has(event.code)) location.reload()
    }
    provider.on('sync', onSync)
    provider.on('status', publish)
    provider.on('connection-close', onClose)
    publish()
    return () => {
      provider.off('sync', onSync)
      provider.off('status', publish)
      provider.off('connection-close', onClose)
      provider.destroy()
      doc.destroy()
    }
  }, [documentId, readOnly])

  const provider = state?.provider
  useEffect(() => {
    provider?.awareness.setLocalStateField('user', { name: user.name, color: user.color })
  }, [provider, user])

  return state
}
