/**
 * Templates on the server: which templates a person may choose for a board (the built-in ones
 * and the saved templates of the board's courses), creating a board from one, and checking a
 * frame someone wants to save as a course template.
 */
import { z } from 'zod'
import { can, type BoardOwner, type Principal } from '../../access/policy'
import type { Rooms } from '../rooms'
import { createBoard, deleteBoard, type Board } from '../../db/boards.server'
import * as courseTemplates from '../../db/course-templates.server'
import * as courses from '../../db/courses.server'
import type { Sql } from '../../db/client.server'
import { buildTemplate, isTemplateId, templateIds, templateTitles } from '../../domain/templates/catalogue'
import { instantiate } from '../../domain/templates/instantiate'
import { writeFirstRecords } from '../../domain/board/first-records'
import { invalidBoardShapes } from '../board-records.server'
import { withDescendants } from '../../domain/board/tree'
import type { ShapeRecord, TemplateLocale } from '../../domain/templates/records'
import { labelsFor } from '../../domain/labels'

/** A template choice: `builtin:<id>` or `course:<uuid>`. */
export const templateChoice = z.union([z.enum(templateIds.map((id) => `builtin:${id}` as const)), z.string().regex(/^course:[0-9a-f-]{36}$/i)])
export type TemplateChoice = { value: string; title: string; course: string | null }

const MAX_SHAPES = 3000

/** The courses whose templates belong to a board: its course, or the courses of its municipality. */
async function coursesOfBoard(sql: Sql, owner: BoardOwner): Promise<string[]> {
  if (owner.courseId) return [owner.courseId]
  if (owner.municipalityId) return (await courses.coursesOfMunicipality(sql, owner.municipalityId)).map((c) => c.id)
  return []
}

/** The templates a person may start or fill a board of `owner` with, titled in the locale. */
export async function templateChoices(sql: Sql, principal: Principal, owner: BoardOwner, locale: TemplateLocale): Promise<TemplateChoice[]> {
  const builtIn = templateIds.map((id) => ({ value: `builtin:${id}`, title: templateTitles[id][locale], course: null }))
  const courseIds = (await coursesOfBoard(sql, owner)).filter((courseId) => can(principal, { type: 'course.view', courseId }))
  const names = new Map((await courses.listCourses(sql, courseIds)).map((c) => [c.id, c.name]))
  const saved = await courseTemplates.listCourseTemplates(sql, courseIds)
  return [...builtIn, ...saved.map((t) => ({ value: `course:${t.id}`, title: t.name, course: names.get(t.courseId) ?? null }))]
}

/** The courses of a board in which the person may save templates (they manage the course). */
export async function templateTargets(sql: Sql, principal: Principal, owner: BoardOwner): Promise<{ id: string; name: string }[]> {
  const courseIds = (await coursesOfBoard(sql, owner)).filter((courseId) => can(principal, { type: 'course.manage', courseId }))
  return (await courses.listCourses(sql, courseIds)).map((c) => ({ id: c.id, name: c.name }))
}

/** The records of a chosen template, or null when this person may not use it for a board of `owner`. */
export async function templateRecords(sql: Sql, principal: Principal, owner: BoardOwner, choice: string, locale: TemplateLocale): Promise<ShapeRecord[] | null> {
  const idPrefix = crypto.randomUUID().slice(0, 8)
  if (choice.startsWith('builtin:')) {
    const id = choice.slice('builtin:'.length)
    return isTemplateId(id) ? buildTemplate(id, { locale, idPrefix }) : null
  }
  const id = choice.slice('course:'.length)
  if (!z.uuid().safeParse(id).success) return null
  const saved = await courseTemplates.getCourseTemplate(sql, id)
  if (!saved || !(await coursesOfBoard(sql, owner)).includes(saved.courseId)) return null
  if (!can(principal, { type: 'course.view', courseId: saved.courseId })) return null
  return instantiate(saved.records as ShapeRecord[], { idPrefix })
}

export class TemplateRefused extends Error {}

/** Writes the document, its first page and `shapes` into an empty board (a no-op when it already has records), stored before anyone sees them. */
export async function seedBoard(rooms: Pick<Rooms, 'edit'>, boardId: string, shapes: ShapeRecord[], pageName: string): Promise<void> {
  const problem = invalidBoardShapes(shapes)
  if (problem) throw new Error(`template record refused by the tldraw schema: ${problem}`)
  await rooms.edit(boardId, (doc) => writeFirstRecords(doc, shapes, pageName))
}

/** Creates a board, empty or filled from a template (written before anyone can open it); refuses a template the person may not use. */
export async function createBoardWithTemplate(
  sql: Sql,
  rooms: Rooms,
  principal: Principal,
  input: { title: string; owner: BoardOwner; template: string | null; locale: TemplateLocale },
): Promise<Board> {
  const records = input.template ? await templateRecords(sql, principal, input.owner, input.template, input.locale) : null
  if (input.template && !records) throw new TemplateRefused('unknown template')
  const board = await createBoard(sql, { title: input.title, ...input.owner })
  if (!records) return board
  try {
    await seedBoard(rooms, board.id, records, labelsFor(input.locale).firstPage)
  } catch (error) {
    await deleteBoard(sql, board.id)
    throw error
  }
  return board
}

const shapeLike = z
  .object({
    id: z
      .string()
      .regex(/^shape:/)
      .max(200),
    parentId: z.string().max(200),
    type: z.string().max(50),
  })
  .passthrough()
/** The body of "save this frame as a course template". */
export const saveTemplateBody = z.object({ name: z.string().trim().min(1).max(200), records: z.array(shapeLike).min(1).max(MAX_SHAPES) })

/**
 * Checks a frame someone wants to save: valid tldraw shapes, one frame on top and everything
 * else inside it; returns the canonical copy to store, or a message saying what is wrong.
 */
export function normaliseFrame(records: z.infer<typeof saveTemplateBody>['records']): { records: ShapeRecord[] } | { error: string } {
  const problem = invalidBoardShapes(records)
  if (problem) return { error: problem }
  const ids = new Set(records.map((r) => r.id))
  if (ids.size !== records.length) return { error: 'duplicate ids' }
  const roots = records.filter((r) => !ids.has(r.parentId))
  if (roots.length !== 1 || roots[0].type !== 'frame') return { error: 'exactly one frame with everything inside it' }
  const ordered = withDescendants(records, roots[0].id)
  if (ordered.length !== records.length) return { error: 'a shape is not inside the frame' }
  return { records: instantiate(ordered as unknown as ShapeRecord[], { idPrefix: 'vorlage', origin: { x: 0, y: 0 } }) }
}
