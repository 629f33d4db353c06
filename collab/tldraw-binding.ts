/**
 * tldraw ↔ Yjs binding, shared by the browser board and the Node tests.
 *
 * Keeps a tldraw `TLStore` in sync with a board's Y.Doc, in the layout domain/board/document.ts
 * defines (records in `tl_records`, the serialized schema in `tl_meta`).
 * Boards written with an older tldraw schema are migrated on load and written back upgraded.
 * It also maps Yjs awareness states to tldraw `instance_presence` records (cursors, names, colours).
 *
 * Runs in the browser and in Node tests only: importing `tldraw` in plain Node (NODE_ENV other than
 * 'test') opens a BroadcastChannel that keeps the process alive, and store listeners are scheduled
 * with `requestAnimationFrame`, which Node lacks.
 */
import {
  FpsScheduler,
  InstancePresenceRecordType,
  UserRecordType,
  atom,
  createPresenceStateDerivation,
  createUserId,
  isEqual,
  react,
  unsafe__withoutCapture,
  type SerializedSchema,
  type SerializedStore,
  type TLInstancePresence,
  type TLRecord,
  type TLStore,
  type TLUser,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'

import { boardMetaMap, META_MAP_NAME, RECORDS_MAP_NAME, recordsMap, SCHEMA_KEY } from '../domain/board/document'

export { META_MAP_NAME, RECORDS_MAP_NAME, SCHEMA_KEY }

/** Identity and display data of the local user, as shown to other participants. */
export interface PresenceUser {
  id: string
  name: string
  color: string
}

type RecordId = TLRecord['id']
type RecordsById = SerializedStore<TLRecord>

const PRESENCE_FPS = 30

/** Returns the Y.Map that holds a board's tldraw records. */
export function getRecordsMap(doc: Y.Doc): Y.Map<TLRecord> {
  return recordsMap<TLRecord>(doc)
}

/** Returns the Y.Map that holds a board's metadata (the tldraw schema). */
export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return boardMetaMap(doc)
}

/** Whether the record belongs to the shared document (not to one browser's session). */
export function isDocumentRecord(store: TLStore, record: TLRecord): boolean {
  if (!record || typeof record !== 'object') return false
  const types = store.schema.types as Partial<Record<string, { scope: string }>>
  return types[record.typeName]?.scope === 'document'
}

/** The tldraw schema the doc's records were written with, if any. */
export function readStoredSchema(meta: Y.Map<unknown>): SerializedSchema | undefined {
  const value = meta.get(SCHEMA_KEY)
  return value && typeof value === 'object' ? (value as SerializedSchema) : undefined
}

/** Brings records stored with `schema` up to the store's schema; throws when they are newer. */
export function migrateRecords(store: TLStore, records: RecordsById, schema: SerializedSchema | undefined): RecordsById {
  if (!schema) return records
  const result = store.schema.migrateStoreSnapshot({ store: records, schema })
  if (result.type === 'error') {
    throw new Error(`tldraw-binding: cannot migrate board records (${result.reason}); ` + 'the board was probably written by a newer tldraw version')
  }
  return result.value
}

/**
 * Keeps only records that pass the tldraw schema: a broken record written by a hostile or
 * buggy client never reaches this editor (it stays in the doc, where a later valid write wins).
 */
export function validRecords(store: TLStore, records: TLRecord[]): TLRecord[] {
  return records.filter((record) => {
    try {
      store.schema.validateRecord(store, record, 'initialize', null)
      return true
    } catch (error) {
      console.warn(`tldraw-binding: ignoring invalid record ${String((record as { id?: unknown })?.id)}`, error)
      return false
    }
  })
}

function readRecords(yRecords: Y.Map<TLRecord>): RecordsById {
  const records = {} as RecordsById
  yRecords.forEach((record, id) => {
    records[id as RecordId] = record
  })
  return records
}

