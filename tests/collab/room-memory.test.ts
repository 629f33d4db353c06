/**
 * One room's life driven directly, without a server or a database: `Rooms` on the in-memory
 * storage (collab/storage.ts) with fake sockets that record every frame the room sends — the
 * way tldraw tests its room. The end-to-end behaviour over real sockets and PostgreSQL is
 * tests/collab/sync.test.ts and its neighbours.
 */
import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import { Rooms } from '../../collab/rooms'
import { MemoryStorage } from '../../collab/storage'
import { encodeAwareness, encodeSyncStep1, encodeUpdate, messageAuth, messageAwareness, messageNotice, messageSync, syncStep1, syncStep2, syncUpdate } from '../../collab/protocol'
import type { Access } from '../../collab/room'
import { removed, type GateRule } from '../../collab/write-gate'

const OPEN = 1
const CLOSED = 3

/** A frame the room sent, decoded just enough to assert on. */
type Sent =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'permission-denied'; reason: string }
  | { type: 'notice'; notice: { kind: string; reason?: string } }

function decodeSent(frame: Uint8Array): Sent {
  const decoder = decoding.createDecoder(frame)
  const type = decoding.readVarUint(decoder)
  if (type === messageSync) {
    const subtype = decoding.readVarUint(decoder)
    if (subtype === syncStep1) return { type: 'sync-step-1', stateVector: decoding.readVarUint8Array(decoder) }
    if (subtype === syncStep2 || subtype === syncUpdate) return { type: subtype === syncStep2 ? 'sync-step-2' : 'update', update: decoding.readVarUint8Array(decoder) }
  }
  if (type === messageAwareness) return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
  if (type === messageAuth) {
    decoding.readVarUint(decoder)
    return { type: 'permission-denied', reason: decoding.readVarString(decoder) }
  }
  if (type === messageNotice) return { type: 'notice', notice: JSON.parse(decoding.readVarString(decoder)) }
  throw new Error(`unexpected frame type ${type}`)
}

/** What `Room` uses of a ws.WebSocket: events, send with a callback, close, terminate, ping, readyState. */
class FakeSocket extends EventEmitter {
  readyState = OPEN
  readonly sent: Sent[] = []
  closedWith: { code: number; reason: string } | null = null
  /** Called as each frame is sent (before the test looks), e.g. to check what storage held at that moment. */
  onSend: ((sent: Sent) => void) | null = null

  send(data: Uint8Array, callback?: (error?: Error) => void) {
    const sent = decodeSent(data)
    this.sent.push(sent)
    this.onSend?.(sent)
    callback?.()
  }

  close(code = 1000, reason = '') {
    if (this.readyState !== OPEN) return
    this.readyState = CLOSED
    this.closedWith = { code, reason }
    setImmediate(() => this.emit('close', code, Buffer.from(reason)))
  }

  terminate() {
    this.close(1006, 'terminated')
  }

  ping() {}

  /** A binary frame from the client. */
  deliver(frame: Uint8Array) {
    this.emit('message', Buffer.from(frame), true)
  }

  of<T extends Sent['type']>(type: T): Extract<Sent, { type: T }>[] {
    return this.sent.filter((s): s is Extract<Sent, { type: T }> => s.type === type)
  }
}

/** A client: a fake socket plus the document and awareness it keeps, fed by what the room sends. */
function fakeClient() {
  const socket = new FakeSocket()
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'server') updates.push(update)
  })
  const previous = socket.send.bind(socket)
  socket.send = (data, callback) => {
    previous(data, callback)
    const sent = socket.sent[socket.sent.length - 1]
    if (sent.type === 'sync-step-2' || sent.type === 'update') Y.applyUpdate(doc, sent.update, 'server')
    if (sent.type === 'awareness') awarenessProtocol.applyAwarenessUpdate(awareness, sent.update, 'server')
  }
  return {
    socket,
    doc,
    awareness,
    ws: socket as unknown as WebSocket,
    /** Makes a change locally and sends its update to the room, as y-websocket does. */
    edit(change: (doc: Y.Doc) => void): Uint8Array {
      const before = updates.length
      doc.transact(() => change(doc))
      const update = Y.mergeUpdates(updates.slice(before))
      socket.deliver(encodeUpdate(update))
      return update
    },
  }
}

