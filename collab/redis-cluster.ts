/**
 * The room bus on Redis pub/sub: how several server processes serve the same boards.
 * Loaded only when REDIS_URL is set (server/scale-out.ts imports it on demand).
 *
 * - One channel per board (`<REDIS_PREFIX>:board:<id>`, the prefix `werkraum` by default, so
 *   that two installations on one Redis never hear each other). A process publishes an update only after
 *   committing it to the update log, and a receiving process applies it without storing it:
 *   each update is stored exactly once, by the process whose client sent it.
 * - A room subscribes before it loads from storage and buffers what arrives meanwhile, so a
 *   process joining a busy room misses nothing (Yjs applies are idempotent: the overlap of
 *   buffer and storage is harmless).
 * - Pub/sub delivers at most once. Whenever messages may have been missed — the subscriber
 *   (re)connected, or a publish failed — every room reloads from storage (which holds every
 *   update) and fans out the difference. Meanwhile each process keeps serving its own clients.
 *
 * Wire format of a message: one byte kind, eight bytes sender process id, then the payload.
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { Redis, type RedisOptions } from 'ioredis'
import type { Cluster, PeerMessages, RoomChannel } from './cluster'

const Kind = { update: 0, awareness: 1, resync: 2 } as const
const headerBytes = 9

/** The default of REDIS_PREFIX: what every key and channel of an installation starts with. */
export const DEFAULT_REDIS_PREFIX = 'werkraum'
/** A key or channel of this installation: `<prefix>:<name>`. */
export const redisKey = (prefix: string, name: string) => `${prefix}:${name}`

export type RedisCluster = Cluster & {
  /** 'up' when both connections are ready; 'down' otherwise (for /healthz). */
  status(): 'up' | 'down'
  close(): Promise<void>
}

/** Options for a connection that fails fast while Redis is away and reconnects on its own. */
export function redisOptions(name: string): RedisOptions {
  return {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: false,
  }
}

class BufferedChannel implements RoomChannel {
  private receiver: PeerMessages | null = null
  private buffer: { kind: number; payload: Uint8Array }[] = []

  constructor(
    readonly boardId: string,
    private readonly bus: RedisBus,
  ) {}

  attach(receiver: PeerMessages): void {
    this.receiver = receiver
    for (const { kind, payload } of this.buffer.splice(0)) this.deliver(kind, payload)
  }

  deliver(kind: number, payload: Uint8Array): void {
    if (!this.receiver) {
      this.buffer.push({ kind, payload: payload.slice() })
      return
    }
    if (kind === Kind.update) this.receiver.update(payload)
    else if (kind === Kind.awareness) this.receiver.awareness(payload)
  }

  publishUpdate(update: Uint8Array): void {
    this.bus.publish(this.bus.boardChannel(this.boardId), Kind.update, update)
  }

  publishAwareness(update: Uint8Array): void {
    this.bus.publish(this.bus.boardChannel(this.boardId), Kind.awareness, update)
  }

  close(): void {
    this.bus.release(this)
  }
}

