/** Queries on the `boards` table: the whiteboards' metadata. */
import type { Sql } from './client.server'

export type Board = {
  id: string
  title: string
  createdAt: Date
  updatedAt: Date
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when `id` has the shape of a board id (a UUID); anything else cannot name a board. */
export function isBoardId(id: string): boolean {
  return uuidPattern.test(id)
}

/** Creates a board with the given title and returns it. */
export async function createBoard(sql: Sql, input: { title: string }): Promise<Board> {
  const [row] = await sql<Board[]>`
    insert into boards (title) values (${input.title})
    returning id, title, created_at as "createdAt", updated_at as "updatedAt"`
  return row
}

/** Lists boards, most recently changed first. */
export async function listBoards(sql: Sql, options: { limit?: number } = {}): Promise<Board[]> {
  return sql<Board[]>`
    select id, title, created_at as "createdAt", updated_at as "updatedAt"
    from boards order by updated_at desc, id limit ${options.limit ?? 500}`
}

/** Returns one board, or null when there is none with that id (or the id is malformed). */
export async function getBoard(sql: Sql, id: string): Promise<Board | null> {
  if (!isBoardId(id)) return null
  const [row] = await sql<Board[]>`
    select id, title, created_at as "createdAt", updated_at as "updatedAt"
    from boards where id = ${id}`
  return row ?? null
}