/** Options of `bindStoreToYDoc`. */
export interface BindOptions {
  /**
   * Records this doc must not receive from the store (another doc owns them, e.g. a private
   * layer): asked for every changed record id, `added` when the store just created it.
   */
  skip?: (id: RecordId, added: boolean) => boolean
}

/**
 * Syncs `store` with the board in `doc` (loading and migrating it first, or seeding an empty doc
 * from the store); throws if the stored board cannot be migrated to the store's schema.
 */
export function bindStoreToYDoc(store: TLStore, doc: Y.Doc, options: BindOptions = {}): { dispose(): void } {
  const skip = options.skip ?? (() => false)
  const yRecords = getRecordsMap(doc)
  const yMeta = getMetaMap(doc)
  const origin = { binding: 'tldraw-binding', clientId: doc.clientID }
  const currentSchema = store.schema.serialize()

  const stopListening = store.listen(
    ({ changes }) => {
      const added = new Set(Object.keys(changes.added) as RecordId[])
      const ids = new Set<RecordId>([...added, ...(Object.keys(changes.updated) as RecordId[]), ...(Object.keys(changes.removed) as RecordId[])])
      for (const id of ids) if (skip(id, added.has(id))) ids.delete(id)
      // Listeners run inside the store's history effect; whatever this write reaches synchronously
      // (doc observers, other stores) must not become a dependency of that effect.
      unsafe__withoutCapture(() =>
        doc.transact(() => {
          for (const id of ids) {
            const record = store.get(id)
            if (record) {
              if (!isEqual(yRecords.get(id), record)) yRecords.set(id, record)
            } else if (yRecords.has(id)) {
              yRecords.delete(id)
            }
          }
        }, origin),
      )
    },
    { source: 'user', scope: 'document' },
  )

  try {
    if (yRecords.size === 0) {
      const records = store.allRecords().filter((record) => isDocumentRecord(store, record) && !skip(record.id, false))
      doc.transact(() => {
        for (const record of records) yRecords.set(record.id, record)
        yMeta.set(SCHEMA_KEY, currentSchema)
      }, origin)
    } else {
      const storedSchema = readStoredSchema(yMeta)
      const stored = readRecords(yRecords)
      const migrated = migrateRecords(store, stored, storedSchema)
      const records = validRecords(
        store,
        Object.values(migrated).filter((record) => isDocumentRecord(store, record)),
      )
      const keep = new Set<RecordId>(records.map((record) => record.id))
      store.mergeRemoteChanges(() => {
        const stale = store
          .allRecords()
          .filter((record) => isDocumentRecord(store, record) && !keep.has(record.id) && !skip(record.id, false))
          .map((record) => record.id)
        if (stale.length > 0) store.remove(stale)
        store.put(records)
      })

      const changed = Object.values(migrated).filter((record) => !isEqual(stored[record.id], record))
      const dropped = (Object.keys(stored) as RecordId[]).filter((id) => !(id in migrated))
      if (changed.length > 0 || dropped.length > 0 || !isEqual(storedSchema, currentSchema)) {
        doc.transact(() => {
          for (const id of dropped) yRecords.delete(id)
          for (const record of changed) yRecords.set(record.id, record)
          yMeta.set(SCHEMA_KEY, currentSchema)
        }, origin)
      }
    }
  } catch (error) {
    stopListening()
    throw error
  }

  const onRecordsChange = (event: Y.YMapEvent<TLRecord>, transaction: Y.Transaction): void => {
    if (transaction.origin === origin) return
    const toRemove: RecordId[] = []
    const incoming = {} as RecordsById
    event.changes.keys.forEach((change, id) => {
      const record = change.action === 'delete' ? undefined : yRecords.get(id)
      if (record && typeof record === 'object' && record.id === id) incoming[id as RecordId] = record
      else toRemove.push(id as RecordId)
    })
    const migrated = migrateRecords(store, incoming, readStoredSchema(yMeta))
    const toPut = validRecords(
      store,
      Object.values(migrated).filter((record) => isDocumentRecord(store, record)),
    )
    if (toRemove.length === 0 && toPut.length === 0) return
    store.mergeRemoteChanges(() => {
      if (toRemove.length > 0) store.remove(toRemove)
      if (toPut.length > 0) store.put(toPut)
    })
  }
  yRecords.observe(onRecordsChange)

  let disposed = false
  return {
    dispose() {
      if (disposed) return
      disposed = true
      stopListening()
      yRecords.unobserve(onRecordsChange)
    },
  }
}