const writer: Access = { canWrite: true, personId: 'person:writer' }
const reader: Access = { canWrite: false, personId: 'person:reader' }
const shapes = (doc: Y.Doc) => doc.getMap('tl_records').toJSON()
const tick = () => new Promise((resolve) => setImmediate(resolve))

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('a room on the in-memory storage, with fake sockets', () => {
  let rooms: Rooms | null = null
  /** A commit hold still in place when a test fails (released first, so closing the rooms does not wait for it forever). */
  let release: (() => void) | null = null
  const open = (storage: MemoryStorage, options: { unloadGraceMs?: number; rules?: GateRule[] } = {}) =>
    (rooms = new Rooms({
      storage,
      log: pino({ level: 'silent' }),
      unloadGraceMs: options.unloadGraceMs ?? 60_000,
      compactAfterUpdates: 1000,
      rules: options.rules,
    }))

  afterEach(async () => {
    release?.()
    release = null
    await rooms?.close()
    rooms = null
  })

  it('a joining client gets sync step 1, and sync step 2 with the stored document when it asks', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getMap('tl_records').set('shape:stored', { x: 1 })
    await storage.append('board:1', [Y.encodeStateAsUpdate(seed)])
    const r = open(storage)

    const a = fakeClient()
    await r.connect('board:1', a.ws, writer)
    expect(a.socket.sent[0]).toEqual({ type: 'sync-step-1', stateVector: Y.encodeStateVector(seed) })

    a.socket.deliver(encodeSyncStep1(a.doc))
    await waitFor(() => a.socket.of('sync-step-2').length === 1)
    expect(shapes(a.doc)).toEqual({ 'shape:stored': { x: 1 } })
  })

  it("an update from one client is stored before it reaches the other, and is not echoed to its sender", async () => {
    const storage = new MemoryStorage()
    const r = open(storage)
    const a = fakeClient()
    const b = fakeClient()
    await r.connect('board:1', a.ws, writer)
    await r.connect('board:1', b.ws, writer)
    const storedWhenFannedOut: number[] = []
    b.socket.onSend = (sent) => {
      if (sent.type === 'update') storedWhenFannedOut.push(storage.committedUpdates('board:1').length)
    }

    release = storage.holdCommits()
    const update = a.edit((d) => d.getMap('tl_records').set('shape:a', { x: 1 }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(b.socket.of('update')).toHaveLength(0)
    expect(storage.committedUpdates('board:1')).toHaveLength(0)

    release()
    await waitFor(() => b.socket.of('update').length === 1)
    expect(storedWhenFannedOut).toEqual([1])
    expect(storage.committedUpdates('board:1')).toEqual([update])
    expect(shapes(b.doc)).toEqual({ 'shape:a': { x: 1 } })
    expect(a.socket.of('update')).toHaveLength(0)
  })

  it("updates committed together reach each connection as one frame: the others get all of them, a sender only the others'", async () => {
    const storage = new MemoryStorage()
    const r = open(storage)
    const a = fakeClient()
    const b = fakeClient()
    const watcher = fakeClient()
    for (const client of [a, b, watcher]) await r.connect('board:1', client.ws, writer)
    const storedWhenFannedOut: number[] = []
    watcher.socket.onSend = (sent) => {
      if (sent.type === 'update') storedWhenFannedOut.push(storage.committedUpdates('board:1').length)
    }

    release = storage.holdCommits()
    a.edit((d) => d.getMap('tl_records').set('shape:a', { x: 1 }))
    a.edit((d) => d.getMap('tl_records').set('shape:a2', { x: 2 }))
    b.edit((d) => d.getMap('tl_records').set('shape:b', { x: 3 }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(watcher.socket.of('update')).toHaveLength(0)

    release()
    await waitFor(() => watcher.socket.of('update').length > 0 && a.socket.of('update').length > 0 && b.socket.of('update').length > 0)
    await tick()
    expect(storedWhenFannedOut).toEqual([3])
    expect(watcher.socket.of('update')).toHaveLength(1)
    expect(shapes(watcher.doc)).toEqual({ 'shape:a': { x: 1 }, 'shape:a2': { x: 2 }, 'shape:b': { x: 3 } })
    // Each sender gets one frame with only the other's edit (its own is not echoed).
    const updatesTo = (client: ReturnType<typeof fakeClient>) => client.socket.sent.flatMap((s) => (s.type === 'update' ? [s.update] : []))
    const authors = (update: Uint8Array) => new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))
    expect(updatesTo(a)).toHaveLength(1)
    expect(authors(updatesTo(a)[0])).toEqual(new Set([b.doc.clientID]))
    expect(updatesTo(b)).toHaveLength(1)
    expect(authors(updatesTo(b)[0])).toEqual(new Set([a.doc.clientID]))
    expect(shapes(a.doc)).toEqual(shapes(watcher.doc))
    expect(shapes(b.doc)).toEqual(shapes(watcher.doc))
  })

  it("a read-only client's update is refused once with a reason, and neither stored nor relayed", async () => {
    const storage = new MemoryStorage()
    const r = open(storage)
    const viewer = fakeClient()
    const b = fakeClient()
    await r.connect('board:1', viewer.ws, reader)
    await r.connect('board:1', b.ws, writer)

    viewer.edit((d) => d.getMap('tl_records').set('shape:v', { x: 1 }))
    viewer.edit((d) => d.getMap('tl_records').set('shape:w', { x: 2 }))
    await storage.drain()
    await tick()

    expect(viewer.socket.of('permission-denied')).toEqual([{ type: 'permission-denied', reason: expect.stringContaining('read-only') }])
    expect(storage.committedUpdates('board:1')).toHaveLength(0)
    expect(b.socket.of('update')).toHaveLength(0)
    expect(viewer.socket.closedWith).toBeNull()
  })

  it('a change the write gate forbids is put back by a correction stored with it; the sender is told and corrected, and its next edit flows on', async () => {
    const storage = new MemoryStorage()
    const putBack: GateRule = () => (changes) => {
      const fixes = [...(changes.get('tl_records') ?? [])].filter(([key]) => key === 'shape:locked').map(([key, c]) => ({ map: 'tl_records', key, value: c.before ?? removed }))
      return fixes.length > 0 ? { fixes, reason: 'locked: the facilitator locked this frame' } : null
    }
    const r = open(storage, { rules: [putBack] })
    const a = fakeClient()
    const b = fakeClient()
    await r.connect('board:1', a.ws, writer)
    await r.connect('board:1', b.ws, writer)

    a.edit((d) => d.getMap('tl_records').set('shape:locked', { x: 1 }))
    await storage.drain()
    await tick()
    expect(a.socket.of('permission-denied')).toEqual([{ type: 'permission-denied', reason: 'locked: the facilitator locked this frame' }])
    const stored = (await storage.load('board:1')).doc
    expect(shapes(stored)).toEqual({})
    expect(shapes(a.doc)).toEqual({})

    a.edit((d) => d.getMap('tl_records').set('shape:free', { x: 2 }))
    await waitFor(() => shapes(b.doc)['shape:free'] !== undefined)
    expect(shapes(b.doc)).toEqual({ 'shape:free': { x: 2 } })
  })

  it('awareness is relayed to the others and cleared when its client leaves', async () => {
    const r = open(new MemoryStorage())
    const a = fakeClient()
    const b = fakeClient()
    await r.connect('board:1', a.ws, writer)
    await r.connect('board:1', b.ws, writer)

    a.awareness.setLocalState({ user: { name: 'Ada' } })
    a.socket.deliver(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(a.awareness, [a.doc.clientID])))
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID) !== undefined)
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'Ada' } })

    a.socket.close(1000, 'bye')
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID))
    expect((await r.stats()).connections).toBe(1)
  })

  it('after the last client leaves, the room stays for the grace period, then compacts its log and unloads', async () => {
    const storage = new MemoryStorage()
    const r = open(storage, { unloadGraceMs: 200 })
    const a = fakeClient()
    await r.connect('board:1', a.ws, writer)
    for (let i = 0; i < 3; i++) a.edit((d) => d.getMap('tl_records').set(`shape:${i}`, { x: i }))
    await waitFor(() => storage.committedUpdates('board:1').length === 3)

    a.socket.close(1000, 'bye')
    await waitFor(async () => (await r.stats()).connections === 0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await r.stats()).toEqual({ rooms: 1, connections: 0 })
    expect(storage.committedUpdates('board:1')).toHaveLength(3)

    await waitFor(async () => (await r.stats()).rooms === 0)
    const { doc, logRows } = await storage.load('board:1')
    expect(logRows).toBe(0)
    expect(Object.keys(shapes(doc))).toHaveLength(3)
  })

  it('while storage is unreachable the room stays live and says "not saved"; it stores everything when storage returns', async () => {
    const storage = new MemoryStorage()
    const r = open(storage)
    const a = fakeClient()
    const b = fakeClient()
    await r.connect('board:1', a.ws, writer)
    await r.connect('board:1', b.ws, writer)

    storage.unreachable = true
    a.edit((d) => d.getMap('tl_records').set('shape:a', { x: 1 }))
    await waitFor(() => b.socket.of('update').length === 1)
    expect(b.socket.of('notice')).toEqual([{ type: 'notice', notice: { kind: 'not-saved' } }])
    expect(storage.committedUpdates('board:1')).toHaveLength(0)
    expect((await r.unsaved()).updates).toBe(1)

    storage.unreachable = false
    await waitFor(() => b.socket.of('notice').length === 2)
    expect(b.socket.of('notice')[1]).toEqual({ type: 'notice', notice: { kind: 'saved' } })
    expect(shapes((await storage.load('board:1')).doc)).toEqual({ 'shape:a': { x: 1 } })
    expect((await r.unsaved()).updates).toBe(0)
  })
})
