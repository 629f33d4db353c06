/**
 * Scale-out wiring, imported only when REDIS_URL is set: the Yjs room bus on Redis
 * (collab/redis-cluster.ts) and socket.io's Redis adapter, so that any number of processes
 * behind a load balancer serve the same boards and events without sticky sessions.
 */
import type { Logger } from 'pino'
import { Redis } from 'ioredis'
import { createAdapter } from '@socket.io/redis-adapter'
import { connectRedisCluster, redisKey, redisOptions, type RedisCluster } from '../collab/redis-cluster'

export type ScaleOut = {
  cluster: RedisCluster
  /** Pass to `io.adapter(…)`: socket.io broadcasts and `fetchSockets()` then span every process. */
  socketIoAdapter: ReturnType<typeof createAdapter>
  /** A plain connection for counters shared by every process (sign-in limits). */
  store: Redis
  /** 'down' while any Redis connection is away (/healthz then reports `degraded`). */
  status(): 'up' | 'down'
  close(): Promise<void>
}

/**
 * Connects the room bus and socket.io's adapter to Redis at `url`, every channel under `prefix`
 * (REDIS_PREFIX: installations sharing one Redis do not hear each other); starts degraded if Redis is away.
 */
export async function startScaleOut(url: string, prefix: string, log: Logger): Promise<ScaleOut> {
  const cluster = await connectRedisCluster(url, log, 2000, prefix)
  // The adapter publishes without handling failures: fail fast while Redis is away and drop the
  // event (live events are not durable), instead of queueing them or rejecting unhandled.
  const pub = new Redis(url, redisOptions('werkraum-events-pub'))
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>
  Object.assign(pub, { publish: (channel: string, message: string | Buffer) => publish(channel, message).catch(() => 0) })
  // The subscriber queues its subscriptions until connected and restores them after a reconnect.
  const sub = new Redis(url, { connectionName: 'werkraum-events-sub', maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 100, 1000) })
  const store = new Redis(url, redisOptions('werkraum-store'))
  for (const client of [pub, sub, store]) client.on('error', () => {}) // reported once by the room bus, which shares the server
  return {
    cluster,
    socketIoAdapter: createAdapter(pub, sub, { key: redisKey(prefix, 'socket.io'), requestsTimeout: 2000 }),
    store,
    status: () => (cluster.status() === 'up' && pub.status === 'ready' && sub.status === 'ready' ? 'up' : 'down'),
    async close() {
      await cluster.close()
      pub.disconnect()
      sub.disconnect()
      store.disconnect()
    },
  }
}
