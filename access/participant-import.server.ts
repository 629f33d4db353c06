/**
 * CSV import of a course's participants (columns: name, email, municipality, role — or the
 * German Name, E-Mail, Kommune, Rolle). Uploaded bytes are decoded first: UTF-8 with or without
 * BOM, UTF-16 with BOM, else Windows-1252 (Excel's "CSV (Trennzeichen-getrennt)"), and the
 * preview says which. Every row is validated first; the preview lists per-row errors, and a
 * file with any error writes nothing. New people get an invitation link; existing accounts get
 * the role directly.
 */
import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
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

/** Column names as spreadsheets in German offices write them, mapped to the four the import knows. */
const columnAliases: Record<string, 'name' | 'email' | 'municipality' | 'role'> = {
  name: 'name',
  'vor- und nachname': 'name',
  email: 'email',
  'e-mail': 'email',
  'e-mail-adresse': 'email',
  mail: 'email',
  municipality: 'municipality',
  kommune: 'municipality',
  gemeinde: 'municipality',
  stadt: 'municipality',
  role: 'role',
  rolle: 'role',
}

/** How the bytes of an uploaded file were read; `text` when the CSV came as text (pasted). */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16' | 'windows-1252' | 'text'

/**
 * Decodes an uploaded CSV file. A BOM decides when there is one; otherwise bytes that are valid
 * UTF-8 are UTF-8, and anything else is Windows-1252 (a superset of ISO-8859-1 for text): the
 * two encodings German offices' spreadsheets write, told apart reliably by UTF-8's strict shape.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return { text: buffer.subarray(3).toString('utf8'), encoding: 'utf-8-bom' }
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16' }
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'windows-1252' }
  }
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
export type RowErrorCode = 'name_missing' | 'name_too_long' | 'email_invalid' | 'municipality_missing' | 'municipality_unknown' | 'role_invalid' | 'email_duplicate' | 'columns'

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

export type ImportPreview = {
  ok: boolean
  fileError: 'empty' | 'too_large' | 'unreadable' | 'columns' | 'too_many_rows' | null
  /** How the file was read (shown in the preview). */
  encoding: CsvEncoding
  /** The file as text (UTF-8), to be sent back unchanged for the import itself. */
  text: string
  rows: PreviewRow[]
}

/** Parses and validates a CSV file (uploaded bytes, or text) against a course's teams, writing nothing. */
export async function previewImport(sql: Sql, courseId: string, csv: string | Uint8Array): Promise<ImportPreview> {
  const size = typeof csv === 'string' ? Buffer.byteLength(csv) : csv.byteLength
  const { text: decoded, encoding } = typeof csv === 'string' ? { text: csv, encoding: 'text' as const } : decodeCsv(csv)
  const fail = (fileError: NonNullable<ImportPreview['fileError']>): ImportPreview => ({ ok: false, fileError, encoding, text: decoded, rows: [] })
  if (size > MAX_BYTES) return { ...fail('too_large'), text: '' }
  const text = decoded.replace(/^\uFEFF/, '').trim()
  if (!text) return fail('empty')
  const header = text.split(/\r?\n/, 1)[0]
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: Record<string, string>[]
  try {
    records = parse(text, {
      columns: (names: string[]) => names.map((n) => columnAliases[n.trim().toLowerCase()] ?? n.trim().toLowerCase()),
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    })
  } catch {
    return fail('unreadable')
  }
  const first = records[0]
  if (!first || !['name', 'email', 'municipality', 'role'].every((c) => c in first)) return fail('columns')
  if (records.length > MAX_ROWS) return fail('too_many_rows')

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
  return { ok: rows.every((r) => r.errors.length === 0), fileError: null, encoding, text: decoded, rows }
}

export type ImportResult = { ok: false; preview: ImportPreview } | { ok: true; invited: { email: string; name: string; path: string }[]; granted: string[] }

/** Imports the file if, and only if, every row is valid — in one transaction. */
export async function runImport(sql: Sql, courseId: string, csv: string | Uint8Array, importedBy: string): Promise<ImportResult> {
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
