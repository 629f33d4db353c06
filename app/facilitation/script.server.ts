/**
 * The script page's server side (Ablaufplan): the template choices a phase may name, and the
 * page's form read into the plan that collab/features/session-script.server.ts validates (`planSchema`).
 */
import type { Sql } from '../../db/client.server'
import * as courseTemplates from '../../db/course-templates.server'
import { templateIds, templateTitles } from '../../domain/templates/catalogue'

/** The script page's address of a session. */
export const scriptPath = (courseId: string, sessionId: string) => `/kurse/${courseId}/sitzung/${sessionId}/ablauf`

/** The templates a phase of this course may insert: the catalogue (titled in both locales) and the course's saved templates. */
export async function scriptTemplateOptions(sql: Sql, courseId: string): Promise<{ value: string; de: string; en: string; course: boolean }[]> {
  const saved = await courseTemplates.listCourseTemplates(sql, [courseId])
  return [
    ...templateIds.map((id) => ({ value: id, de: templateTitles[id].de, en: templateTitles[id].en, course: false })),
    ...saved.map((t) => ({ value: `course:${t.id}`, de: t.name, en: t.name, course: true })),
  ]
}

const text = (value: FormDataEntryValue | null | undefined) => (typeof value === 'string' ? value : '')
/** A number field: empty → null, otherwise the number (NaN when it is none, which the schema refuses). */
const numberOrNull = (value: string, factor = 1) => (value.trim() === '' ? null : Number(value.trim().replace(',', '.')) * factor)

/** Reads the script form (one repeated field per phase attribute) into a plan for `planSchema`. */
export function scriptFields(form: FormData) {
  const all = (name: string) => form.getAll(name).map(text)
  const titles = all('phaseTitle')
  const prompts = all('phasePrompt')
  const minutes = all('phaseMinutes')
  const templates = all('phaseTemplate')
  const locks = all('phaseLock')
  const privates = all('phasePrivate')
  const dots = all('phaseVoteDots')
  const anonymous = all('phaseVoteAnonymous')
  const module = text(form.get('moduleNumber'))
  return {
    title: text(form.get('title')),
    moduleNumber: module === '' ? null : Number(module),
    phases: titles.map((title, i) => {
      const duration = numberOrNull(minutes[i] ?? '', 60)
      return {
        title,
        prompt: prompts[i] ?? '',
        durationSeconds: duration === null ? null : Number.isInteger(duration) && duration >= 60 && duration <= 480 * 60 ? duration : Number.NaN,
        template: templates[i] ? templates[i] : null,
        lock: locks[i] || 'keep',
        privateMode: privates[i] === 'on',
        voteDots: numberOrNull(dots[i] ?? ''),
        voteAnonymous: anonymous[i] !== 'no',
      }
    }),
  }
}
