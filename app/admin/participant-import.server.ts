/** The CSV import page's server side: reading the uploaded or pasted file, previewing, importing and sharing the links. */
import type { AppLoadContext } from '@remix-run/node'
import { INVITATION_DAYS } from '../../access/invitations.server'
import { previewImport, runImport, type ImportPreview } from '../../access/participant-import.server'
import type { Role } from '../../access/policy'
import * as people from '../../db/people.server'
import { mailInvitation } from './courses.server'

/** Request bodies larger than this are refused before they are read (the import itself allows 512 KB of CSV). */
export const MAX_UPLOAD_BYTES = 1024 * 1024

/** The CSV of the form: the chosen file's bytes if any (its encoding is detected), else the pasted text. */
export async function csvFromForm(form: FormData): Promise<string | Uint8Array> {
  const file = form.get('file')
  if (file instanceof File && file.size > 0) return new Uint8Array(await file.arrayBuffer())
  const text = form.get('csv')
  return typeof text === 'string' ? text : ''
}

/** The preview as the page shows it (nothing is written). */
export function preview(context: AppLoadContext, courseId: string, csv: string | Uint8Array): Promise<ImportPreview> {
  return previewImport(context.sql, courseId, csv)
}

export type ImportOutcome = { ok: false; preview: ImportPreview } | { ok: true; invited: { email: string; name: string; link: string; mailed: boolean }[]; granted: number }

/**
 * Imports the file if every row is valid: new people get invitation links (absolute, mailed when
 * SMTP is configured); people with an account get the role at once and their connections re-checked.
 */
export async function importParticipants(context: AppLoadContext, courseId: string, csv: string | Uint8Array, importedBy: string): Promise<ImportOutcome> {
  const checked = await previewImport(context.sql, courseId, csv)
  if (!checked.ok) return { ok: false, preview: checked }
  const result = await runImport(context.sql, courseId, csv, importedBy)
  if (!result.ok) return result
  const roleOf = new Map(checked.rows.map((r) => [r.email, r.role as Role]))
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000)
  const invited = []
  for (const person of result.invited) {
    const link = new URL(person.path, context.services.publicUrl).toString()
    const mailed = context.services.mailer.enabled ? await mailInvitation(context, person.email, roleOf.get(person.email) ?? 'participant', link, expiresAt) : false
    invited.push({ email: person.email, name: person.name, link, mailed })
  }
  for (const email of result.granted) {
    const person = await people.findPersonByEmail(context.sql, email)
    if (person) await context.services.accessChanged(person.id)
  }
  return { ok: true, invited, granted: result.granted.length }
}
