/**
 * The session script (Ablaufplan, issue 5, decision 0022), read top to bottom: what a lecturer
 * may prepare per phase (validated here, for the socket events and the script page alike), what
 * advancing to a phase applies to every group board of the course at once — the phase's
 * template as a new frame to the right of what is there, the lock, private mode, a dot-voting
 * round on the new frame — and what the end of a session lifts (every lock).
 * Board changes go through `rooms.edit` (stored before anyone sees them); session changes
 * through `Facilitation` (stored before they are announced).
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type * as Y from 'yjs'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import { groupsWithBoards } from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as courseTemplates from '../../db/course-templates.server'
import * as people from '../../db/people.server'
import type { PhaseInput, PhaseRow } from '../../db/facilitation.server'
import { buildTemplate, isTemplateId, templateIds } from '../../domain/templates/catalogue'
import { instantiate } from '../../domain/templates/instantiate'
import { writeFirstRecords } from '../../domain/board/first-records'
import { invalidBoardShapes } from '../board-records.server'
import { FIRST_PAGE_ID, type ShapeRecord } from '../../domain/templates/records'
import { firstPage, recordsMap, withStateDoc, type BoardRecord } from '../../domain/board/document'
import { fillLabel, labelsFor, type Language } from '../../domain/labels'
import type { Facilitation, Actor, SessionView, VoteRound } from './facilitation.server'
import { applyLock, clearLocks, readLocks } from './locks'
import { revealPrivateLayers } from './private-mode.server'
import type { Rooms } from '../rooms'
import { frameTargets } from '../../domain/board/vote-targets'

// ── What a phase may say ────────────────────────────────────────────────────────────────────

/** A phase's template: a catalogue key ('akteursanalyse') or a course template ('course:<uuid>'). */
export const phaseTemplate = z.union([z.enum(templateIds), z.string().regex(/^course:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)])

/** One phase of a session script. Voting needs a template: the round runs on the frame it inserts. */
export const phaseSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    prompt: z.string().trim().max(4000).default(''),
    durationSeconds: z.number().int().min(0).max(86400).nullable().default(null),
    template: phaseTemplate.nullable().default(null),
    lock: z.enum(['keep', 'lock', 'unlock']).default('keep'),
    privateMode: z.boolean().default(false),
    voteDots: z.number().int().min(1).max(20).nullable().default(null),
    voteAnonymous: z.boolean().default(true),
  })
  .refine((p) => p.voteDots === null || p.template !== null, { path: ['voteDots'], message: 'voteNeedsTemplate' })

export const MAX_PHASES = 50

/** A whole session script: title, module and its phases in order. */
export const planSchema = z.object({
  title: z.string().trim().min(1).max(200),
  moduleNumber: z.number().int().min(1).max(5).nullable().default(null),
  phases: z.array(phaseSchema).max(MAX_PHASES).default([]),
})
export type Plan = z.infer<typeof planSchema>

/** What is wrong with a plan, as an i18n key under `script.errors` and the phase (1-based) it concerns. */
export type PlanProblem = { key: string; phase: number | null }

/** The first problem of a refused plan, for a clear message (German by default). */
export function planProblem(error: z.ZodError): PlanProblem {
  const issue = error.issues[0]
  const [head, index, field] = issue?.path ?? []
  if (head === 'phases' && typeof index === 'number') {
    const known = ['title', 'prompt', 'durationSeconds', 'template', 'lock', 'privateMode', 'voteDots', 'voteAnonymous']
    const key = issue.message === 'voteNeedsTemplate' ? 'voteNeedsTemplate' : field === 'title' ? 'title_phase' : known.includes(String(field)) ? String(field) : 'phase'
    return { key: `script.errors.${key}`, phase: index + 1 }
  }
  if (head === 'phases') return { key: 'script.errors.tooMany', phase: null }
  if (head === 'moduleNumber') return { key: 'script.errors.moduleNumber', phase: null }
  return { key: 'script.errors.title', phase: null }
}

