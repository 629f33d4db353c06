/**
 * Automatic snapshots after a period of activity: a round snapshots exactly the designs edited
 * since their last snapshot; a design nobody touched gets none; SNAPSHOT_EVERY_MINUTES is validated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as store from '../../db/snapshots.server'
import { listAudit } from '../../db/audit.server'
import { readEnv, ConfigError } from '../../server/env.server'
import type { RunningServer } from '../../server/app'
import { connectClient, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'
import pino from 'pino'
import { AutoSnapshots } from '../../collab/auto-snapshots.server'

describe('automatic snapshots', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  const clients: Client[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { SNAPSHOT_EVERY_MINUTES: '0' })
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  const autoCount = async (municipalityId: string) => (await store.listSnapshots(server.db.sql, municipalityId)).filter((s) => s.kind === 'auto').length

  it('snapshots only designs edited since their last snapshot, once', async () => {
    expect(await server.autoSnapshots.runOnce()).toEqual([])
    const client = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    clients.push(client)
    await client.synced
    client.doc.getMap('tl_records').set('shape:a', { id: 'shape:a', typeName: 'shape', type: 'geo', x: 1, y: 2, props: { w: 10, h: 10 } })
    await waitFor(async () => (await server.rooms.currentState(world.board.hamm.id)).length > 50, 'edit stored')
    // updated_at has a clock resolution: make sure the edit is later than anything before it.
    await waitFor(async () => (await server.autoSnapshots.runOnce()).length > 0, 'one automatic round picks Hamm up')
    expect(await autoCount(world.municipality.hamm.id)).toBe(1)
    expect(await autoCount(world.municipality.duisburg.id)).toBe(0)
    const [snapshot] = await store.listSnapshots(server.db.sql, world.municipality.hamm.id)
    expect(snapshot).toMatchObject({ kind: 'auto', takenBy: null })
    expect((await listAudit(server.db.sql, world.municipality.hamm.id))[0]).toMatchObject({ action: 'snapshot.take', personId: null })

    // Nothing changed since: the next round takes nothing.
    expect(await server.autoSnapshots.runOnce()).toEqual([])
    expect(await autoCount(world.municipality.hamm.id)).toBe(1)

    client.doc.getMap('tl_records').set('shape:b', { id: 'shape:b', typeName: 'shape', type: 'geo', x: 5, y: 5, props: { w: 10, h: 10 } })
    await waitFor(async () => (await server.autoSnapshots.runOnce()).includes(world.municipality.hamm.id), 'a later edit is picked up again')
    expect(await autoCount(world.municipality.hamm.id)).toBe(2)
  })

  it('two processes running a round at the same moment take one automatic snapshot per changed design', async () => {
    const { sql } = server.db
    // A second AutoSnapshots on the same database, as a second server process with REDIS_URL would run.
    const other = new AutoSnapshots({ sql, rooms: server.rooms, everyMinutes: 0, log: pino({ level: 'silent' }) })
    for (const round of [1, 2]) {
      await sql`update boards set updated_at = clock_timestamp() where id in (${world.board.duisburg.id}, ${world.board.herne.id})`
      const [a, b] = await Promise.all([server.autoSnapshots.runOnce(), other.runOnce()])
      expect([...a, ...b].sort()).toEqual([world.municipality.duisburg.id, world.municipality.herne.id].sort())
      expect(await autoCount(world.municipality.duisburg.id)).toBe(round)
      expect(await autoCount(world.municipality.herne.id)).toBe(round)
    }
  })

  it('reads SNAPSHOT_EVERY_MINUTES (default 60, 0 turns it off) and refuses nonsense', () => {
    expect(readEnv({}).snapshotEveryMinutes).toBe(60)
    expect(readEnv({ SNAPSHOT_EVERY_MINUTES: '0' }).snapshotEveryMinutes).toBe(0)
    expect(() => readEnv({ SNAPSHOT_EVERY_MINUTES: '-5' })).toThrow(ConfigError)
    expect(() => readEnv({ SNAPSHOT_EVERY_MINUTES: 'stündlich' })).toThrow(ConfigError)
  })
})
