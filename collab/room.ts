/**
 * A board's room, read top to bottom: load → join → update → persist → fan out → leave →
 * compact → unload. Which rooms are loaded, and when one loads or unloads, is the registry's
 * business (collab/rooms.ts); the wire format is collab/protocol.ts.
 *
 * One room per board lives in memory while anyone is connected. Every document update a
 * client sends is appended to storage (a `BoardStorage`, collab/storage.ts) **before** it is
 * applied to the room's Y.Doc and broadcast (see docs/decisions/0002-persist-before-broadcast.md),
 * so an edit that anyone has seen is never lost. Awareness (cursors, names) is relayed and never stored.
 *
 * When the database is unreachable the room goes into degraded mode (the one exception to
 * persist-before-broadcast; docs/decisions/0014-database-outage.md): it applies and fans out
 * edits, holds them in memory within a byte bound (collab/degraded.ts), tells clients "not yet
 * saved", retries, and writes everything held once the database is back. Past the bound it
 * refuses new edits and tells their senders.
 *
 * When several processes serve the board (REDIS_URL), the room also talks to its peers
 * through a `RoomChannel` (collab/cluster.ts): it subscribes before loading, publishes an
 * update only after committing it, applies peers' updates without storing them again, and
 * reloads from storage when the bus was down.
 */
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { singleProcess, type Cluster, type RoomChannel } from './cluster'
import { HeldUpdates } from './degraded'
import { TokenBucket } from './limits'
import { StorageUnreachable, type BoardStorage } from './storage'
import { UnsavedBudget } from './unsaved'
import { RoomGate, type Admitted, type GateRule } from './write-gate'
import { guardAwarenessUpdate, MAX_AWARENESS_STATE_BYTES } from './awareness-guard'
import type { PresenceIdentity } from './presence-identity'
import { CloseCode, ProtocolError, decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, encodeNotice, encodePermissionDenied, type ClientMessage } from './protocol'

/** How a room behaves; the registry (collab/rooms.ts) passes the same settings to every room. */
export type RoomSettings = {
  log: Logger
  /** How long an empty room stays loaded, in case someone comes back. */
  unloadGraceMs: number
  /** Compact the log in the background once this many rows piled up. */
  compactAfterUpdates: number
  /** The peer processes serving the same boards (default: none). */
  cluster?: Cluster
  /** Per-connection and per-document limits (docs/decisions/0013-limits.md); default: none. */
  limits?: Partial<RoomLimits>
  /** What all rooms together may hold unsaved while the database is unreachable (default: 64 MB). */
  unsaved?: UnsavedBudget
  /** What a client's update may change (board locks, the record check): forbidden changes are corrected, never refused (collab/write-gate.ts). */
  rules?: GateRule[]
}

export type RoomLimits = { messagesPerSecond: number; messageBurst: number; maxDocumentBytes: number }

const noLimits: RoomLimits = { messagesPerSecond: Infinity, messageBurst: Infinity, maxDocumentBytes: Infinity }

/**
 * What a connection may do in its room (decided by the access policy before joining), and the
 * identity the room stamps into its awareness states (absent: relayed as sent, for rooms driven
 * without a signed-in person).
 */
export type Access = { canWrite: boolean; personId: string | null; exemptFromLocks?: boolean; identity?: PresenceIdentity }

/** Re-decides a person's access to a board after their roles changed. */
export type AccessCheck = (boardId: string) => Promise<'none' | 'read' | 'write'>

/** A websocket frame received before the room was loaded. */
export type Frame = { data: Uint8Array; isBinary: boolean }

type Connection = {
  socket: WebSocket
  access: Access
  /** Awareness client ids this connection has announced (removed when it leaves). */
  awarenessIds: Set<number>
  alive: boolean
  /** Messages per second this client may send (WS_MESSAGES_PER_SECOND). */
  messages: TokenBucket
  /** Awareness updates per second this client may send; more are dropped (the next one replaces them). */
  awarenessUpdates: TokenBucket
  /** Reasons of corrections this client was already told (each once per connection). */
  told: Set<string>
}