/** A plan problem as a sentence in the reader's language, German by default (the socket events answer with it; pages translate the key). */
export function planMessage(problem: PlanProblem, language: Language = 'de'): string {
  const errors = labelsFor(language).scriptErrors
  const key = problem.key.replace(/^script\.errors\./, '') as keyof typeof errors
  return fillLabel(errors[key] ?? errors.phase, { phase: problem.phase ?? '' })
}

/** The first phase (1-based) naming a course template that is not one of this course's, or null. */
export async function foreignTemplate(sql: Sql, courseId: string, phases: PhaseInput[]): Promise<number | null> {
  for (const [i, phase] of phases.entries()) {
    if (!phase.template?.startsWith('course:')) continue
    const saved = await courseTemplates.getCourseTemplate(sql, phase.template.slice('course:'.length))
    if (!saved || saved.courseId !== courseId) return i + 1
  }
  return null
}

// ── Advancing to a phase ───────────────────────────────────────────────────────────────────

type Deps = { sql: Sql; rooms: Rooms; facilitation: Facilitation }

/** Space between what a board holds and a phase's new frame. */
const GAP = 200

/** The records of a phase's template (ids still to be made fresh per board), or null when there is none or it is gone. */
async function templateShapes(sql: Sql, courseId: string, template: string | null, language: Language): Promise<ShapeRecord[] | null> {
  if (!template) return null
  let records: ShapeRecord[] | null = null
  if (isTemplateId(template)) records = buildTemplate(template, { locale: language, idPrefix: 'vorlage' })
  else if (template.startsWith('course:')) {
    const saved = await courseTemplates.getCourseTemplate(sql, template.slice('course:'.length)).catch(() => null)
    if (saved && saved.courseId === courseId) records = saved.records as ShapeRecord[]
  }
  if (!records || records.length === 0) return null
  const problem = invalidBoardShapes(records)
  if (problem) throw new Error(`template record refused by the tldraw schema: ${problem}`)
  return records
}

const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/**
 * Inserts a copy of `template` into a board's document as a new frame to the right of
 * everything on its first page (or seeds an empty board with it); returns the new frame's id.
 */
export function insertTemplateFrame(doc: Y.Doc, template: ShapeRecord[], language: Language = 'de'): string {
  const idPrefix = `phase-${randomUUID().slice(0, 8)}`
  const records = recordsMap<Partial<BoardRecord>>(doc)
  if (records.size === 0) {
    const shapes = instantiate(template, { idPrefix, pageId: FIRST_PAGE_ID, origin: { x: 0, y: 0 } })
    writeFirstRecords(doc, shapes, labelsFor(language).firstPage)
    return rootFrame(shapes, FIRST_PAGE_ID)
  }
  const all = [...records.values()].filter((r): r is Partial<BoardRecord> => !!r && typeof r === 'object')
  const page = firstPage(all)
  const pageId = typeof page?.id === 'string' ? page.id : FIRST_PAGE_ID
  const top = all.filter((r) => r.typeName === 'shape' && r.parentId === pageId)
  const right = Math.max(...top.map((r) => num(r.x, 0) + num(r.props?.w, 200) * num(r.props?.scale, 1)))
  const origin = top.length > 0 ? { x: right + GAP, y: Math.min(...top.map((r) => num(r.y, 0))) } : { x: 0, y: 0 }
  const shapes = instantiate(template, { idPrefix, pageId, origin })
  // Above every sibling: a fractional index key followed by more characters sorts after it.
  let index =
    top
      .map((r) => String(r.index ?? ''))
      .sort()
      .at(-1) ?? ''
  doc.transact(() => {
    for (const shape of shapes) {
      if (shape.parentId === pageId) shape.index = index = index ? `${index}V` : 'a1'
      records.set(shape.id, shape)
    }
  })
  return rootFrame(shapes, pageId)
}

/** The id of a placed template's top-level frame (the first top-level shape when there is no frame). */
function rootFrame(shapes: ShapeRecord[], pageId: string): string {
  const top = shapes.filter((s) => s.parentId === pageId)
  return (top.find((s) => s.type === 'frame') ?? top[0] ?? shapes[0]).id
}

