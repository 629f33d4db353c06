/**
 * Private mode on a participant's board page (decision 0020): binds the person's private layer
 * — a second Y.Doc with its own room and IndexedDB copy — to the editor's store, so the notes
 * they make while the mode is on go to the layer and never into the shared board document.
 */
import { useEffect, useRef } from 'react'
import type { Editor, TLStore } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { bindPrivateLayer, type PrivateLayerBinding } from '../../collab/private-layer-binding'
import { LOCAL_DB_PREFIX } from './local-copies.client'
import { boardDocOf } from './useBoardConnection.client'

type Layer = { doc: Y.Doc; binding: PrivateLayerBinding; provider: WebsocketProvider | null; local: IndexeddbPersistence | null }

const RETRY_MS = 3000

/**
 * Binds the private layer from the first moment the mode is `on` until the page goes: after the
 * mode ends, new shapes go to the board again, while notes not yet revealed stay in the layer.
 * While the page does not know yet whether the mode is on (`'unknown'`), new notes are held in a
 * layer of this page alone (no server, no IndexedDB); once it knows, they go to the private
 * layer (on) or to the board (off) — never to the board while the mode might be on.
 * `requestLayer` asks the server for the layer's id: null when it cannot answer now (asked
 * again shortly), 'refused' when it will not (e.g. the person may only read the board).
 */
export function PrivateLayer({
  editor,
  on,
  requestLayer,
  localKey,
}: {
  editor: Editor | null
  on: boolean | 'unknown'
  requestLayer: () => Promise<string | 'refused' | null>
  /** Names this browser's copy of the layer (board and person: one layer each), kept from the first note on. */
  localKey: string
}) {
  const layerRef = useRef<Layer | null>(null)
  // Keyed on the store, not the editor: a remounted editor keeps the same store and layer.
  const store: TLStore | null = editor?.store ?? null

  // biome-ignore lint/correctness/useExhaustiveDependencies: the store is the key on purpose: a new store drops the old layer
  useEffect(() => {
    return () => {
      const layer = layerRef.current
      layerRef.current = null
      if (!layer) return
      layer.binding.dispose()
      layer.provider?.destroy()
      void layer.local?.destroy()
      layer.doc.destroy()
    }
  }, [store])

  useEffect(() => {
    if (!store) return
    const held = layerRef.current
    if (!on) {
      if (held && !held.local) {
        // Only held while the page did not know: the mode is off, so the held notes belong on the board.
        held.binding.release()
        held.binding.dispose()
        held.doc.destroy()
        layerRef.current = null
      }
      held?.binding.setActive(false)
      return
    }
    if (!layerRef.current) {
      const boardDoc = boardDocOf(store)
      if (!boardDoc) return
      const doc = new Y.Doc()
      layerRef.current = { doc, binding: bindPrivateLayer(store, doc, boardDoc), provider: null, local: null }
    }
    layerRef.current.binding.setActive(true)
    if (on === 'unknown') return
    // Kept in IndexedDB from now on, before the server named the layer: notes made meanwhile are not lost.
    layerRef.current.local ??= new IndexeddbPersistence(`${LOCAL_DB_PREFIX}private-${localKey}`, layerRef.current.doc)
    if (layerRef.current.provider) return
    let cancelled = false
    const connect = async () => {
      while (!cancelled) {
        const layerId = await requestLayer()
        const layer = layerRef.current
        if (cancelled || !layer) return
        // Refused for good (e.g. the session is gone): notes go to the board again rather than nowhere.
        if (layerId === 'refused') return layer.binding.setActive(false)
        if (layerId) {
          const origin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`
          layer.provider = new WebsocketProvider(origin, layerId, layer.doc, { maxBackoffTime: 5000 })
          return
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      }
    }
    void connect()
    return () => {
      cancelled = true
    }
  }, [store, on, requestLayer, localKey])

  return null
}
