/**
 * Queries on `snapshots` and `snapshot_boards`: a municipality's design frozen at one moment.
 * Insert and read only — there is deliberately no update function, and a trigger (migration
 * 005) refuses any UPDATE that reaches the database anyway. The one delete is the retention
 * of 'auto' snapshots (decision 0025), which can remove nothing else.
 */
import { asSql, type Sql } from './client.server'
import type { BoardKind } from './boards.server'

export const snapshotKinds = ['manual', 'auto', 'phase', 'session_end', 'before_restore'] as const
export type SnapshotKind = (typeof snapshotKinds)[number]

export type Snapshot = {
  id: string
  municipalityId: string
  kind: SnapshotKind
  label: string
  note: string
  takenBy: string | null
  /** The author's display name (null when unknown or deleted). */
  takenByName: string | null
  takenAt: Date
  tldrawSchema: unknown
}

export type SnapshotBoard = {
  boardId: string
  /** Snapshots hold whiteboards and the Systemdesign document, never a person's private layer. */
  boardKind: Exclude<BoardKind, 'private'>
  title: string
  state: Uint8Array
  svg: string
}

export type NewSnapshot = {
  municipalityId: string
  kind: SnapshotKind
  label: string
  note: string
  takenBy: string | null
  tldrawSchema: unknown
  boards: SnapshotBoard[]
}

const columns = (sql: Sql) => sql`
  s.id, s.municipality_id as "municipalityId", s.kind, s.label, s.note, s.taken_by as "takenBy",
  nullif(coalesce(nullif(p.name, ''), p.email), '') as "takenByName", s.taken_at as "takenAt", s.tldraw_schema as "tldrawSchema"`

const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)

/** Stores a snapshot with all its boards in one transaction and returns it. */
export async function insertSnapshot(sql: Sql, input: NewSnapshot): Promise<Snapshot> {
  const id = await sql.begin((tx) => insertSnapshotRows(asSql(tx), input))
  return (await getSnapshot(sql, id))!
}

/** Inserts a snapshot's rows on `tx`, which must be a transaction (or the caller accepts a partial write); returns its id. */
export async function insertSnapshotRows(tx: Sql, input: NewSnapshot): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into snapshots (municipality_id, kind, label, note, taken_by, tldraw_schema)
    values (${input.municipalityId}, ${input.kind}, ${input.label}, ${input.note}, ${input.takenBy},
            ${input.tldrawSchema === undefined || input.tldrawSchema === null ? null : tx.json(input.tldrawSchema as never)})
    returning id`
  if (input.boards.length > 0) {
    const rows = input.boards.map((b) => ({ snapshot_id: row.id, board_id: b.boardId, board_kind: b.boardKind, title: b.title, state: bytes(b.state), svg: b.svg }))
    await tx`insert into snapshot_boards ${tx(rows, 'snapshot_id', 'board_id', 'board_kind', 'title', 'state', 'svg')}`
  }
  return row.id
}

/** A municipality's snapshots, newest first. */
export async function listSnapshots(sql: Sql, municipalityId: string, limit = 500): Promise<Snapshot[]> {
  return sql<Snapshot[]>`
    select ${columns(sql)} from snapshots s left join people p on p.id = s.taken_by
    where s.municipality_id = ${municipalityId} order by s.taken_at desc, s.id limit ${limit}`
}

/** One snapshot (without its boards), or null. */
export async function getSnapshot(sql: Sql, id: string): Promise<Snapshot | null> {
  const [row] = await sql<Snapshot[]>`select ${columns(sql)} from snapshots s left join people p on p.id = s.taken_by where s.id = ${id}`
  return row ?? null
}

/** The boards of a snapshot with their stored states and SVGs: the design document first, then whiteboards by title. */
export async function snapshotBoards(sql: Sql, snapshotId: string): Promise<SnapshotBoard[]> {
  return sql<SnapshotBoard[]>`
    select board_id as "boardId", board_kind as "boardKind", title, state, svg from snapshot_boards
    where snapshot_id = ${snapshotId} order by board_kind = 'design' desc, title, board_id`
}

/** The boards of a snapshot without their states (for lists and timelines). */
export async function snapshotBoardList(sql: Sql, snapshotIds: string[]): Promise<(Omit<SnapshotBoard, 'state'> & { snapshotId: string })[]> {
  if (snapshotIds.length === 0) return []
  return sql`
    select snapshot_id as "snapshotId", board_id as "boardId", board_kind as "boardKind", title, svg from snapshot_boards
    where snapshot_id = any(${snapshotIds}::uuid[]) order by board_kind = 'design' desc, title, board_id`
}

/** A municipality's 'auto' snapshots (id and time only), newest first — what the retention rule looks at. */
export async function autoSnapshotTimes(sql: Sql, municipalityId: string): Promise<{ id: string; takenAt: Date }[]> {
  return sql`select id, taken_at as "takenAt" from snapshots where municipality_id = ${municipalityId} and kind = 'auto' order by taken_at desc, id`
}

/** The id of a municipality's newest snapshot of any kind, or null. */
export async function newestSnapshotId(sql: Sql, municipalityId: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`select id from snapshots where municipality_id = ${municipalityId} order by taken_at desc, id limit 1`
  return row?.id ?? null
}

/** A municipality's snapshots of one kind whose label starts with `labelPrefix`, newest first. */
export async function snapshotsLabelled(sql: Sql, municipalityId: string, kind: SnapshotKind, labelPrefixes: string[]): Promise<{ id: string; takenAt: Date }[]> {
  return sql`
    select id, taken_at as "takenAt" from snapshots
    where municipality_id = ${municipalityId} and kind = ${kind} and exists (select 1 from unnest(${labelPrefixes}::text[]) as p(prefix) where starts_with(label, p.prefix))
    order by taken_at desc, id`
}

/** Deletes the given snapshots of one kind of one municipality (their boards go by cascade). */
export async function deleteSnapshotsOfKind(sql: Sql, municipalityId: string, kind: SnapshotKind, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0
  const rows = await sql`delete from snapshots where municipality_id = ${municipalityId} and kind = ${kind} and id = any(${ids}::uuid[]) returning id`
  return rows.length
}

/** Deletes the given 'auto' snapshots of one municipality (their boards go by cascade); any other kind is never touched. Returns what was deleted. */
export async function deleteAutoSnapshots(sql: Sql, municipalityId: string, ids: string[]): Promise<{ id: string; takenAt: Date }[]> {
  if (ids.length === 0) return []
  return sql`
    delete from snapshots where municipality_id = ${municipalityId} and kind = 'auto' and id = any(${ids}::uuid[])
    returning id, taken_at as "takenAt"`
}
