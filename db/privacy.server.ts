/**
 * Personal data (GDPR Art. 15 and 17): everything stored about a person, per person or per
 * municipality, and deleting a person — their account, roles, sessions, tokens, visits and
 * invitations go; what they contributed to boards stays, without their name.
 */
import { asSql, type Sql } from './client.server'

export type PersonalData = {
  person: { id: string; email: string; name: string; createdAt: Date }
  memberships: { role: string; courseId: string | null; municipalityId: string | null; createdAt: Date }[]
  sessions: { createdAt: Date; lastSeenAt: Date; expiresAt: Date }[]
  accessTokens: { label: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }[]
  boardVisits: { boardId: string; title: string; openedAt: Date }[]
  invitations: { role: string; createdAt: Date; acceptedAt: Date | null; expiresAt: Date }[]
  facilitationVotes: { sessionId: string; target: string; dots: number }[]
  comments: { boardId: string; body: string; createdAt: Date }[]
  pictures: { boardId: string; type: string; bytes: number; createdAt: Date }[]
  snapshotsTaken: { municipalityId: string; label: string; takenAt: Date }[]
  /** What the audit log records this person did, and what it records was done to them (role changes). */
  audit: { at: Date; action: string; municipalityId: string | null; asActor: boolean }[]
  exports: { kind: string; status: string; createdAt: Date }[]
}

/**
 * Whose view an export is cut for (decision 0035): `person` — everything stored about the person
 * (their own export, or an administrator's); `municipality` — only what is tied to that one
 * municipality (its roles, boards, comments, pictures, Stände, audit entries), for those who
 * manage it, so a person's work in another course never reaches that course's outsiders.
 */
export type PersonalDataScope = { kind: 'person' } | { kind: 'municipality'; municipalityId: string }

/** Everything stored about one person within `scope` (never secrets or hashes), or null if unknown. */
export async function personalData(sql: Sql, personId: string, scope: PersonalDataScope = { kind: 'person' }): Promise<PersonalData | null> {
  const [person] = await sql<PersonalData['person'][]>`select id, email, name, created_at as "createdAt" from people where id = ${personId}`
  if (!person) return null
  const m = scope.kind === 'municipality' ? scope.municipalityId : null
  // Within a municipality: only rows tied to it (by the row's own municipality, or its board's).
  const where = (column: string) => (m === null ? sql`` : sql`and ${sql(column)} = ${m}`)
  const personal = <T>(rows: () => Promise<T[]>) => (m === null ? rows() : Promise.resolve([] as T[]))
  return {
    person,
    memberships: await sql`select role, course_id as "courseId", municipality_id as "municipalityId", created_at as "createdAt" from memberships where person_id = ${personId} ${where('municipality_id')} order by created_at`,
    sessions: await personal(() => sql`select created_at as "createdAt", last_seen_at as "lastSeenAt", expires_at as "expiresAt" from sessions where person_id = ${personId} order by created_at`),
    accessTokens: await personal(() => sql`select label, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt" from access_tokens where person_id = ${personId} order by created_at`),
    boardVisits: await sql`
      select v.board_id as "boardId", b.title, v.opened_at as "openedAt"
      from board_visits v join boards b on b.id = v.board_id where v.person_id = ${personId} ${where('b.municipality_id')} order by v.opened_at`,
    invitations: await sql`select role, created_at as "createdAt", accepted_at as "acceptedAt", expires_at as "expiresAt" from invitations where email = ${person.email} ${where('municipality_id')} order by created_at`,
    facilitationVotes: await personal(() => sql`select session_id as "sessionId", target, dots from facilitation_votes where person_id = ${personId}`),
    comments: await sql`
      select t.board_id as "boardId", c.body, c.created_at as "createdAt"
      from comments c join comment_threads t on t.id = c.thread_id join boards b on b.id = t.board_id
      where c.author_id = ${personId} ${where('b.municipality_id')} order by c.created_at`,
    pictures: await sql`
      select i.board_id as "boardId", i.mime as type, i.size as bytes, i.created_at as "createdAt"
      from board_images i join boards b on b.id = i.board_id where i.created_by = ${personId} ${where('b.municipality_id')} order by i.created_at`,
    snapshotsTaken: await sql`select municipality_id as "municipalityId", label, taken_at as "takenAt" from snapshots where taken_by = ${personId} ${where('municipality_id')} order by taken_at`,
    audit: await sql`
      select at, action, municipality_id as "municipalityId", coalesce(person_id = ${personId}, false) as "asActor" from audit_log
      where (person_id = ${personId} or subject_id = ${personId}) ${where('municipality_id')} order by at`,
    exports: await personal(() => sql`select kind, status, created_at as "createdAt" from export_jobs where requested_by = ${personId} order by created_at`),
  } as PersonalData
}

/** The people with a role in a municipality. */
export async function peopleOfMunicipality(sql: Sql, municipalityId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select distinct person_id as id from memberships where municipality_id = ${municipalityId}`
  return rows.map((r) => r.id)
}

/** How an @-mention of a deleted person reads in a comment afterwards. */
export const DELETED_MENTION = '@(gelöschte Person)'

/** "@Name" as a whole mention: not followed by a letter, digit or underscore (so "@Anna" never matches inside "@Annabell"). */
function mentionOf(name: string): RegExp {
  return new RegExp(`@${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`, 'gu')
}

/**
 * Deletes a person and everything tied to their account; returns their former email, or null.
 * Comments that mention them lose the mention, and "@Name" — the whole name, not the start of
 * another — in their text becomes `DELETED_MENTION`, in the same transaction, so no comment keeps
 * the name of a deleted person.
 */
export async function deletePerson(sql: Sql, personId: string): Promise<string | null> {
  return sql.begin(async (t) => {
    const tx = asSql(t)
    const [person] = await tx<{ name: string }[]>`select name from people where id = ${personId} for update`
    if (!person) return null
    if (person.name !== '') {
      const mention = mentionOf(person.name)
      const candidates = await tx<{ id: string; body: string }[]>`
        select id, body from comments where ${personId}::uuid = any(mentions) or strpos(body, ${`@${person.name}`}) > 0`
      for (const comment of candidates) {
        const body = comment.body.replace(mention, DELETED_MENTION)
        if (body !== comment.body) await tx`update comments set body = ${body} where id = ${comment.id}`
      }
    }
    await tx`update comments set mentions = array_remove(mentions, ${personId}::uuid) where ${personId}::uuid = any(mentions)`
    const [gone] = await tx<{ email: string }[]>`delete from people where id = ${personId} returning email`
    await tx`delete from invitations where email = ${gone!.email}`
    return gone!.email
  })
}