const WS_OPEN = 1
/** tldraw publishes presence at 30 frames per second; twice that, with room for a burst. */
const AWARENESS_PER_SECOND = 60
const AWARENESS_BURST = 120
/** Origin of changes that came from a peer process: fanned out locally, never stored or published again. */
const fromPeers = Symbol('peers')
/** Origin of changes merged in from storage on a resync: fanned out locally, not published (every peer resyncs itself). */
const fromStorage = Symbol('storage')
/** Origin of a change the server itself made (restore, scrubbing a name, a template): stored, then fanned out to everyone. */
const fromServer = Symbol('server')

export class Room {
  readonly awareness: awarenessProtocol.Awareness
  /** What clients' updates may change; runs ahead of `doc` by the updates waiting for storage. */
  private readonly gate: RoomGate
  private readonly connections = new Map<WebSocket, Connection>()
  private inFlight = 0
  private idleWaiters: (() => void)[] = []
  private logRows: number
  private compacting: Promise<void> | null = null
  private resyncing: Promise<void> | null = null
  private resyncAgain = false
  private unloaded = false
  private readonly limits: RoomLimits
  /** An upper bound of the document's encoded size: measured at load, plus every update since. */
  private documentBytes: number
  /** Whether `documentBytes` was measured since the last update. */
  private documentBytesExact = true
  /** Degraded mode: updates applied and fanned out but not yet stored, and senders refused meanwhile. */
  private readonly held: HeldUpdates<Connection>
  /** Bytes of accepted updates not yet applied (waiting for the database). */
  private acceptedBytes = 0
  /** Committed updates waiting to be applied together, in commit order (see `applyCommitted`). */
  private committed: Committed[] = []
  private applyScheduled = false

  // ── load ────────────────────────────────────────────────────────────────────────────
  private constructor(
    readonly boardId: string,
    readonly doc: Y.Doc,
    logRows: number,
    private readonly storage: BoardStorage,
    private readonly channel: RoomChannel,
    private readonly options: RoomSettings,
  ) {
    this.logRows = logRows
    this.limits = { ...noLimits, ...options.limits }
    this.held = new HeldUpdates(boardId, storage, options.unsaved ?? new UnsavedBudget(64 * 1024 * 1024), options.log, {
      stored: () => this.logRows++,
      recovered: (refused) => this.leaveDegradedMode(refused),
    })
    this.documentBytes = Y.encodeStateAsUpdate(doc).length
    this.gate = new RoomGate(doc, options.rules ?? [])
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    this.doc.on('update', this.fanOutUpdate)
    this.doc.on('update', this.countDocumentBytes)
    this.awareness.on('update', this.fanOutAwareness)
    this.channel.attach({ update: this.applyPeerUpdate, awareness: this.applyPeerAwareness })
  }

  /**
   * Loads a board's document (compacted state plus log) from storage into a new room.
   * The peer channel opens first, so updates committed by peers while loading are buffered.
   */
  static async load(boardId: string, storage: BoardStorage, options: RoomSettings): Promise<Room> {
    const channel = await (options.cluster ?? singleProcess).open(boardId)
    try {
      const { doc, logRows } = await storage.load(boardId)
      return new Room(boardId, doc, logRows, storage, channel, options)
    } catch (error) {
      channel.close()
      throw error
    }
  }

  get connectionCount(): number {
    return this.connections.size
  }

  // ── join ────────────────────────────────────────────────────────────────────────────
  /** Adds a client: sends our state vector and the current awareness, then handles its frames. */
  join(socket: WebSocket, access: Access, bufferedFrames: Frame[] = []): void {
    const connection: Connection = {
      socket,
      access,
      awarenessIds: new Set(),
      alive: true,
      messages: new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst),
      awarenessUpdates: new TokenBucket(AWARENESS_PER_SECOND, AWARENESS_BURST),
      told: new Set(),
    }
    this.connections.set(socket, connection)
    socket.on('message', (data, isBinary) => this.receive(connection, toBytes(data), isBinary))
    socket.on('close', () => this.leave(connection))
    socket.on('pong', () => (connection.alive = true))
    this.send(connection, encodeSyncStep1(this.doc))
    if (this.held.active) this.send(connection, encodeNotice({ kind: 'not-saved' }))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      this.send(connection, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
    for (const frame of bufferedFrames) this.receive(connection, frame.data, frame.isBinary)
  }

