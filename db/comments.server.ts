/** Queries on `comment_threads` and `comments`: discussion attached to boards and the Systemdesign document. */
import type { Sql } from './client.server'

export const anchorKinds = ['board', 'shape', 'entry', 'section'] as const
export type AnchorKind = (typeof anchorKinds)[number]

export type Comment = { id: string; authorId: string | null; authorName: string; body: string; mentions: { id: string; name: string }[]; createdAt: Date }
export type Thread = {
  id: string
  boardId: string
  anchor: { kind: AnchorKind; id: string; label: string }
  status: 'open' | 'resolved'
  resolvedAt: Date | null
  createdAt: Date
  comments: Comment[]
}

type ThreadRow = { id: string; boardId: string; anchorKind: AnchorKind; anchorId: string; anchorLabel: string; resolvedAt: Date | null; createdAt: Date }
type CommentRow = { id: string; threadId: string; authorId: string | null; authorName: string | null; body: string; mentions: string[]; createdAt: Date }

async function withComments(sql: Sql, rows: ThreadRow[]): Promise<Thread[]> {
  if (rows.length === 0) return []
  const comments = await sql<CommentRow[]>`
    select c.id, c.thread_id as "threadId", c.author_id as "authorId", coalesce(nullif(p.name, ''), p.email) as "authorName",
           c.body, c.mentions, c.created_at as "createdAt"
    from comments c left join people p on p.id = c.author_id
    where c.thread_id = any(${rows.map((r) => r.id)}::uuid[]) order by c.created_at, c.id`
  const mentioned = [...new Set(comments.flatMap((c) => c.mentions))]
  const names = new Map(
    mentioned.length === 0
      ? []
      : (await sql<{ id: string; name: string }[]>`select id, coalesce(nullif(name, ''), email) as name from people where id = any(${mentioned}::uuid[])`).map((p) => [p.id, p.name]),
  )
  return rows.map((r) => ({
    id: r.id,
    boardId: r.boardId,
    anchor: { kind: r.anchorKind, id: r.anchorId, label: r.anchorLabel },
    status: r.resolvedAt ? 'resolved' : 'open',
    resolvedAt: r.resolvedAt,
    createdAt: r.createdAt,
    comments: comments
      .filter((c) => c.threadId === r.id)
      .map((c) => ({
        id: c.id,
        authorId: c.authorId,
        authorName: c.authorName ?? '',
        body: c.body,
        mentions: c.mentions.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
        createdAt: c.createdAt,
      })),
  }))
}

const threadColumns = (sql: Sql) =>
  sql`id, board_id as "boardId", anchor_kind as "anchorKind", anchor_id as "anchorId", anchor_label as "anchorLabel", resolved_at as "resolvedAt", created_at as "createdAt"`

/** The threads of some boards, oldest first; only open ones unless `all`. */
export async function listThreads(sql: Sql, boardIds: string[], options: { all?: boolean } = {}): Promise<Thread[]> {
  if (boardIds.length === 0) return []
  const rows = await sql<ThreadRow[]>`
    select ${threadColumns(sql)} from comment_threads
    where board_id = any(${boardIds}::uuid[]) ${options.all ? sql`` : sql`and resolved_at is null`}
    order by created_at, id`
  return withComments(sql, rows)
}

/** One thread with its comments, or null. */
export async function getThread(sql: Sql, id: string): Promise<Thread | null> {
  const rows = await sql<ThreadRow[]>`select ${threadColumns(sql)} from comment_threads where id = ${id}`
  return (await withComments(sql, rows))[0] ?? null
}

/** Opens a thread with its first comment and returns it. */
export async function createThread(sql: Sql, input: { boardId: string; anchor: { kind: AnchorKind; id: string; label: string }; authorId: string; body: string; mentions: string[] }): Promise<Thread> {
  // One statement, so the thread never exists without its first comment.
  const [{ id }] = await sql<{ id: string }[]>`
    with thread as (
      insert into comment_threads (board_id, anchor_kind, anchor_id, anchor_label, created_by)
      values (${input.boardId}, ${input.anchor.kind}, ${input.anchor.id}, ${input.anchor.label}, ${input.authorId}) returning id
    )
    insert into comments (thread_id, author_id, body, mentions)
    select thread.id, ${input.authorId}, ${input.body}, ${input.mentions}::uuid[] from thread
    returning thread_id as id`
  return (await getThread(sql, id))!
}

/** Adds a reply to a thread and returns the thread. */
export async function addReply(sql: Sql, threadId: string, input: { authorId: string; body: string; mentions: string[] }): Promise<Thread> {
  await sql`insert into comments (thread_id, author_id, body, mentions) values (${threadId}, ${input.authorId}, ${input.body}, ${input.mentions}::uuid[])`
  return (await getThread(sql, threadId))!
}

/** Resolves or reopens a thread and returns it. */
export async function setThreadStatus(sql: Sql, threadId: string, status: 'open' | 'resolved', personId: string): Promise<Thread> {
  if (status === 'resolved') await sql`update comment_threads set resolved_at = coalesce(resolved_at, now()), resolved_by = ${personId} where id = ${threadId}`
  else await sql`update comment_threads set resolved_at = null, resolved_by = null where id = ${threadId}`
  return (await getThread(sql, threadId))!
}

/** People who may be mentioned on a board of a municipality or course: its members and its courses' lecturers and coordinators. */
export async function mentionCandidates(sql: Sql, owner: { municipalityId: string | null; courseId: string | null }): Promise<{ id: string; name: string }[]> {
  return sql<{ id: string; name: string }[]>`
    select distinct p.id, coalesce(nullif(p.name, ''), p.email) as name
    from memberships m join people p on p.id = m.person_id
    where (${owner.municipalityId}::uuid is not null and m.municipality_id = ${owner.municipalityId}::uuid)
       or (m.role in ('lecturer', 'coordinator') and m.course_id in (
             select course_id from course_teams where municipality_id = ${owner.municipalityId}::uuid
             union select ${owner.courseId}::uuid))
       or (${owner.courseId}::uuid is not null and m.municipality_id in (select municipality_id from course_teams where course_id = ${owner.courseId}::uuid))
    order by name`
}
