/** Queries on the `boards` table: the whiteboards' metadata. */
import type { Sql } from './client.server'
import { listTeams } from './courses.server'

/** A whiteboard, or the municipality's Systemdesign document (one per municipality, never listed as a board). */
export const boardKinds = ['whiteboard', 'design', 'private'] as const
export type BoardKind = (typeof boardKinds)[number]

export type Board = {
  id: string
  title: string
  kind: BoardKind
  /** The municipality whose design the board belongs to, if any. */
  municipalityId: string | null
  /** The course the board belongs to (e.g. a plenary board), if any. */
  courseId: string | null
  /** For a private layer (kind 'private'): the person whose hidden notes it holds. */
  privateOwner?: string | null
  /** For a private layer: the board it belongs to. */
  privateOf?: string | null
  createdAt: Date
  updatedAt: Date
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when `id` has the shape of a board id (a UUID); anything else cannot name a board. */
export function isBoardId(id: string): boolean {
  return uuidPattern.test(id)
}

const columns = (sql: Sql) =>
  sql`id, title, kind, municipality_id as "municipalityId", course_id as "courseId", private_owner as "privateOwner", private_of as "privateOf", created_at as "createdAt", updated_at as "updatedAt"`

/** Creates a board with the given title (for a municipality's design or a course) and returns it. */
export async function createBoard(sql: Sql, input: { title: string; municipalityId?: string | null; courseId?: string | null }): Promise<Board> {
  const [row] = await sql<Board[]>`
    insert into boards (title, municipality_id, course_id)
    values (${input.title}, ${input.municipalityId ?? null}, ${input.courseId ?? null})
    returning ${columns(sql)}`
  return row
}

/** Lists whiteboards (never design documents), most recently changed first; optionally only those of some municipalities and courses. */
export async function listBoards(sql: Sql, options: { limit?: number; municipalityIds?: string[]; courseIds?: string[] } = {}): Promise<Board[]> {
  const limit = options.limit ?? 500
  if (options.municipalityIds || options.courseIds) {
    return sql<Board[]>`
      select ${columns(sql)} from boards
      where kind = 'whiteboard'
        and (municipality_id = any(${options.municipalityIds ?? []}::uuid[]) or course_id = any(${options.courseIds ?? []}::uuid[]))
      order by updated_at desc, id limit ${limit}`
  }
  return sql<Board[]>`select ${columns(sql)} from boards where kind = 'whiteboard' order by updated_at desc, id limit ${limit}`
}

/** Returns one board, or null when there is none with that id (or the id is malformed). */
export async function getBoard(sql: Sql, id: string): Promise<Board | null> {
  if (!isBoardId(id)) return null
  const [row] = await sql<Board[]>`select ${columns(sql)} from boards where id = ${id}`
  return row ?? null
}

/** Records that a person opened a board (for "recently opened"). */
export async function recordVisit(sql: Sql, personId: string, boardId: string): Promise<void> {
  await sql`
    insert into board_visits (person_id, board_id) values (${personId}, ${boardId})
    on conflict (person_id, board_id) do update set opened_at = now()`
}

/** The whiteboards a person opened most recently. */
export async function recentBoards(sql: Sql, personId: string, limit = 8): Promise<(Board & { openedAt: Date })[]> {
  return sql<(Board & { openedAt: Date })[]>`
    select b.id, b.title, b.kind, b.municipality_id as "municipalityId", b.course_id as "courseId",
           b.created_at as "createdAt", b.updated_at as "updatedAt", v.opened_at as "openedAt"
    from board_visits v join boards b on b.id = v.board_id
    where v.person_id = ${personId} and b.kind = 'whiteboard' order by v.opened_at desc limit ${limit}`
}

/** The municipality's Systemdesign document (a board of kind 'design'), or null. */
export async function getDesignDocument(sql: Sql, municipalityId: string): Promise<Board | null> {
  const [row] = await sql<Board[]>`select ${columns(sql)} from boards where municipality_id = ${municipalityId} and kind = 'design'`
  return row ?? null
}

/** Deletes a board with everything stored for it (used when filling a new board failed). */
export async function deleteBoard(sql: Sql, id: string): Promise<void> {
  await sql`delete from boards where id = ${id}`
}

/** A person's private layer of a board (created on first use, with the board's owner ids). */
export async function privateLayer(sql: Sql, board: Board, personId: string): Promise<Board> {
  await sql`
    insert into boards (title, municipality_id, course_id, kind, private_of, private_owner)
    values (${`${board.title} (privat)`}, ${board.municipalityId}, ${board.courseId}, 'private', ${board.id}, ${personId})
    on conflict (private_of, private_owner) where kind = 'private' do nothing`
  const [row] = await sql<Board[]>`select ${columns(sql)} from boards where private_of = ${board.id} and private_owner = ${personId} and kind = 'private'`
  return row
}

/** Every private layer of a board. */
export async function privateLayers(sql: Sql, boardId: string): Promise<Board[]> {
  return sql<Board[]>`select ${columns(sql)} from boards where private_of = ${boardId} and kind = 'private' order by created_at, id`
}

/** The course's groups (municipal teams), each with its first whiteboard (the oldest), if it has one. */
export async function groupsWithBoards(sql: Sql, courseId: string) {
  const teams = await listTeams(sql, courseId)
  const teamBoards = teams.length ? await listBoards(sql, { municipalityIds: teams.map((t) => t.id) }) : []
  const oldestFirst = [...teamBoards].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  return teams.map((team) => {
    const board = oldestFirst.find((b) => b.municipalityId === team.id)
    return { id: team.id, name: team.name, board: board ? { id: board.id, title: board.title } : null, boardUpdatedAt: board?.updatedAt ?? null }
  })
}