class RedisBus implements RedisCluster {
  private readonly processId = randomBytes(8)
  private readonly publisher: Redis
  private readonly subscriber: Redis
  private readonly channels = new Map<string, Set<BufferedChannel>>()
  private readonly resyncHandlers: (() => void)[] = []
  /** A publish failed: peers may lack updates we committed, so they must resync once we are back. */
  private publishesLost = false
  private closed = false
  /** Broadcasts "resynchronise from storage": sent by a process whose publishes were lost. */
  private readonly controlChannel: string

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly prefix: string,
  ) {
    this.controlChannel = redisKey(prefix, 'control')
    this.publisher = new Redis(url, redisOptions('werkraum-bus-pub'))
    // Resubscribing is ours to do (see onSubscriberReady): it must finish before the resync.
    this.subscriber = new Redis(url, { ...redisOptions('werkraum-bus-sub'), autoResubscribe: false })
    for (const [role, client] of [['publisher', this.publisher], ['subscriber', this.subscriber]] as const) {
      let reported = false
      client.on('error', (error: Error) => {
        if (!reported) log.warn({ role, err: error.message }, 'redis unreachable; serving local clients only until it returns')
        reported = true
      })
      client.on('ready', () => {
        if (reported) log.info({ role }, 'redis is back')
        reported = false
      })
    }
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message))
    this.subscriber.on('ready', () => void this.onSubscriberReady())
    this.publisher.on('ready', () => this.onPublisherReady())
  }

  /** The channel of one board's messages. */
  boardChannel(boardId: string): string {
    return redisKey(this.prefix, `board:${boardId}`)
  }

  status(): 'up' | 'down' {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready' ? 'up' : 'down'
  }

  async open(boardId: string): Promise<RoomChannel> {
    const channel = new BufferedChannel(boardId, this)
    const name = this.boardChannel(boardId)
    const members = this.channels.get(name)
    if (members) {
      members.add(channel)
      return channel
    }
    this.channels.set(name, new Set([channel]))
    if (this.subscriber.status === 'ready') {
      // Down or failing: the room loads anyway; onSubscriberReady subscribes it and resyncs it later.
      await this.subscriber.subscribe(name).catch((error: Error) => {
        this.log.warn({ board: boardId, err: error.message }, 'could not subscribe; the room resyncs when redis is back')
      })
    }
    return channel
  }

  onResyncNeeded(handler: () => void): void {
    this.resyncHandlers.push(handler)
  }

  /** Publishes to peers; a failure is remembered so that the peers resync from storage later. */
  publish(channel: string, kind: number, payload: Uint8Array): void {
    if (this.publisher.status !== 'ready') {
      this.publishesLost = true
      return
    }
    const message = Buffer.allocUnsafe(headerBytes + payload.byteLength)
    message[0] = kind
    this.processId.copy(message, 1)
    message.set(payload, headerBytes)
    this.publisher.publish(channel, message).catch(() => {
      this.publishesLost = true
      // Still connected (e.g. a timeout): no 'ready' will follow, so ask the peers to resync now.
      if (this.publisher.status === 'ready') setTimeout(() => this.onPublisherReady(), 100).unref()
    })
  }

  release(channel: BufferedChannel): void {
    const name = this.boardChannel(channel.boardId)
    const members = this.channels.get(name)
    if (!members?.delete(channel) || members.size > 0) return
    this.channels.delete(name)
    if (this.subscriber.status === 'ready') this.subscriber.unsubscribe(name).catch(() => {})
  }

  private receive(channel: string, message: Buffer) {
    if (message.length < headerBytes || message.subarray(1, headerBytes).equals(this.processId)) return
    const kind = message[0]
    if (channel === this.controlChannel) {
      if (kind === Kind.resync) this.resyncAll('a peer could not publish')
      return
    }
    const members = this.channels.get(channel)
    if (!members) return
    const payload = new Uint8Array(message.buffer, message.byteOffset + headerBytes, message.length - headerBytes)
    for (const member of members) member.deliver(kind, payload)
  }

  /** (Re)subscribes every open board, then has every room reload from storage: nothing missed meanwhile stays missing. */
  private async onSubscriberReady() {
    try {
      await this.subscriber.subscribe(this.controlChannel, ...this.channels.keys())
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'resubscribing failed; retrying on the next reconnect')
      return
    }
    this.resyncAll('subscribed to redis')
  }

  private onPublisherReady() {
    if (!this.publishesLost) return
    this.publishesLost = false
    const message = Buffer.alloc(headerBytes)
    message[0] = Kind.resync
    this.processId.copy(message, 1)
    this.publisher.publish(this.controlChannel, message).catch(() => (this.publishesLost = true))
  }

  private resyncAll(reason: string) {
    if (this.closed || this.channels.size === 0) return
    this.log.info({ reason, rooms: this.channels.size }, 'resynchronising rooms from storage')
    for (const handler of this.resyncHandlers) handler()
  }

  async close(): Promise<void> {
    this.closed = true
    this.publisher.disconnect()
    this.subscriber.disconnect()
  }
}

/**
 * Connects the room bus to Redis at `url` under `prefix` (REDIS_PREFIX); waits up to `waitMs`
 * for it, and starts degraded if Redis is away.
 */
export async function connectRedisCluster(url: string, log: Logger, waitMs = 2000, prefix = DEFAULT_REDIS_PREFIX): Promise<RedisCluster> {
  const bus = new RedisBus(url, log, prefix)
  const deadline = Date.now() + waitMs
  while (bus.status() !== 'up' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  if (bus.status() !== 'up') log.warn({ redis: 'down' }, 'redis is not reachable at start; serving local clients only until it is')
  return bus
}