/** What applying a phase did on one group board. */
export type BoardOutcome = { boardId: string; groupId: string; frameId: string | null; ok: boolean }

/**
 * Applies phase `index` of a session to every group board of its course at once: inserts the
 * template as a new frame and sets the lock (one stored change per board), then turns private
 * mode on (or reveals the boards still in it when the phase has it off), then starts one
 * voting round per board on its new frame. A board that fails does not stop the others.
 */
export async function applyPhase(deps: Deps, sessionId: string, index: number, actor: Actor): Promise<{ session: SessionView; boards: BoardOutcome[] }> {
  let session = (await deps.facilitation.load(sessionId))!
  const phase: PhaseRow | undefined = session.phases[index]
  if (!phase) return { session, boards: [] }
  const groups = (await groupsWithBoards(deps.sql, session.courseId)).flatMap((g) => (g.board ? [{ groupId: g.id, boardId: g.board.id }] : []))
  const language = (await courses.getCourse(deps.sql, session.courseId))?.language ?? 'de'
  const template = await templateShapes(deps.sql, session.courseId, phase.template, language).catch((error) => {
    console.error('session script: template not usable', phase.template, error)
    return null
  })
  const outcomes: BoardOutcome[] = []
  const rounds: Omit<VoteRound, 'roundId' | 'startedAt'>[] = []
  for (const { groupId, boardId } of groups) {
    let frameId: string | null = null
    let targets: VoteRound['targets'] = []
    try {
      if (template || phase.lock !== 'keep') {
        await deps.rooms.edit(boardId, (doc) => {
          if (template) {
            frameId = insertTemplateFrame(doc, template, language)
            targets = frameTargets(doc, frameId)
          }
          if (phase.lock !== 'keep') applyLock(doc, { kind: 'board' }, phase.lock === 'lock', actor.personId, Date.now())
        })
      }
      outcomes.push({ boardId, groupId, frameId, ok: true })
    } catch (error) {
      console.error('session script: phase not applied to board', boardId, error)
      outcomes.push({ boardId, groupId, frameId: null, ok: false })
      continue
    }
    if (phase.voteDots && frameId && targets.length > 0) {
      rounds.push({ boardId, frameId, targets, dotsPerPerson: phase.voteDots, anonymous: phase.voteAnonymous })
    }
  }
  const applied = outcomes.filter((o) => o.ok).map((o) => o.boardId)
  if (phase.privateMode) {
    for (const boardId of applied) session = await deps.facilitation.setPrivate(sessionId, actor, boardId, true)
  } else {
    for (const boardId of session.state.privateBoards) {
      await revealPrivateLayers(deps, boardId)
      session = await deps.facilitation.setPrivate(sessionId, actor, boardId, false)
    }
  }
  if (rounds.length > 0) session = await deps.facilitation.startVotes(sessionId, actor, rounds, { replace: true, nameOf: namesOf(deps.sql) })
  return { session, boards: outcomes }
}

/** Looks up people's names (for named voting rounds), through `tx` when called inside a transaction. */
export const namesOf =
  (sql: Sql) =>
  async (ids: string[], tx: Sql = sql) =>
    new Map(await Promise.all(ids.map(async (id) => [id, (await people.getPerson(tx, id))?.name ?? ''] as const)))

// ── The end ────────────────────────────────────────────────────────────────────────────────

/** Lifts every lock on the whiteboards of a course's groups and the course's own boards; returns how many boards had locks. */
export async function liftLocksAtEnd(deps: { sql: Sql; rooms: Rooms }, courseId: string, by: string): Promise<number> {
  const teams = await courses.listTeams(deps.sql, courseId)
  const whiteboards = await boards.listBoards(deps.sql, { municipalityIds: teams.map((t) => t.id), courseIds: [courseId] })
  let lifted = 0
  for (const board of whiteboards) {
    const locked = withStateDoc(await deps.rooms.currentState(board.id), (doc) => Object.keys(readLocks(doc)).length > 0)
    if (!locked) continue
    await deps.rooms.edit(board.id, (live) => clearLocks(live, by, Date.now()))
    lifted++
  }
  return lifted
}