function toTLUser(user: PresenceUser): TLUser {
  return UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.color })
}

/**
 * Publishes the local user's presence into `awareness` and mirrors other clients' awareness states
 * into `store` as `instance_presence` records.
 */
export function bindPresence(store: TLStore, awareness: Awareness, user: PresenceUser): { setUser(user: PresenceUser): void; dispose(): void } {
  const $user = atom<TLUser | null>('tldraw-binding.presenceUser', toTLUser(user))
  const localPresenceId = InstancePresenceRecordType.createId(String(awareness.clientID))
  const $presence = createPresenceStateDerivation($user, { instanceId: localPresenceId })(store)
  const presenceType = store.schema.types.instance_presence
  const scheduler = new FpsScheduler(PRESENCE_FPS)
  const remoteIds = new Map<number, TLInstancePresence['id']>()

  const publish = (): void => {
    awareness.setLocalStateField('presence', $presence.get())
  }
  let cancelPublish = (): void => undefined
  const stopPublishing = react('tldraw-binding.publishPresence', () => {
    $presence.get()
    // Publishing can synchronously reach other stores (awareness relays, test mode runs frames
    // immediately); keep their signal reads out of this effect's dependency capture.
    unsafe__withoutCapture(() => {
      cancelPublish = scheduler.throttleToNextFrame(publish)
    })
  })

  const readPresence = (clientId: number): TLInstancePresence | null => {
    const raw: unknown = awareness.getStates().get(clientId)?.presence
    if (!raw || typeof raw !== 'object') return null
    const id = InstancePresenceRecordType.createId(String(clientId))
    try {
      return presenceType.validate({ ...raw, id }) as TLInstancePresence
    } catch (error) {
      console.warn(`tldraw-binding: ignoring invalid presence from client ${clientId}`, error)
      return null
    }
  }

  const syncClients = (clientIds: Iterable<number>): void => {
    const toPut: TLInstancePresence[] = []
    const toRemove: TLInstancePresence['id'][] = []
    for (const clientId of clientIds) {
      if (clientId === awareness.clientID) continue
      const presence = readPresence(clientId)
      if (presence) {
        toPut.push(presence)
        remoteIds.set(clientId, presence.id)
      } else {
        const id = remoteIds.get(clientId)
        if (id) toRemove.push(id)
        remoteIds.delete(clientId)
      }
    }
    if (toPut.length === 0 && toRemove.length === 0) return
    store.mergeRemoteChanges(() => {
      if (toRemove.length > 0) store.remove(toRemove)
      if (toPut.length > 0) store.put(toPut)
    })
  }

  const onAwarenessChange = (change: { added: number[]; updated: number[]; removed: number[] }): void => {
    syncClients([...change.added, ...change.updated, ...change.removed])
  }
  awareness.on('change', onAwarenessChange)
  syncClients(awareness.getStates().keys())

  let disposed = false
  return {
    setUser(next: PresenceUser) {
      $user.set(toTLUser(next))
    },
    dispose() {
      if (disposed) return
      disposed = true
      stopPublishing()
      cancelPublish()
      awareness.off('change', onAwarenessChange)
      awareness.setLocalStateField('presence', null)
      const ids = [...remoteIds.values()]
      remoteIds.clear()
      if (ids.length > 0) store.mergeRemoteChanges(() => store.remove(ids))
    },
  }
}
