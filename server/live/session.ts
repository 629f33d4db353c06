/**
 * The life of a live session over socket.io: open one (at once or planned, with its script),
 * change a planned one's script, start it, join it, and send commands (timers, phases,
 * announcements, hands, summons, the end). A phase applies the script to every group board and
 * the end reveals private layers and lifts locks; both record a snapshot of the course's boards.
 */
import { boardAccess, boardInCourse, can } from '../../access'
import { getCourse } from '../../db/courses.server'
import type { Language } from '../../domain/labels'
import * as boards from '../../db/boards.server'
import type { Actor, Command, SessionView } from '../../collab/features/facilitation.server'
import type { Reply } from '../../collab/live-events'
import { phaseSnapshotLabel, recordPhaseSnapshot } from '../../collab/features/phase-snapshots.server'
import { revealPrivateLayers } from '../../collab/features/private-mode.server'
import { applyPhase, foreignTemplate, liftLocksAtEnd, planMessage, planProblem, planSchema } from '../../collab/features/session-script.server'
import { sessionForBoard, visibleCoursesOfBoard } from '../../app/facilitation/sessions.server'
import { actorOf, courseRoom, groupIn, refusal, roleIn, sessionRoom } from './actor'
import { onEvent, type LiveEvents } from './handler'

/** Registers `session:open`, `session:plan`, `session:start`, `session:join`, `board:session` and `session:command`. */
export const sessionEvents: LiveEvents = (_io, socket, deps) => {
  const { personId, principal, inSession } = actorOf(socket, deps)

  /** A plan from a payload, or the refusal saying (in German) what is wrong with it. */
  const checkedPlan = async (courseId: string, raw: unknown) => {
    const parsed = planSchema.safeParse(raw)
    if (!parsed.success) {
      const problem = planProblem(parsed.error)
      return { ok: false as const, error: 'invalid' as const, problem, message: planMessage(problem) }
    }
    const foreign = await foreignTemplate(deps.sql, courseId, parsed.data.phases)
    if (foreign !== null) {
      const problem = { key: 'script.errors.template', phase: foreign }
      return { ok: false as const, error: 'invalid' as const, problem, message: planMessage(problem) }
    }
    return parsed.data
  }

  onEvent(
    socket,
    'session:open',
    async ({ courseId, planned, ...rest }) => {
      if (!can(await principal(), { type: 'course.manage', courseId })) return { ok: false, error: 'forbidden' }
      const plan = await checkedPlan(courseId, rest)
      if ('error' in plan) return plan
      const session = await deps.facilitation.open({ ...plan, courseId, createdBy: personId, status: planned ? 'planned' : 'open' })
      await socket.join(sessionRoom(session.id))
      return { ok: true, session, serverNow: Date.now(), role: 'facilitator' }
    },
    refusal,
  )

  // Changes a planned session's script (title, module, the phases in order); refused once it is open.
  onEvent(
    socket,
    'session:plan',
    async ({ sessionId, ...rest }) => {
      const found = await inSession(sessionId, 'facilitator')
      if (!found.ok) return found
      if (found.session.status !== 'planned')
        return { ok: false, error: found.session.status === 'ended' ? 'ended' : 'invalid', message: planMessage({ key: 'script.errors.notPlanned', phase: null }) }
      const plan = await checkedPlan(found.session.courseId, rest)
      if ('error' in plan) return plan
      await deps.facilitation.replanned(sessionId, found.actor, plan)
      return { ok: true }
    },
    refusal,
  )

  // Opens a planned session: from now on it runs like one opened at once.
  onEvent(
    socket,
    'session:start',
    async ({ sessionId }) => {
      const found = await inSession(sessionId, 'facilitator')
      if (!found.ok) return found
      await deps.facilitation.openPlanned(sessionId, found.actor)
      return { ok: true }
    },
    refusal,
  )

  onEvent(
    socket,
    'session:join',
    async ({ sessionId }) => {
      const session = await deps.facilitation.load(sessionId)
      if (!session) return { ok: false, error: 'not_found' }
      const joiner = await principal()
      const role = roleIn(joiner, session.courseId)
      if (!role) return { ok: false, error: 'forbidden' }
      await socket.join(sessionRoom(session.id))
      return { ok: true, session, serverNow: Date.now(), role, group: groupIn(joiner, session.courseId) }
    },
    refusal,
  )

  // A board page watches its courses: every later state of their open sessions reaches it (a
  // session opened or a phase started after the page loaded), and it learns the session it shows now.
  onEvent(
    socket,
    'board:session',
    async ({ boardId }) => {
      const board = await boards.getBoard(deps.sql, boardId)
      if (!board) return { ok: false, error: 'not_found' }
      const viewer = await principal()
      if (boardAccess(viewer, board) === 'none') return { ok: false, error: 'forbidden' }
      const courseIds = await visibleCoursesOfBoard(deps.sql, viewer, board)
      await socket.join(courseIds.map(courseRoom))
      const info = await sessionForBoard(deps.sql, viewer, board)
      const session = info ? await deps.facilitation.load(info.id) : null
      const role = session ? roleIn(viewer, session.courseId) : null
      const roles = Object.fromEntries(
        courseIds.flatMap((courseId) => {
          const roleThere = roleIn(viewer, courseId)
          return roleThere ? [[courseId, { role: roleThere, group: groupIn(viewer, courseId) }]] : []
        }),
      )
      return { ok: true, courseIds, roles, boardGroup: board.municipalityId, info, session, serverNow: Date.now(), role, group: session ? groupIn(viewer, session.courseId) : null }
    },
    refusal,
  )

  onEvent(
    socket,
    'session:command',
    async ({ sessionId, command }) => {
      const found = await inSession(sessionId, 'participant')
      if (!found.ok) return found
      const { session, actor } = found
      // A summon names a board of this course (its own or a group's); the server adds whose it is.
      if (command.type === 'summon') {
        if (actor.role !== 'facilitator') return { ok: false, error: 'forbidden' }
        const board = await boards.getBoard(deps.sql, command.boardId)
        if (!board || board.kind !== 'whiteboard' || !boardInCourse(board, session.courseId, found.principal.courseTeams.get(session.courseId))) {
          return { ok: false, error: 'invalid' }
        }
        return runCommand(sessionId, { ...command, target: { municipalityId: board.municipalityId, title: board.title } }, actor)
      }
      if (command.type !== 'phase' && command.type !== 'end') return runCommand(sessionId, command, actor)
      // Phase changes and the end edit every group board: one at a time per session on every
      // process, and advancing to the phase that is already current (a double click, or the same
      // click reaching two processes) applies nothing twice.
      return deps.facilitation.exclusive(sessionId, async () => {
        const current = await deps.facilitation.load(sessionId)
        if (command.type === 'phase' && actor.role === 'facilitator' && current?.status === 'open' && current.state.phaseIndex === command.index) return { ok: true }
        return runCommand(sessionId, command, actor, current?.state.phaseIndex ?? null)
      })
    },
    refusal,
  )

  /** Takes a phase snapshot (Stand) of every group's design and records it in the session. */
  const phaseSnapshot = async (session: SessionView, label: (language: Language) => string, kind: 'phase' | 'end', stand = true) => {
    // Whatever a phase writes for all groups is in the course's language.
    const language = (await getCourse(deps.sql, session.courseId))?.language ?? 'de'
    const snapshot = await recordPhaseSnapshot({ sql: deps.sql, rooms: deps.rooms, courseId: session.courseId, label: label(language), kind, takenBy: personId, language, stand })
    return deps.facilitation.addSnapshot(session.id, snapshot)
  }

  /**
   * Applies a command, with what a phase or the end does to the boards (each change published as
   * it is stored). `previousPhase`: the phase that was current before a phase change or the end.
   */
  const runCommand = async (sessionId: string, command: Command, actor: Actor, previousPhase: number | null = null): Promise<Reply<'session:command'>> => {
    // Every change below is stored and published to every process's pages as it happens.
    let next = await deps.facilitation.apply(sessionId, command, actor)
    let failed: string[] = []
    if (command.type === 'phase') {
      // The phase that ends is recorded as it ended, before the next one changes any board. Its
      // hidden notes are revealed first when the next phase would reveal them anyway.
      const ended = previousPhase !== null ? next.phases[previousPhase] : undefined
      if (ended) {
        if (!next.phases[command.index].privateMode) {
          for (const boardId of next.state.privateBoards) {
            await revealPrivateLayers(deps, boardId)
            next = await deps.facilitation.setPrivate(sessionId, actor, boardId, false)
          }
        }
        next = await phaseSnapshot(next, (language) => phaseSnapshotLabel(next, { index: previousPhase!, title: ended.title }, language, 'end'), 'phase')
      }
      // A phase of the script applies to every group board at once (template, lock, private mode, voting).
      const outcome = await applyPhase(deps, sessionId, command.index, actor)
      next = outcome.session
      failed = outcome.boards.filter((b) => !b.ok).map((b) => b.boardId)
      // Its start is a Stand only when it put something on the boards (a template); the boards'
      // state vectors are recorded either way (the Leitstand counts the phase's progress from them).
      const templated = outcome.boards.some((b) => b.frameId !== null)
      next = await phaseSnapshot(next, (language) => phaseSnapshotLabel(next, { index: command.index, title: next.phases[command.index].title }, language), 'phase', templated)
    }
    // Ending the session reveals every board still in private mode (no hidden note stays behind) and lifts every lock.
    if (command.type === 'end') {
      for (const boardId of next.state.privateBoards) {
        await revealPrivateLayers(deps, boardId)
        next = await deps.facilitation.setPrivate(sessionId, actor, boardId, false)
      }
      await liftLocksAtEnd(deps, next.courseId, personId)
      // The end of the session is the end of its last phase: one Stand, "Sitzungsende".
      next = await phaseSnapshot(next, (language) => phaseSnapshotLabel(next, null, language), 'end')
    }
    // Boards the phase could not be applied to are named (the lecturer sees it; the rest went ahead).
    return failed.length > 0 ? { ok: true, failedBoards: failed } : { ok: true }
  }
}
