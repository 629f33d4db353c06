/** The room bus on a real (private) Redis: buffering until a room attaches, no echo, resync after Redis returns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { connectRedisCluster, type RedisCluster } from '../../collab/redis-cluster'
import type { PeerMessages } from '../../collab/cluster'
import { waitFor } from '../support/clients'
import { startTestRedis, type TestRedis } from '../support/redis'

const log = pino({ level: 'silent' })

type Recorder = PeerMessages & { updates: number[][]; awarenessUpdates: number[][] }

function recorder(): Recorder {
  const updates: number[][] = []
  const awarenessUpdates: number[][] = []
  return {
    updates,
    awarenessUpdates,
    update: (u) => void updates.push([...u]),
    awareness: (u) => void awarenessUpdates.push([...u]),
  }
}

describe('redis room bus', () => {
  let redis: TestRedis
  let here: RedisCluster
  let peer: RedisCluster

  beforeAll(async () => {
    redis = await startTestRedis()
    here = await connectRedisCluster(redis.url, log)
    peer = await connectRedisCluster(redis.url, log)
  })
  afterAll(async () => {
    await here?.close()
    await peer?.close()
    await redis?.stop()
  })

  it('buffers what peers publish while a room is still loading and delivers it, in order, when the room attaches', async () => {
    const alreadyAttached = await here.open('board-1')
    const early = recorder()
    alreadyAttached.attach(early)
    const loading = await here.open('board-1')
    const publisher = await peer.open('board-1')
    publisher.publishUpdate(new Uint8Array([1]))
    publisher.publishAwareness(new Uint8Array([2]))
    publisher.publishUpdate(new Uint8Array([3]))
    // Both channels of this process got the messages at the same moment; one of them is not attached yet.
    await waitFor(() => early.updates.length === 2 && early.awarenessUpdates.length === 1, 'the attached room received everything')
    const late = recorder()
    loading.attach(late)
    expect(late.updates).toEqual([[1], [3]])
    expect(late.awarenessUpdates).toEqual([[2]])
    for (const c of [alreadyAttached, loading, publisher]) c.close()
  })

  it('does not echo a process its own messages, and keeps boards apart', async () => {
    const mine = await here.open('board-2')
    const other = await here.open('board-3')
    const theirs = await peer.open('board-2')
    const [mineGot, otherGot, theirsGot] = [recorder(), recorder(), recorder()]
    mine.attach(mineGot)
    other.attach(otherGot)
    theirs.attach(theirsGot)
    mine.publishUpdate(new Uint8Array([7]))
    theirs.publishUpdate(new Uint8Array([8]))
    await waitFor(() => theirsGot.updates.length === 1 && mineGot.updates.length === 1, 'each side got the other one')
    expect(mineGot.updates).toEqual([[8]])
    expect(theirsGot.updates).toEqual([[7]])
    expect(otherGot.updates).toEqual([])
    for (const c of [mine, other, theirs]) c.close()
  })

  it('reports down while Redis is away, asks rooms to resync once it is back, and delivers again', async () => {
    let resyncs = 0
    here.onResyncNeeded(() => resyncs++)
    const channel = await here.open('board-4')
    const got = recorder()
    channel.attach(got)
    expect(here.status()).toBe('up')

    await redis.stop()
    await waitFor(() => here.status() === 'down', 'the bus notices Redis is gone')
    const before = resyncs
    await redis.start()
    await waitFor(() => here.status() === 'up' && peer.status() === 'up', 'both reconnect', 10_000)
    await waitFor(() => resyncs > before, 'rooms are asked to reload from storage')

    const sender = await peer.open('board-4')
    sender.publishUpdate(new Uint8Array([9]))
    await waitFor(() => got.updates.length === 1, 'the resubscribed channel receives again')
    expect(got.updates).toEqual([[9]])
    channel.close()
    sender.close()
  })
})
