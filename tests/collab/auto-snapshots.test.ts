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
import { AutoSnapshots, pruneAutoSnapshots } from '../../collab/features/auto-snapshots.server'
import { createMunicipality } from '../../db/courses.server'

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

  /** A snapshot row with a chosen time, as if taken then. */
  const insertAt = async (municipalityId: string, kind: store.SnapshotKind, takenAt: Date | string, label = '') => {
    const [row] = await server.db.sql<{ id: string }[]>`
      insert into snapshots (municipality_id, kind, label, taken_at) values (${municipalityId}, ${kind}, ${label}, ${new Date(takenAt)}) returning id`
    return row.id
  }
  const newMunicipality = async (name: string) => (await createMunicipality(server.db.sql, { name: `${name} ${Date.now()}`, kind: 'Stadt' }))!.id

  it('retention keeps the last 7 days, then one per day (German time) up to 90 days, then one per month; other kinds never go', async () => {
    const { sql } = server.db
    const m = await newMunicipality('Bochum')
    const now = new Date('2026-06-15T10:00:00Z')
    const id = {
      recent1: await insertAt(m, 'auto', '2026-06-14T08:00:00Z'),
      recent2: await insertAt(m, 'auto', '2026-06-14T07:00:00Z'),
      day20last: await insertAt(m, 'auto', '2026-05-20T16:00:00Z'),
      day20earlier: await insertAt(m, 'auto', '2026-05-20T09:00:00Z'),
      // 01:30 on 20 May in Berlin: the same day as the two above.
      day20berlinNight: await insertAt(m, 'auto', '2026-05-19T23:30:00Z'),
      day21: await insertAt(m, 'auto', '2026-05-21T21:30:00Z'),
      janLast: await insertAt(m, 'auto', '2026-01-31T22:30:00Z'),
      janEarlier: await insertAt(m, 'auto', '2026-01-10T10:00:00Z'),
      febLast: await insertAt(m, 'auto', '2026-02-01T10:00:00Z'),
      // 00:30 on 1 February in Berlin: February's, which has a later one.
      febBerlinNight: await insertAt(m, 'auto', '2026-01-31T23:30:00Z'),
      manual: await insertAt(m, 'manual', '2026-01-10T11:00:00Z', 'Entwurf für den Rat'),
      phase: await insertAt(m, 'phase', '2026-05-20T10:00:00Z', 'Modul 1 – Phase 2'),
      sessionEnd: await insertAt(m, 'session_end', '2026-05-20T11:00:00Z', 'Sitzungsende'),
      beforeRestore: await insertAt(m, 'before_restore', '2026-01-10T12:00:00Z', 'vor Wiederherstellung'),
    }
    await sql`insert into snapshot_boards (snapshot_id, board_id, board_kind, title, state, svg)
              values (${id.day20earlier}, gen_random_uuid(), 'whiteboard', 'Karte', '\\x00'::bytea, '<svg/>')`

    const deleted = await pruneAutoSnapshots(sql, m, { keepAllDays: 7, keepDailyDays: 90 }, now)
    const gone = [id.day20earlier, id.day20berlinNight, id.janEarlier, id.febBerlinNight]
    expect(deleted.sort()).toEqual([...gone].sort())
    const left = new Set((await store.listSnapshots(sql, m)).map((s) => s.id))
    for (const [name, snapshotId] of Object.entries(id)) expect({ name, kept: left.has(snapshotId) }).toEqual({ name, kept: !gone.includes(snapshotId) })
    expect(await sql`select 1 from snapshot_boards where snapshot_id = ${id.day20earlier}`).toHaveLength(0)

    // One audit entry names every deleted Stand with its time; the entries of their taking stay.
    const audit = (await listAudit(sql, m)).filter((a) => a.action === 'snapshot.prune')
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ personId: null, subjectId: null })
    const listed = audit[0].details.deleted as { id: string; takenAt: string }[]
    expect(listed.map((d) => d.id).sort()).toEqual([...gone].sort())
    expect(listed.find((d) => d.id === id.janEarlier)?.takenAt).toBe('2026-01-10T10:00:00.000Z')

    // A second run finds nothing more to do and records nothing.
    expect(await pruneAutoSnapshots(sql, m, { keepAllDays: 7, keepDailyDays: 90 }, now)).toEqual([])
    expect((await listAudit(sql, m)).filter((a) => a.action === 'snapshot.prune')).toHaveLength(1)
  })

  it('the automatic round applies the retention rule, keeping the newest Stand and hand-taken ones', async () => {
    const m = await newMunicipality('Bottrop')
    // Two automatic snapshots in one month about 200 days ago, and a hand-taken one between them.
    const base = new Date(Date.now() - 200 * 24 * 3600_000)
    base.setUTCDate(15)
    base.setUTCHours(10, 0, 0, 0)
    const older = await insertAt(m, 'auto', base)
    const manual = await insertAt(m, 'manual', new Date(base.getTime() + 30 * 60_000), 'Stand für den Stadtrat')
    const newer = await insertAt(m, 'auto', new Date(base.getTime() + 60 * 60_000))
    await server.autoSnapshots.runOnce()
    expect((await store.listSnapshots(server.db.sql, m)).map((s) => s.id)).toEqual([newer, manual])
    expect(older).not.toBe(newer)
  })

  it('reads the retention settings (default 7 and 90 days, can be turned off) and refuses nonsense', () => {
    expect(readEnv({}).autoSnapshotRetention).toEqual({ keepAllDays: 7, keepDailyDays: 90 })
    expect(readEnv({ AUTO_SNAPSHOT_KEEP_ALL_DAYS: '14', AUTO_SNAPSHOT_KEEP_DAILY_DAYS: '30' }).autoSnapshotRetention).toEqual({ keepAllDays: 14, keepDailyDays: 30 })
    expect(readEnv({ AUTO_SNAPSHOT_RETENTION: 'false' }).autoSnapshotRetention).toBeNull()
    expect(() => readEnv({ AUTO_SNAPSHOT_KEEP_ALL_DAYS: '0' })).toThrow(ConfigError)
    expect(() => readEnv({ AUTO_SNAPSHOT_KEEP_DAILY_DAYS: 'viele' })).toThrow(ConfigError)
    expect(() => readEnv({ AUTO_SNAPSHOT_KEEP_ALL_DAYS: '30', AUTO_SNAPSHOT_KEEP_DAILY_DAYS: '10' })).toThrow(ConfigError)
  })

  it('reads SNAPSHOT_EVERY_MINUTES (default 60, 0 turns it off) and refuses nonsense', () => {
    expect(readEnv({}).snapshotEveryMinutes).toBe(60)
    expect(readEnv({ SNAPSHOT_EVERY_MINUTES: '0' }).snapshotEveryMinutes).toBe(0)
    expect(() => readEnv({ SNAPSHOT_EVERY_MINUTES: '-5' })).toThrow(ConfigError)
    expect(() => readEnv({ SNAPSHOT_EVERY_MINUTES: 'stündlich' })).toThrow(ConfigError)
  })
})
