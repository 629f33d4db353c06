/** Queries on memberships (a role per person and scope) and invitations. */
import type { Role, Membership } from '../access/policy'
import { recordAudit } from './audit.server'
import type { Sql } from './client.server'

export type MembershipRow = Membership & { personId: string; email: string; name: string }

/**
 * Grants a role in a scope (idempotent); returns the membership id. A new grant is recorded in
 * the audit log with who granted it (`grantedBy`; null: the installation itself).
 */
export async function grant(sql: Sql, input: { personId: string; role: Role; courseId: string | null; municipalityId: string | null; grantedBy?: string | null; via?: string }): Promise<string> {
  const [row] = await sql<{ id: string; created: boolean }[]>`
    with inserted as (
      insert into memberships (person_id, role, course_id, municipality_id)
      values (${input.personId}, ${input.role}, ${input.courseId}, ${input.municipalityId})
      on conflict do nothing returning id
    )
    select id, true as created from inserted
    union all
    select id, false as created from memberships
    where person_id = ${input.personId} and role = ${input.role}
      and course_id is not distinct from ${input.courseId}::uuid and municipality_id is not distinct from ${input.municipalityId}::uuid
    limit 1`
  if (row!.created) {
    await recordAudit(sql, {
      personId: input.grantedBy ?? null,
      action: 'role.grant',
      municipalityId: input.municipalityId,
      subjectId: input.personId,
      details: { role: input.role, courseId: input.courseId, ...(input.via ? { via: input.via } : {}) },
    })
  }
  return row!.id
}

/** Removes a membership (recorded in the audit log with who removed it); returns the person it belonged to, or null. */
export async function revoke(sql: Sql, membershipId: string, revokedBy: string | null = null): Promise<string | null> {
  const [row] = await sql<{ personId: string; role: string; courseId: string | null; municipalityId: string | null }[]>`
    delete from memberships where id = ${membershipId}
    returning person_id as "personId", role, course_id as "courseId", municipality_id as "municipalityId"`
  if (!row) return null
  await recordAudit(sql, { personId: revokedBy, action: 'role.revoke', municipalityId: row.municipalityId, subjectId: row.personId, details: { role: row.role, courseId: row.courseId } })
  return row.personId
}

/** One membership, or null. */
export async function getMembership(sql: Sql, id: string): Promise<MembershipRow | null> {
  const [row] = await sql<MembershipRow[]>`
    select ms.id, ms.role, ms.course_id as "courseId", ms.municipality_id as "municipalityId",
           p.id as "personId", p.email, p.name
    from memberships ms join people p on p.id = ms.person_id where ms.id = ${id}`
  return row ?? null
}

/** A person's memberships and the course teams the policy needs to judge them. */
export async function loadRoles(sql: Sql, personId: string): Promise<{ memberships: Membership[]; courseTeams: Map<string, Set<string>> }> {
  const memberships = await sql<Membership[]>`
    select id, role, course_id as "courseId", municipality_id as "municipalityId" from memberships where person_id = ${personId}`
  const courseIds = memberships.flatMap((m) => (m.courseId ? [m.courseId] : []))
  const municipalityIds = memberships.flatMap((m) => (m.municipalityId ? [m.municipalityId] : []))
  const teams = await sql<{ courseId: string; municipalityId: string }[]>`
    select course_id as "courseId", municipality_id as "municipalityId" from course_teams
    where course_id = any(${courseIds}::uuid[]) or municipality_id = any(${municipalityIds}::uuid[])`
  const courseTeams = new Map<string, Set<string>>()
  for (const t of teams) {
    if (!courseTeams.has(t.courseId)) courseTeams.set(t.courseId, new Set())
    courseTeams.get(t.courseId)!.add(t.municipalityId)
  }
  return { memberships: [...memberships], courseTeams }
}

/** Memberships within a course: its staff and the people of its teams. */
export async function listCourseMembers(sql: Sql, courseId: string): Promise<MembershipRow[]> {
  return sql<MembershipRow[]>`
    select ms.id, ms.role, ms.course_id as "courseId", ms.municipality_id as "municipalityId",
           p.id as "personId", p.email, p.name
    from memberships ms join people p on p.id = ms.person_id
    where ms.course_id = ${courseId}
       or (ms.municipality_id in (select municipality_id from course_teams where course_id = ${courseId}))
    order by p.name, p.email`
}

/** Memberships of one municipality. */
export async function listMunicipalityMembers(sql: Sql, municipalityId: string): Promise<MembershipRow[]> {
  return sql<MembershipRow[]>`
    select ms.id, ms.role, ms.course_id as "courseId", ms.municipality_id as "municipalityId",
           p.id as "personId", p.email, p.name
    from memberships ms join people p on p.id = ms.person_id
    where ms.municipality_id = ${municipalityId} order by p.name, p.email`
}

/** True when at least one administrator exists. */
export async function hasAdministrator(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from memberships where role = 'administrator'`
  return row.n > 0
}

// ── invitations ──────────────────────────────────────────────────────────────────────────

export type Invitation = {
  id: string
  email: string
  role: Role
  courseId: string | null
  municipalityId: string | null
  expiresAt: Date
  acceptedAt: Date | null
}

const invitationColumns = (sql: Sql) => sql`id, email, role, course_id as "courseId", municipality_id as "municipalityId", expires_at as "expiresAt", accepted_at as "acceptedAt"`

/** Stores an invitation (by the hash of its link's secret). */
export async function insertInvitation(
  sql: Sql,
  input: { tokenHash: string; email: string; role: Role; courseId: string | null; municipalityId: string | null; invitedBy: string; expiresAt: Date },
): Promise<Invitation> {
  const [row] = await sql<Invitation[]>`
    insert into invitations (token_hash, email, role, course_id, municipality_id, invited_by, expires_at)
    values (${input.tokenHash}, ${input.email}, ${input.role}, ${input.courseId}, ${input.municipalityId}, ${input.invitedBy}, ${input.expiresAt})
    returning ${invitationColumns(sql)}`
  return row
}

/** An open (unaccepted, unexpired) invitation by its secret's hash. */
export async function findOpenInvitation(sql: Sql, tokenHash: string): Promise<Invitation | null> {
  const [row] = await sql<Invitation[]>`
    select ${invitationColumns(sql)} from invitations where token_hash = ${tokenHash} and accepted_at is null and expires_at > now()`
  return row ?? null
}

/** Marks an invitation accepted, exactly once; false if someone else already used it. */
export async function markInvitationAccepted(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`update invitations set accepted_at = now() where id = ${id} and accepted_at is null and expires_at > now() returning id`
  return rows.length > 0
}

/** Open invitations of a course (its staff and its teams). */
export async function listCourseInvitations(sql: Sql, courseId: string): Promise<Invitation[]> {
  return sql<Invitation[]>`
    select ${invitationColumns(sql)} from invitations
    where accepted_at is null and expires_at > now()
      and (course_id = ${courseId} or municipality_id in (select municipality_id from course_teams where course_id = ${courseId}))
    order by created_at desc`
}
