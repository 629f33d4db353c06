/**
 * Browser side of private mode (decision 0020): a participant's private layer (its own Y.Doc,
 * room `/yjs/<layerId>`) bound to the same tldraw store as the board.
 *
 * The layer *claims* record ids: every shape or binding the person creates while the mode is
 * on, and every record the layer doc holds. Claimed records are written to the layer doc only —
 * the board binding skips them (`privateLayerSkip`) — so a hidden note never enters the board
 * document that every participant's browser receives. Everything else keeps going to the board.
 *
 * Reveal: the server writes the layer's records into the board, then deletes them from the
 * layer. Both updates arrive over two sockets, in either order. A claimed record that appears in
 * the board doc leaves the claimed set (later edits go to the board) and stays in the store; a
 * layer delete of a record the board does not hold yet waits `graceMs` for the board's copy
 * before the record leaves the store, so a revealed note does not blink out.
 */
import { isEqual, unsafe__withoutCapture, type SerializedStore, type TLRecord, type TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { SCHEMA_KEY, getMetaMap, getRecordsMap, isDocumentRecord, migrateRecords, readStoredSchema, validRecords } from './tldraw-binding'

type RecordId = TLRecord['id']

/** Record types that private mode keeps in the layer (the ones a reveal moves). */
const PRIVATE_ID = /^(shape|binding):/
/** How long a record deleted from the layer stays on screen waiting for the board's copy of a reveal. */
export const REVEAL_GRACE_MS = 3000

/** A bound private layer: claims ids for its doc; `setActive(false)` stops claiming new shapes (the mode ended). */
export interface PrivateLayerBinding {
  setActive(active: boolean): void
  /** Whether the record belongs to the layer; `added` when the store just created it (may claim it). */
  claims(id: RecordId, added: boolean): boolean
  /** The ids the layer currently owns (for tests and diagnostics). */
  readonly claimed: ReadonlySet<RecordId>
  /**
   * Gives every record the layer holds to the board (written into the board doc, then removed
   * from the layer doc): for notes held while the page did not know whether private mode is on,
   * once it knows the mode is off. Returns how many records went to the board.
   */
  release(): number
  dispose(): void
}

const layersByStore = new WeakMap<TLStore, PrivateLayerBinding>()

/** The `skip` rule for a store's board binding: leaves out whatever a private layer bound to the same store claims. */
export function privateLayerSkip(store: TLStore): (id: RecordId, added: boolean) => boolean {
  return (id, added) => layersByStore.get(store)?.claims(id, added) ?? false
}

/**
 * Binds `layerDoc` (the person's private layer) to `store`, whose board binding reads and writes
 * `boardDoc` with `skip: privateLayerSkip(store)`; never seeds the layer from the store.
 */
export function bindPrivateLayer(
  store: TLStore,
  layerDoc: Y.Doc,
  boardDoc: Y.Doc,
  options: { active?: boolean; graceMs?: number } = {},
): PrivateLayerBinding {
  layersByStore.get(store)?.dispose()
  const yLayer = getRecordsMap(layerDoc)
  const yLayerMeta = getMetaMap(layerDoc)
  const yBoard = getRecordsMap(boardDoc)
  const graceMs = options.graceMs ?? REVEAL_GRACE_MS
  const origin = { binding: 'private-layer', clientId: layerDoc.clientID }
  const releaseOrigin = { binding: 'private-layer-release', clientId: boardDoc.clientID }
  const claimed = new Set<RecordId>()
  const waiting = new Map<RecordId, ReturnType<typeof setTimeout>>()
  let active = options.active ?? true

  const stopWaiting = (id: RecordId) => {
    const timer = waiting.get(id)
    if (timer !== undefined) clearTimeout(timer)
    waiting.delete(id)
  }

  const claims = (id: RecordId, added: boolean): boolean => {
    if (claimed.has(id)) return true
    if (!added || !active || !PRIVATE_ID.test(id) || yBoard.has(id)) return false
    claimed.add(id)
    return true
  }

  const stopListening = store.listen(
    ({ changes }) => {
      const added = new Set(Object.keys(changes.added) as RecordId[])
      const ids = [...added, ...(Object.keys(changes.updated) as RecordId[]), ...(Object.keys(changes.removed) as RecordId[])].filter((id) =>
        claims(id, added.has(id)),
      )
      if (ids.length === 0) return
      unsafe__withoutCapture(() =>
        layerDoc.transact(() => {
          if (!yLayerMeta.has(SCHEMA_KEY)) yLayerMeta.set(SCHEMA_KEY, store.schema.serialize())
          for (const id of ids) {
            const record = store.get(id)
            if (record) {
              if (!isEqual(yLayer.get(id), record)) yLayer.set(id, record)
            } else if (yLayer.has(id)) {
              yLayer.delete(id)
            }
          }
        }, origin),
      )
    },
    { source: 'user', scope: 'document' },
  )

  const forget = (id: RecordId) => {
    stopWaiting(id)
    if (!claimed.delete(id) || !store.has(id)) return
    store.mergeRemoteChanges(() => store.remove([id]))
  }

  /** Applies the layer doc's state of `ids` to the store. */
  const load = (ids: Iterable<RecordId>) => {
    const incoming = {} as SerializedStore<TLRecord>
    const gone: RecordId[] = []
    for (const id of ids) {
      const record = yLayer.get(id)
      if (record && typeof record === 'object' && record.id === id) incoming[id] = record
      else gone.push(id)
    }
    const migrated = migrateRecords(store, incoming, readStoredSchema(yLayerMeta))
    // A record the board already holds was revealed: the board's copy is the shared one.
    const toPut = validRecords(
      store,
      Object.values(migrated).filter((record) => isDocumentRecord(store, record) && !yBoard.has(record.id)),
    )
    for (const record of toPut) {
      stopWaiting(record.id)
      claimed.add(record.id)
    }
    if (toPut.length > 0) store.mergeRemoteChanges(() => store.put(toPut))
    for (const id of gone) {
      if (!claimed.has(id) || waiting.has(id)) continue
      if (yBoard.has(id)) claimed.delete(id)
      else if (graceMs <= 0) forget(id)
      else waiting.set(id, setTimeout(() => forget(id), graceMs))
    }
  }

  const onLayerChange = (event: Y.YMapEvent<TLRecord>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    load(event.changes.keys.keys() as Iterable<RecordId>)
  }
  // The board received a claimed record: it was revealed and is shared from now on.
  const onBoardChange = (event: Y.YMapEvent<TLRecord>) => {
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'delete' || !claimed.has(id as RecordId)) return
      stopWaiting(id as RecordId)
      claimed.delete(id as RecordId)
    })
  }

  load(yLayer.keys() as Iterable<RecordId>)
  yLayer.observe(onLayerChange)
  yBoard.observe(onBoardChange)

  let disposed = false
  const binding: PrivateLayerBinding = {
    setActive(next) {
      active = next
    },
    claims,
    claimed,
    release() {
      const records = [...claimed].map((id) => store.get(id)).filter((record) => record !== undefined)
      if (records.length === 0) return 0
      // The board's copy arrives first: onBoardChange unclaims each, so the layer delete leaves the store alone.
      boardDoc.transact(() => {
        for (const record of records) yBoard.set(record.id, record)
      }, releaseOrigin)
      layerDoc.transact(() => {
        for (const record of records) yLayer.delete(record.id)
      }, origin)
      return records.length
    },
    dispose() {
      if (disposed) return
      disposed = true
      stopListening()
      yLayer.unobserve(onLayerChange)
      yBoard.unobserve(onBoardChange)
      for (const timer of waiting.values()) clearTimeout(timer)
      waiting.clear()
      if (layersByStore.get(store) === binding) layersByStore.delete(store)
      // Unclaimed, these records would be written to the board on their next edit: take them off screen.
      const left = [...claimed].filter((id) => store.has(id))
      claimed.clear()
      if (left.length > 0) store.mergeRemoteChanges(() => store.remove(left))
    },
  }
  layersByStore.set(store, binding)
  return binding
}
