/**
 * The registry of a process's rooms: which boards are loaded, loading a room on first join
 * (frames that arrive meanwhile are buffered), unloading it after a grace period once the last
 * client left, the heartbeat, and shutdown. What happens inside one room is collab/room.ts.
 */
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { Sql } from '../db/client.server'
import { CloseCode } from './protocol'
import { Room, toBytes, type Access, type AccessCheck, type Frame, type RoomSettings } from './room'
import type { BoardStorage } from './storage'
import { PostgresStorage } from './storage-postgres.server'
import { UnsavedBudget } from './unsaved'

/** The registry's settings: the rooms' settings plus where boards are stored (a PostgreSQL connection, or any `BoardStorage`). */
export type RoomOptions = RoomSettings & ({ sql: Sql; storage?: undefined } | { storage: BoardStorage; sql?: undefined })

const PING_INTERVAL_MS = 30_000

/** The rooms this process has loaded, by board id (see the module header for their comings and goings). */
export class Rooms {
  private readonly entries = new Map<string, { room: Promise<Room>; unloading?: Promise<void>; timer?: NodeJS.Timeout }>()
  private readonly storage: BoardStorage
  private readonly heartbeatTimer: NodeJS.Timeout
  private closed = false

  private readonly options: RoomSettings & { unsaved: UnsavedBudget }

  constructor(options: RoomOptions) {
    // One budget for every room of the process: the bound is on this process's memory.
    this.options = { ...options, unsaved: options.unsaved ?? new UnsavedBudget(64 * 1024 * 1024) }
    this.storage = options.storage ?? new PostgresStorage(options.sql, options.log)
    options.cluster?.onResyncNeeded(() => this.forEachLoaded((room) => void room.resyncFromStorage()))
    this.heartbeatTimer = setInterval(() => this.forEachLoaded((room) => room.heartbeat()), PING_INTERVAL_MS)
    this.heartbeatTimer.unref()
  }

  /**
   * Joins `socket` to the board's room, loading it if needed. Frames that arrive while the
   * room loads are buffered and handled in order after the join.
   */
  async connect(boardId: string, socket: WebSocket, access: Access): Promise<void> {
    const buffered: Frame[] = []
    let closedEarly = false
    const buffer = (data: unknown, isBinary: boolean) => buffered.push({ data: toBytes(data), isBinary })
    const markClosed = () => (closedEarly = true)
    socket.on('message', buffer)
    socket.on('close', markClosed)
    // ws reports protocol violations (e.g. an oversized frame, closed with 1009) here; without a listener they would crash the process.
    socket.on('error', (error) => this.options.log.warn({ board: boardId, err: error.message }, 'websocket error'))
    try {
      if (this.closed) {
        socket.close(CloseCode.serviceRestart, 'server is shutting down')
        return
      }
      const room = await this.acquire(boardId)
      socket.off('message', buffer)
      socket.off('close', markClosed)
      if (closedEarly) {
        this.scheduleUnloadIfEmpty(boardId, room)
        return
      }
      room.join(socket, access, buffered)
    } catch (error) {
      this.options.log.error({ board: boardId, err: error }, 'could not load room')
      socket.close(CloseCode.internalError, 'board could not be loaded')
    }
  }

  private async acquire(boardId: string): Promise<Room> {
    for (;;) {
      const entry = this.entries.get(boardId)
      if (!entry) {
        const room = Room.load(boardId, this.storage, this.options).then((loaded) => {
          loaded.onEmpty = () => this.scheduleUnloadIfEmpty(boardId, loaded)
          return loaded
        })
        this.entries.set(boardId, { room })
        room.catch(() => this.entries.delete(boardId))
        continue
      }
      if (entry.unloading) {
        await entry.unloading
        continue
      }
      clearTimeout(entry.timer)
      entry.timer = undefined
      const room = await entry.room
      if (this.entries.get(boardId) !== entry || entry.unloading) continue
      clearTimeout(entry.timer)
      entry.timer = undefined
      return room
    }
  }

