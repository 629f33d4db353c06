/** Stable API error codes with their German and English messages. */
import type express from 'express'
import type { ZodError } from 'zod'

export const apiErrors = {
  unauthorized: { status: 401, de: 'Anmeldung erforderlich (Sitzung oder Zugangstoken).', en: 'Sign-in required (session or access token).' },
  forbidden: { status: 403, de: 'Dafür fehlt Ihnen die Berechtigung.', en: 'You are not allowed to do this.' },
  not_found: { status: 404, de: 'Nicht gefunden.', en: 'Not found.' },
  invalid_json: { status: 400, de: 'Der Inhalt ist kein gültiges JSON.', en: 'The body is not valid JSON.' },
  invalid_body: { status: 400, de: 'Die Angaben sind unvollständig oder ungültig.', en: 'The input is incomplete or invalid.' },
  conflict: { status: 409, de: 'Das gibt es bereits.', en: 'This already exists.' },
  person_unknown: { status: 404, de: 'Unter dieser E-Mail-Adresse ist niemand registriert; laden Sie die Person ein.', en: 'Nobody is registered with this email address; invite them instead.' },
  invalid_board_file: { status: 400, de: 'Die Datei ist keine gültige tldraw-Datei; am Board wurde nichts geändert.', en: 'The file is not a valid tldraw file; the board was not changed.' },
  import_too_large: { status: 413, de: 'Die Datei ist zu groß für einen Import (höchstens {{max}}).', en: 'The file is too large to import (at most {{max}}).' },
  too_large: { status: 413, de: 'Der Inhalt ist zu groß.', en: 'The body is too large.' },
  image_too_large: { status: 413, de: 'Das Bild ist zu groß. Bitte verkleinern Sie es (höchstens {{max}}).', en: 'The picture is too large. Please make it smaller (at most {{max}}).' },
  image_type: { status: 415, de: 'Das ist kein Bild im Format PNG, JPEG, GIF oder WebP (erkannt am Inhalt, nicht am Dateinamen).', en: 'This is not a PNG, JPEG, GIF or WebP picture (recognised by its content, not its name).' },
  internal: { status: 500, de: 'Interner Fehler.', en: 'Internal error.' },
} as const

export type ApiErrorCode = keyof typeof apiErrors

/** Sends `{ error: { code, message, details? } }` in the request's language (German unless it asks for English); an invalid body names its fields in the message. */
export function sendError(req: express.Request, res: express.Response, code: ApiErrorCode, details?: unknown, values: Record<string, string> = {}) {
  const entry = apiErrors[code]
  const english = /^en\b/i.test(req.headers['accept-language'] ?? '')
  let message = (english ? entry.en : entry.de).replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '')
  const fields = code === 'invalid_body' && Array.isArray(details) ? [...new Set(details.flatMap((d) => (typeof d === 'string' && /^[\w.[\]]+:/.test(d) ? [d.slice(0, d.indexOf(':'))] : [])))] : []
  if (fields.length > 0) message = `${message.replace(/\.$/, '')} (${english ? (fields.length > 1 ? 'fields' : 'field') : fields.length > 1 ? 'Felder' : 'Feld'}: ${fields.join(', ')}).`
  res.status(entry.status).json({ error: { code, message, ...(details ? { details } : {}) } })
}

/** The issues of a failed body validation as `field: problem` lines (the field named as the client sent it). */
export function fieldIssues(error: ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
}