  // ── update ──────────────────────────────────────────────────────────────────────────
  private receive(connection: Connection, frame: Uint8Array, isBinary: boolean) {
    if (!this.connections.has(connection.socket)) return
    if (!connection.messages.take()) {
      // Closing (not dropping) keeps every edit: the client resends what we lack on reconnect.
      this.reject(connection, CloseCode.tooManyMessages, `more than ${this.limits.messagesPerSecond} messages per second; reconnect`)
      return
    }
    let message: ClientMessage
    try {
      if (!isBinary) throw new ProtocolError('text frames are not part of the protocol')
      message = decodeClientMessage(frame)
    } catch (error) {
      this.reject(connection, CloseCode.invalidPayload, (error as Error).message)
      return
    }
    switch (message.type) {
      case 'sync-step-1':
        this.send(connection, encodeSyncStep2(this.doc, message.stateVector))
        break
      case 'sync-step-2':
      case 'update':
        if (message.empty) break
        if (!connection.access.canWrite) this.dropReadOnlyUpdate(connection)
        else this.receiveUpdate(connection, message.update)
        break
      case 'awareness':
        this.receiveAwareness(connection, message.update)
        break
      case 'query-awareness':
        this.send(connection, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])))
        break
    }
  }

  /**
   * Relays a client's awareness (cursor, name) after collab/awareness-guard.ts: only its own
   * client ids, states up to 8 KB, identity fields set from the signed-in person; past
   * AWARENESS_PER_SECOND an update is dropped (the client's next one replaces it).
   */
  private receiveAwareness(connection: Connection, update: Uint8Array) {
    if (!connection.awarenessUpdates.take()) return
    try {
      const guarded = guardAwarenessUpdate(update, {
        identity: connection.access.identity ?? null,
        readOnly: !connection.access.canWrite,
        owned: connection.awarenessIds,
        ownedElsewhere: (clientId) => this.awarenessOwnedElsewhere(connection, clientId),
        maxStateBytes: MAX_AWARENESS_STATE_BYTES,
      })
      if (guarded.dropped > 0) this.options.log.info({ board: this.boardId, dropped: guarded.dropped }, 'awareness states not relayed')
      if (!guarded.update) return
      // A page that reconnected before its old socket was noticed gone takes its client id over.
      for (const clientId of guarded.clientIds) {
        if (connection.awarenessIds.has(clientId)) continue
        for (const other of this.connections.values()) other.awarenessIds.delete(clientId)
        connection.awarenessIds.add(clientId)
      }
      awarenessProtocol.applyAwarenessUpdate(this.awareness, guarded.update, connection)
    } catch (error) {
      this.reject(connection, CloseCode.invalidPayload, `awareness update does not apply: ${(error as Error).message}`)
    }
  }

  /** Whether a live awareness state under `clientId` belongs to someone other than this connection's person (a peer process's client counts as someone else). */
  private awarenessOwnedElsewhere(connection: Connection, clientId: number): boolean {
    if (connection.awarenessIds.has(clientId) || !this.awareness.getStates().has(clientId)) return false
    for (const other of this.connections.values()) {
      if (other.awarenessIds.has(clientId)) return other.access.personId === null || other.access.personId !== connection.access.personId
    }
    return true
  }

  /**
   * Passes a client's update through the write gate (collab/write-gate.ts): what it may not
   * change (a locked record, an invalid record) is put back by a correction merged into the
   * update, which is then stored and fanned out like any edit, the sender included. Nothing is
   * dropped, so the sender's later updates, which build on this one, flow on
   * (docs/decisions/0039-corrections-not-refusals.md).
   */
  private receiveUpdate(connection: Connection, update: Uint8Array) {
    if (this.wouldExceedDocumentLimit(update)) {
      this.send(connection, encodeNotice({ kind: 'refused', reason: 'document-too-large' }))
      return
    }
    let admitted: Admitted
    try {
      admitted = this.gate.admit(update, connection.access)
    } catch (error) {
      this.reject(connection, CloseCode.invalidPayload, `update does not apply: ${(error as Error).message}`)
      return
    }
    for (const reason of admitted.reasons) {
      if (connection.told.has(reason)) continue
      connection.told.add(reason)
      this.options.log.info({ board: this.boardId, reason }, 'update corrected by the write gate')
      this.send(connection, encodePermissionDenied(reason))
    }
    if (admitted.update) this.persistUpdateBeforeBroadcast(connection, admitted.update, admitted.corrected)
  }

  /**
   * A read-only client's edit is not stored or relayed; the client is told once. Nobody's
   * updates can depend on it, so dropping it stalls nothing (decision 0039).
   */
  private dropReadOnlyUpdate(connection: Connection) {
    const reason = 'read-only: your changes to this board are not saved'
    if (connection.told.has(reason)) return
    connection.told.add(reason)
    this.send(connection, encodePermissionDenied(reason))
  }

  // ── persist ─────────────────────────────────────────────────────────────────────────
  /**
   * Writes the update to the log, and only once it is committed applies it to the room's
   * document, which fans it out. Nobody sees an edit the database does not have — except in
   * degraded mode, when the database cannot be reached at all (see `holdUnsaved`). A corrected
   * update also goes back to its sender, whose page still shows what was put back.
   */
  private persistUpdateBeforeBroadcast(connection: Connection, update: Uint8Array, corrected = false) {
    if (this.held.active) return this.holdUnsaved(connection, update, corrected)
    this.inFlight++
    this.acceptedBytes += update.length
    this.storage.append(this.boardId, [update]).then(
      () => this.queueCommitted({ update, sender: connection, corrected }),
      (error) => {
        this.acceptedBytes -= update.length
        // Whatever committed before this failure is fanned out first: commit order is kept.
        this.applyCommitted()
        if (error instanceof StorageUnreachable && this.connections.has(connection.socket)) {
          this.holdUnsaved(connection, update, corrected)
          this.settle()
          return
        }
        this.gate.dropped(update)
        this.options.log.error({ board: this.boardId, err: error }, 'could not store update; closing the sender')
        this.reject(connection, CloseCode.internalError, 'update could not be stored; it is resent on reconnect')
        this.settle()
      },
    )
  }

  // ── fan out what is committed ───────────────────────────────────────────────────────
  /**
   * Queues a committed update. Everything that commits in one go (one batch of the update log,
   * or several batches settling together) is applied after the current callbacks in one
   * transaction, so it reaches each connection as one frame (docs/decisions/0043-pipelined-group-commit.md).
   */
  private queueCommitted(entry: Committed) {
    this.committed.push(entry)
    if (this.applyScheduled) return
    this.applyScheduled = true
    process.nextTick(() => this.applyCommitted())
  }

  /** Applies every queued committed update, in commit order, as one transaction: its one `update` event fans them out. */
  private applyCommitted() {
    this.applyScheduled = false
    const entries = this.committed.splice(0)
    if (entries.length === 0) return
    const failed = new Map<Committed, unknown>()
    this.doc.transact(() => {
      for (const entry of entries) {
        if (entry.sender !== fromServer) this.acceptedBytes -= entry.update.length
        try {
          Y.applyUpdate(this.doc, entry.update)
        } catch (error) {
          failed.set(entry, error)
        }
      }
    }, new CommittedUpdates(entries))
    this.logRows += entries.length
    for (const entry of entries) {
      const error = failed.get(entry)
      if (entry.sender === fromServer) {
        if (error === undefined) entry.applied?.resolve()
        else entry.applied?.reject(error)
      } else if (error !== undefined) {
        this.gate.dropped(entry.update)
        this.options.log.error({ board: this.boardId, err: error }, 'stored update failed to apply')
        this.reject(entry.sender, CloseCode.invalidPayload, 'update does not apply')
      } else {
        this.gate.applied(entry.update)
      }
    }
    this.settle(entries.length)
    this.compactWhenLogIsLong()
  }

  /**
   * True when storing `update` could make the document larger than MAX_DOCUMENT_BYTES. The
   * running estimate only grows; near the limit the document is measured exactly once.
   * Updates that only delete are always accepted, so people can make room.
   */
  private wouldExceedDocumentLimit(update: Uint8Array): boolean {
    const max = this.limits.maxDocumentBytes
    if (this.documentBytes + this.acceptedBytes + update.length <= max) return false
    if (onlyDeletes(update)) return false
    if (!this.documentBytesExact) {
      this.documentBytes = Y.encodeStateAsUpdate(this.doc).length
      this.documentBytesExact = true
    }
    return this.documentBytes + this.acceptedBytes + update.length > max
  }

  private countDocumentBytes = (update: Uint8Array) => {
    this.documentBytes += update.length
    this.documentBytesExact = false
  }

  /**
   * Makes a change on the server's behalf (restore a snapshot, scrub a deleted person's name,
   * reveal notes): `change` runs on a copy of the current document, the resulting update is
   * stored, and only then applied to the room and sent to every client and peer — the same
   * durable-before-broadcast rule as a client's edit. Resolves with the stored update (empty
   * when `change` changed nothing).
   */
  async applyServerChange(change: (doc: Y.Doc) => void): Promise<Uint8Array> {
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc))
    const before = Y.encodeStateVector(scratch)
    scratch.transact(() => change(scratch))
    const update = Y.encodeStateAsUpdate(scratch, before)
    scratch.destroy()
    if (isEmptyUpdate(update)) return update
    this.inFlight++
    try {
      await this.storage.append(this.boardId, [update])
    } catch (error) {
      this.settle()
      throw error
    }
    await new Promise<void>((resolve, reject) => this.queueCommitted({ update, sender: fromServer, applied: { resolve, reject } }))
    return update
  }

  private settle(finished = 1) {
    this.inFlight -= finished
    if (this.inFlight === 0 && !this.held.active) for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  /** Resolves when no update of this room is waiting for the database (held ones included). */
  idle(): Promise<void> {
    return this.inFlight === 0 && !this.held.active ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  // ── degraded: the database is unreachable ─────────────────────────────────────────────
  /**
   * Applies and fans out an update the database cannot take now, and holds it for storing
   * later (collab/degraded.ts). Past the process-wide bound the edit is refused and its sender
   * told; it is asked for again once everything held is stored, so nothing is dropped.
   */
  private holdUnsaved(connection: Connection, update: Uint8Array, corrected = false) {
    const outcome = this.held.tryHold(update, connection)
    if (outcome === 'refused-first') this.send(connection, encodeNotice({ kind: 'refused', reason: 'unsaved-limit' }))
    if (outcome === 'refused' || outcome === 'refused-first') return this.gate.dropped(update)
    if (outcome === 'entered') {
      this.options.log.warn({ board: this.boardId }, 'database unreachable: room continues unsaved (degraded)')
      this.sendToAll(encodeNotice({ kind: 'not-saved' }))
    }
    try {
      Y.applyUpdate(this.doc, update, corrected ? fromServer : connection)
      this.gate.applied(update)
      this.channel.publishUpdate(update)
    } catch (error) {
      this.gate.dropped(update)
      this.options.log.error({ board: this.boardId, err: error }, 'held update failed to apply')
      this.reject(connection, CloseCode.invalidPayload, 'update does not apply')
    }
  }

  /** Everything held is stored: tells every client, and asks the refused senders for their edits again. */
  private leaveDegradedMode(refused: Connection[]) {
    this.options.log.info({ board: this.boardId }, 'database reachable again: every held update is stored')
    this.sendToAll(encodeNotice({ kind: 'saved' }))
    // Clients whose edits were refused send them now: sync step 1 asks for what we lack.
    for (const connection of refused) this.send(connection, encodeSyncStep1(this.doc))
    this.settle(0)
    this.compactWhenLogIsLong()
  }

  /** Whether this room holds updates it could not store (for /healthz). */
  get unsavedUpdates(): number {
    return this.held.count
  }

  // ── peers ───────────────────────────────────────────────────────────────────────────
  /** A peer process committed this update before publishing it: apply (which fans out locally), never store. */
  private applyPeerUpdate = (update: Uint8Array) => {
    try {
      Y.applyUpdate(this.doc, update, fromPeers)
    } catch (error) {
      this.options.log.error({ board: this.boardId, err: error }, 'update from a peer process does not apply')
    }
  }

  private applyPeerAwareness = (update: Uint8Array) => {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, fromPeers)
    } catch (error) {
      this.options.log.warn({ board: this.boardId, err: error }, 'awareness from a peer process does not apply')
    }
  }

  /**
   * After the bus was down: merges the stored document (which holds every committed update,
   * whichever process received it) into the room, fans out what the room lacked, and
   * re-announces this process's clients' awareness to the peers.
   */
  resyncFromStorage(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true
      return this.resyncing
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false
        const { doc: stored } = await this.storage.load(this.boardId)
        if (this.unloaded) return stored.destroy()
        Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(stored, Y.encodeStateVector(this.doc)), fromStorage)
        stored.destroy()
        const ownClients = [...this.connections.values()].flatMap((c) => [...c.awarenessIds])
        if (ownClients.length > 0) this.channel.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ownClients))
      } while (this.resyncAgain && !this.unloaded)
    })()
      .catch((error) => this.options.log.error({ board: this.boardId, err: error }, 'resync from storage failed'))
      .finally(() => (this.resyncing = null))
    return this.resyncing
  }

  // ── fan out ─────────────────────────────────────────────────────────────────────────
  private fanOutUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin instanceof CommittedUpdates) return this.fanOutCommitted(update, origin)
    const frame = encodeUpdate(update)
    for (const connection of this.connections.values()) {
      if (connection !== origin) this.send(connection, frame)
    }
  }

  /**
   * Committed updates applied together: published to the peers as one update, sent to each
   * connection as one frame — the merged change to everyone who sent none of it, and to a
   * sender only what the others sent (nobody gets their own edit back).
   */
  private fanOutCommitted(update: Uint8Array, committed: CommittedUpdates) {
    this.channel.publishUpdate(update)
    const frame = encodeUpdate(update)
    for (const connection of this.connections.values()) {
      if (!committed.senders.has(connection)) {
        this.send(connection, frame)
        continue
      }
      const others = committed.entries.filter((entry) => entry.sender !== connection || ('corrected' in entry && entry.corrected)).map((entry) => entry.update)
      if (others.length > 0) this.send(connection, encodeUpdate(others.length === 1 ? others[0] : Y.mergeUpdates(others)))
    }
  }

  private fanOutAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = [...added, ...updated, ...removed]
    const sender = origin as Connection | null
    if (sender && this.connections.get(sender.socket) === sender) {
      for (const id of added) sender.awarenessIds.add(id)
      for (const id of removed) sender.awarenessIds.delete(id)
    }
    const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
    // Our clients' changes go to the peers; a peer's, or a timeout of a state a peer owns, does not.
    if (origin !== fromPeers && origin !== 'timeout') this.channel.publishAwareness(awarenessUpdate)
    const frame = encodeAwareness(awarenessUpdate)
    for (const connection of this.connections.values()) this.send(connection, frame)
  }

  private sendToAll(frame: Uint8Array) {
    for (const connection of this.connections.values()) this.send(connection, frame)
  }

  private send(connection: Connection, frame: Uint8Array) {
    if (connection.socket.readyState !== WS_OPEN) return
    connection.socket.send(frame, (error) => {
      if (error) connection.socket.terminate()
    })
  }

  /** Pings every client; one that did not answer the previous ping is dropped. */
  heartbeat(): void {
    for (const connection of this.connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }

  private reject(connection: Connection, code: number, reason: string) {
    this.options.log.warn({ board: this.boardId, code, reason }, 'closing connection')
    connection.socket.close(code, reason.slice(0, 120))
    this.leave(connection)
  }

  // ── leave ───────────────────────────────────────────────────────────────────────────
  private leave(connection: Connection) {
    if (this.connections.get(connection.socket) !== connection) return
    this.connections.delete(connection.socket)
    this.held.forget(connection)
    awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null)
    this.onEmpty?.()
  }

  /**
   * Applies changed access of one person to their open connections: gone → closed (4403),
   * changed → closed so the client reconnects with its new rights (4409).
   */
  async revalidate(personId: string, check: AccessCheck): Promise<void> {
    const mine = [...this.connections.values()].filter((c) => c.access.personId === personId)
    if (mine.length === 0) return
    const access = await check(this.boardId)
    for (const connection of mine) {
      if (access === 'none') this.reject(connection, CloseCode.forbidden, 'access to this board was withdrawn')
      else if ((access === 'write') !== connection.access.canWrite) this.reject(connection, CloseCode.accessChanged, 'access changed; reconnect')
    }
  }

  /** Called when the last connection left (the manager schedules the unload). */
  onEmpty: (() => void) | null = null

  /** Closes every connection with `code` (e.g. 1012 on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections.values()]) {
      connection.socket.close(code, reason)
      this.leave(connection)
    }
  }

  // ── compact ─────────────────────────────────────────────────────────────────────────
  private compactWhenLogIsLong() {
    if (this.logRows < this.options.compactAfterUpdates || this.compacting) return
    void this.compact()
  }

  /** Merges the stored log into the state row in the background; one compaction at a time. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting
    this.compacting = this.storage
      .compact(this.boardId)
      .then(({ mergedRows }) => {
        this.logRows = Math.max(0, this.logRows - mergedRows)
        this.options.log.debug({ board: this.boardId, mergedRows }, 'compacted')
      })
      .catch((error) => this.options.log.error({ board: this.boardId, err: error }, 'compaction failed'))
      .finally(() => (this.compacting = null))
    return this.compacting
  }

  // ── unload ──────────────────────────────────────────────────────────────────────────
  /** Waits for pending writes and compaction, then frees the document. */
  async unload(): Promise<void> {
    await this.idle()
    await this.compact()
    this.unloaded = true
    this.channel.close()
    await this.resyncing
    this.doc.off('update', this.fanOutUpdate)
    this.doc.off('update', this.countDocumentBytes)
    this.gate.destroy()
    this.awareness.off('update', this.fanOutAwareness)
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** An update whose commit resolved, waiting to be applied: from a client, or a server change whose caller waits for it. */
type Committed =
  /** `corrected`: the write gate put something back, so the sender gets this update too (its page still shows what was put back). */
  | { update: Uint8Array; sender: Connection; corrected?: boolean; applied?: undefined }
  | { update: Uint8Array; sender: typeof fromServer; applied: { resolve: () => void; reject: (error: unknown) => void } }

/** The origin of a transaction that applied committed updates: whose they were, for the fan-out. */
class CommittedUpdates {
  readonly senders: Set<unknown>
  constructor(readonly entries: Committed[]) {
    // A corrected update goes back to its sender as well, so only uncorrected ones mark a sender.
    this.senders = new Set(entries.filter((entry) => !('corrected' in entry && entry.corrected)).map((entry) => entry.sender))
  }
}

/** An update that inserts nothing (it may delete). */
function onlyDeletes(update: Uint8Array): boolean {
  try {
    return Y.decodeUpdate(update).structs.length === 0
  } catch {
    return false
  }
}

/** An update that carries no insertions and no deletions (two zero varints). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0)
}

/** A received websocket message as bytes (ws hands over a Buffer, an ArrayBuffer or fragments). */
export function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]))
  return new Uint8Array(0)
}