  private scheduleUnloadIfEmpty(boardId: string, room: Room) {
    const entry = this.entries.get(boardId)
    if (!entry || entry.unloading || room.connectionCount > 0) return
    clearTimeout(entry.timer)
    entry.timer = setTimeout(() => {
      if (room.connectionCount > 0) return
      entry.unloading = room.unload().finally(() => {
        if (this.entries.get(boardId) === entry) this.entries.delete(boardId)
      })
    }, this.options.unloadGraceMs)
    entry.timer.unref()
  }

  private forEachLoaded(fn: (room: Room) => void) {
    for (const entry of this.entries.values()) void entry.room.then(fn, () => {})
  }

  /** Re-checks one person's open connections in every loaded room (after their roles changed). */
  async revalidate(personId: string, check: AccessCheck): Promise<void> {
    const rooms = await Promise.allSettled([...this.entries.values()].map((e) => e.room))
    for (const r of rooms) if (r.status === 'fulfilled') await r.value.revalidate(personId, check)
  }

  /** What the rooms hold unsaved while the database is unreachable (for /healthz; all zero normally). */
  async unsaved(): Promise<{ boards: number; updates: number; bytes: number }> {
    const rooms = await Promise.allSettled([...this.entries.values()].map((e) => e.room))
    const boards = rooms.filter((r) => r.status === 'fulfilled' && r.value.unsavedUpdates > 0).length
    return { boards, updates: this.options.unsaved.updates, bytes: this.options.unsaved.bytes }
  }

  /** Rooms in memory and their connections (for /healthz). */
  async stats(): Promise<{ rooms: number; connections: number }> {
    let connections = 0
    const rooms = await Promise.allSettled([...this.entries.values()].map((e) => e.room))
    for (const r of rooms) if (r.status === 'fulfilled') connections += r.value.connectionCount
    return { rooms: rooms.length, connections }
  }

  /** How many clients are connected to each of the given boards right now (0 where no room is loaded). */
  async connectionCounts(boardIds: string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {}
    for (const boardId of boardIds) {
      const entry = this.entries.get(boardId)
      const room = entry && !entry.unloading ? await entry.room.catch(() => null) : null
      counts[boardId] = room?.connectionCount ?? 0
    }
    return counts
  }

  /**
   * Changes a board's document on the server's behalf (see `Room.applyServerChange`), loading
   * the room for the change if nobody has it open; connected clients receive the change live.
   */
  async edit(boardId: string, change: (doc: Y.Doc) => void): Promise<Uint8Array> {
    if (this.closed) throw new Error('server is shutting down')
    const room = await this.acquire(boardId)
    try {
      return await room.applyServerChange(change)
    } finally {
      this.scheduleUnloadIfEmpty(boardId, room)
    }
  }

  /** Runs `read` on the live document of a loaded room (do not change it there), or returns null when the room is not loaded. */
  async readLoaded<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T | null> {
    const entry = this.entries.get(boardId)
    const room = entry && !entry.unloading ? await entry.room.catch(() => null) : null
    return room ? read(room.doc) : null
  }

  /** The current document of a board as one update (from the live room when loaded, else from storage). */
  async currentState(boardId: string): Promise<Uint8Array> {
    const entry = this.entries.get(boardId)
    const room = entry && !entry.unloading ? await entry.room.catch(() => null) : null
    if (room) return Y.encodeStateAsUpdate(room.doc)
    const { doc } = await this.storage.load(boardId)
    const state = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    return state
  }

  /** Runs a compaction of one loaded room now (used by tests and the admin). */
  async compact(boardId: string): Promise<void> {
    const entry = this.entries.get(boardId)
    if (entry) await (await entry.room).compact()
    else await this.storage.compact(boardId)
  }

  /** Graceful shutdown: closes every client with 1012 and waits until every received update is stored. */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.heartbeatTimer)
    const rooms = await Promise.allSettled([...this.entries.values()].map((e) => e.room))
    for (const r of rooms) if (r.status === 'fulfilled') r.value.closeAll(CloseCode.serviceRestart, 'server is restarting')
    for (const r of rooms) if (r.status === 'fulfilled') await r.value.idle()
    await this.storage.drain()
    for (const entry of this.entries.values()) clearTimeout(entry.timer)
  }
}
