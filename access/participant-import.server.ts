/**
 * CSV import of a course's participants (columns: name, email, municipality, role). Every row
 * is validated first; the preview lists per-row errors, and a file with any error writes
 * nothing. New people get an invitation link; existing accounts get the role directly.
 */
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { asSql, type Sql } from '../db/client.server'
import * as courses from '../db/courses.server'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import { createInvitation } from './invitations.server'

export const importRoles = ['participant', 'mediator', 'guest'] as const
const MAX_ROWS = 1000
const MAX_BYTES = 512 * 1024

/** Role names as people write them in a spreadsheet (German or English). */
const roleAliases: Record<string, (typeof importRoles)[number]> = {
  participant: 'participant',
  teilnehmende: 'participant',
  teilnehmer: 'participant',
  teilnehmerin: 'participant',
  'teilnehmer:in': 'participant',
  mediator: 'mediator',
  mediatorin: 'mediator',
  'mediator:in': 'mediator',
  guest: 'guest',
  gast: 'guest',
}

const rowSchema = z.object({
  name: z.string().trim().min(1, 'name_missing').max(200, 'name_too_long'),
  email: z.string().trim().toLowerCase().pipe(z.email('email_invalid')),
  municipality: z.string().trim().min(1, 'municipality_missing'),
  role: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v, ctx) => {
      const role = roleAliases[v]
      if (!role) ctx.addIssue({ code: 'custom', message: 'role_invalid' })
      return role ?? 'participant'
    }),
})

/** Error codes a row can carry (translated in the UI: `import.errors.<code>`). */
export type RowErrorCode =
  | 'name_missing'
  | 'name_too_long'
  | 'email_invalid'
  | 'municipality_missing'
  | 'municipality_unknown'
  | 'role_invalid'
  | 'email_duplicate'
  | 'columns'

export type PreviewRow = {
  line: number
  name: string
  email: string
  municipality: string
  role: string
  errors: RowErrorCode[]
  /** The person already has an account: they get the role without an invitation. */
  existing: boolean
}

export type ImportPreview = { ok: boolean; fileError: 'empty' | 'too_large' | 'unreadable' | 'columns' | 'too_many_rows' | null; rows: PreviewRow[] }

/** Parses and validates a CSV file against a course's teams, writing nothing. */
export async function previewImport(sql: Sql, courseId: string, csv: string): Promise<ImportPreview> {
  if (Buffer.byteLength(csv) > MAX_BYTES) return { ok: false, fileError: 'too_large', rows: [] }
  const text = csv.replace(/^\uFEFF/, '').trim()
  if (!text) return { ok: false, fileError: 'empty', rows: [] }
  const header = text.split(/\r?\n/, 1)[0]
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: Record<string, string>[]
  try {
    records = parse(text, {
      columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()),
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    })
  } catch {
    return { ok: false, fileError: 'unreadable', rows: [] }
  }
  const first = records[0]
  if (!first || !['name', 'email', 'municipality', 'role'].every((c) => c in first)) {
    return { ok: false, fileError: 'columns', rows: [] }
  }
  if (records.length > MAX_ROWS) return { ok: false, fileError: 'too_many_rows', rows: [] }

  const teams = await courses.listTeams(sql, courseId)
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t]))
  const seen = new Map<string, number>()
  const rows: PreviewRow[] = []
  for (const [index, record] of records.entries()) {
    const errors: RowErrorCode[] = []
    const parsed = rowSchema.safeParse(record)
    if (!parsed.success) for (const issue of parsed.error.issues) errors.push(issue.message as RowErrorCode)
    const email = (record.email ?? '').trim().toLowerCase()
    if (email && seen.has(email)) errors.push('email_duplicate')
    seen.set(email, index)
    const municipalityName = (record.municipality ?? '').trim()
    if (municipalityName && !teamByName.has(municipalityName.toLowerCase())) errors.push('municipality_unknown')
    const existing = parsed.success ? !!(await people.findPersonByEmail(sql, parsed.data.email))?.passwordHash : false
    rows.push({
      line: index + 2,
      name: (record.name ?? '').trim(),
      email,
      municipality: municipalityName,
      role: parsed.success ? parsed.data.role : (record.role ?? ''),
      errors: [...new Set(errors)],
      existing,
    })
  }
  return { ok: rows.every((r) => r.errors.length === 0), fileError: null, rows }
}

export type ImportResult =
  | { ok: false; preview: ImportPreview }
  | { ok: true; invited: { email: string; name: string; path: string }[]; granted: string[] }

/** Imports the file if, and only if, every row is valid — in one transaction. */
export async function runImport(sql: Sql, courseId: string, csv: string, importedBy: string): Promise<ImportResult> {
  const preview = await previewImport(sql, courseId, csv)
  if (!preview.ok) return { ok: false, preview }
  const teams = await courses.listTeams(sql, courseId)
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]))
  return sql.begin(async (t) => {
    const tx = asSql(t)
    const invited: { email: string; name: string; path: string }[] = []
    const granted: string[] = []
    for (const row of preview.rows) {
      const municipalityId = teamByName.get(row.municipality.toLowerCase())!
      const role = row.role as (typeof importRoles)[number]
      const person = await people.findPersonByEmail(tx, row.email)
      if (person?.passwordHash) {
        await memberships.grant(tx, { personId: person.id, role, courseId, municipalityId, grantedBy: importedBy, via: 'import' })
        granted.push(row.email)
      } else {
        const invitation = await createInvitation(tx, { email: row.email, role, courseId, municipalityId }, importedBy)
        invited.push({ email: row.email, name: row.name, path: `${invitation.path}?name=${encodeURIComponent(row.name)}` })
      }
    }
    return { ok: true, invited, granted } as const
  })
}
