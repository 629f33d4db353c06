/** Queries on `audit_log`: who did what when (snapshots taken and restored, exports, publishing, role changes). */
import type { Sql } from './client.server'

export type AuditAction =
  | 'snapshot.take'
  | 'snapshot.restore'
  | 'snapshot.prune'
  | 'role.grant'
  | 'role.revoke'
  | 'design.publish'
  | 'design.withdraw'
  | 'export.report'
  | 'export.handbook'
  | 'export.board'

export type AuditEntry = {
  id: string
  at: Date
  personId: string | null
  /** The person's display name (null when unknown, deleted, or the system itself acted). */
  personName: string | null
  action: AuditAction
  municipalityId: string | null
  subjectId: string | null
  details: Record<string, unknown>
}

/** Appends one entry. */
export async function recordAudit(
  sql: Sql,
  entry: { personId: string | null; action: AuditAction; municipalityId: string | null; subjectId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await sql`
    insert into audit_log (person_id, action, municipality_id, subject_id, details)
    values (${entry.personId}, ${entry.action}, ${entry.municipalityId}, ${entry.subjectId}, ${sql.json((entry.details ?? {}) as never)})`
}

/** The newest entries about one municipality. */
export async function listAudit(sql: Sql, municipalityId: string, limit = 200): Promise<AuditEntry[]> {
  return sql<AuditEntry[]>`
    select a.id::text as id, a.at, a.person_id as "personId", nullif(coalesce(nullif(p.name, ''), p.email), '') as "personName",
           a.action, a.municipality_id as "municipalityId", a.subject_id as "subjectId", a.details
    from audit_log a left join people p on p.id = a.person_id
    where a.municipality_id = ${municipalityId} order by a.at desc, a.id desc limit ${limit}`
}

/** The newest entries across the installation (for coordinators of the whole installation). */
export async function listRecentAudit(sql: Sql, limit = 50): Promise<(AuditEntry & { municipalityName: string | null })[]> {
  return sql<(AuditEntry & { municipalityName: string | null })[]>`
    select a.id::text as id, a.at, a.person_id as "personId", nullif(coalesce(nullif(p.name, ''), p.email), '') as "personName",
           a.action, a.municipality_id as "municipalityId", m.name as "municipalityName", a.subject_id as "subjectId", a.details
    from audit_log a left join people p on p.id = a.person_id left join municipalities m on m.id = a.municipality_id
    order by a.at desc, a.id desc limit ${limit}`
}
