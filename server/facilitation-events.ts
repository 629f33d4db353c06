/**
 * socket.io events of live facilitation: open a session, join it, send commands. Every payload
 * is validated (zod) and every command authorised by the access policy: the course's lecturers
 * and coordinators facilitate, its teams participate; anything else is refused with an error.
 */
import type { Server, Socket } from 'socket.io'
import { z } from 'zod'
import { boardInCourse, can, loadPrincipal, type Principal } from '../access'
import * as Y from 'yjs'
import { applyLock, type Rooms } from '../collab'
import { frameTargets } from '../domain/board/vote-targets'
import { phaseSnapshotLabel, recordPhaseSnapshot } from '../collab/features/phase-snapshots.server'
import { getCourse } from '../db/courses.server'
import { revealPrivateLayers } from '../collab/features/private-mode.server'
import * as boards from '../db/boards.server'
import { applyPhase, foreignTemplate, liftLocksAtEnd, namesOf, planMessage, planProblem, planSchema } from '../collab/features/session-script.server'
import { CommandRefused, Facilitation, type Actor, type Command, type SessionView } from '../collab/features/facilitation.server'
import type { Sql } from '../db/client.server'
import * as people from '../db/people.server'
import { eventHandler, type EventReply } from './event-handler'

const id = z.uuid()
// The plan itself (title, module, phases) is checked by `planSchema` inside the handlers, so a
// refusal can say in German what is wrong.
const openPayload = z.object({ courseId: id, planned: z.boolean().default(false) }).passthrough()
const planPayload = z.object({ sessionId: id }).passthrough()
const joinPayload = z.object({ sessionId: id })
const boardPayload = z.object({ sessionId: id, boardId: id.optional() })
const seconds = z.number().int().min(1).max(4 * 3600)
const commandSchema: z.ZodType<Command> = z.union([
  z.object({ type: z.literal('timer'), action: z.literal('start'), seconds, groupId: id.optional() }),
  z.object({ type: z.literal('timer'), action: z.enum(['pause', 'resume', 'stop']), groupId: id.optional() }),
  z.object({ type: z.literal('timer'), action: z.literal('add'), seconds, groupId: id.optional() }),
  z.object({ type: z.literal('phase'), index: z.number().int().min(0).max(49) }),
  z.object({ type: z.literal('announce'), text: z.string().trim().min(1).max(500), municipalityIds: z.array(id).max(50).optional() }),
  z.object({ type: z.literal('hand'), raised: z.boolean(), kind: z.enum(['hand', 'help']) }),
  z.object({ type: z.literal('hand:clear'), personId: id }),
  z.object({
    type: z.literal('summon'),
    boardId: id,
    camera: z.object({ x: z.number().finite(), y: z.number().finite(), z: z.number().finite().positive() }).optional(),
    follow: z.boolean(),
  }),
  z.object({ type: z.literal('release') }),
  z.object({ type: z.literal('end') }),
]) as z.ZodType<Command>
const commandPayload = z.object({ sessionId: id, command: commandSchema })
const voteStartPayload = z.object({
  sessionId: id,
  boardId: id,
  frameId: z.string().regex(/^shape:[\w-]{1,100}$/),
  dotsPerPerson: z.number().int().min(1).max(20),
  anonymous: z.boolean(),
})
const privatePayload = z.object({ sessionId: id, boardId: id })
const voteDotPayload = z.object({ sessionId: id, target: z.string().regex(/^shape:[\w-]{1,100}$/), delta: z.union([z.literal(1), z.literal(-1)]), boardId: id.optional() })
const shapeId = z.string().regex(/^shape:[\w-]{1,100}$/)
const lockPayload = z.object({
  boardId: id,
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('board') }),
    z.object({ kind: z.literal('frame'), id: shapeId }),
    z.object({ kind: z.literal('shapes'), ids: z.array(shapeId).min(1).max(200) }),
  ]),
  locked: z.boolean(),
})


const room = (sessionId: string) => `session:${sessionId}`

function roleIn(principal: Principal, courseId: string): Actor['role'] | null {
  if (can(principal, { type: 'course.manage', courseId })) return 'facilitator'
  if (can(principal, { type: 'course.view', courseId })) return 'participant'
  return null
}

/** The municipality (group) through which a person takes part in a course, if any. */
function groupIn(principal: Principal, courseId: string): string | null {
  const teams = principal.courseTeams.get(courseId)
  return principal.memberships.find((m) => m.municipalityId && teams?.has(m.municipalityId))?.municipalityId ?? null
}

/** Registers the facilitation events on a connected socket. */
export function registerFacilitationEvents(io: Server, socket: Socket, deps: { sql: Sql; facilitation: Facilitation; rooms: Rooms }): void {
  const personId = socket.data.personId as string
  const principal = () => loadPrincipal(deps.sql, personId)
  const refusal = (error: unknown) => (error instanceof CommandRefused ? error.code : 'unavailable')
  /** The session and the sender as an actor in it (role by the policy), or null when they have no part in it. */
  const actorIn = async (sessionId: string) => {
    const session = await deps.facilitation.load(sessionId)
    if (!session) return null
    const actorPrincipal = await principal()
    const role = roleIn(actorPrincipal, session.courseId)
    if (!role) return { session, actor: null, principal: actorPrincipal }
    const person = await people.getPerson(deps.sql, personId)
    const actor: Actor = { personId, name: person?.name || person?.email || '', role, municipalityId: groupIn(actorPrincipal, session.courseId) }
    return { session, actor, principal: actorPrincipal }
  }
  const announce = (session: SessionView) => io.to(room(session.id)).emit('session:state', { session, serverNow: Date.now() })

  socket.on(
    'vote:start',
    eventHandler(voteStartPayload, async ({ sessionId, boardId, frameId, dotsPerPerson, anonymous }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor || found.actor.role !== 'facilitator') return { ok: false, error: 'forbidden' }
      const board = await boards.getBoard(deps.sql, boardId)
      if (!board) return { ok: false, error: 'not_found' }
      if (!boardInCourse(board, found.session.courseId, found.principal.courseTeams.get(found.session.courseId)) || !can(found.principal, { type: 'board.facilitate', board })) return { ok: false, error: 'forbidden' }
      const doc = new Y.Doc()
      Y.applyUpdate(doc, await deps.rooms.currentState(board.id))
      const targets = frameTargets(doc, frameId)
      doc.destroy()
      if (targets.length === 0) return { ok: false, error: 'invalid' }
      announce(await deps.facilitation.startVote(sessionId, found.actor, { boardId: board.id, frameId, targets, dotsPerPerson, anonymous }))
      return { ok: true }
    }, refusal),
  )

  /** The board, when it belongs to the session's course and the sender facilitates it. */
  const facilitatedBoard = async (found: NonNullable<Awaited<ReturnType<typeof actorIn>>>, boardId: string) => {
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board || board.kind !== 'whiteboard') return null
    return boardInCourse(board, found.session.courseId, found.principal.courseTeams.get(found.session.courseId)) && can(found.principal, { type: 'board.facilitate', board }) ? board : null
  }

  socket.on(
    'private:start',
    eventHandler(privatePayload, async ({ sessionId, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor || found.actor.role !== 'facilitator' || !(await facilitatedBoard(found, boardId))) return { ok: false, error: 'forbidden' }
      announce(await deps.facilitation.setPrivate(sessionId, found.actor, boardId, true))
      return { ok: true }
    }, refusal),
  )

  // Reveal ends private mode: every layer's notes move into the board (stored, then seen).
  socket.on(
    'private:reveal',
    eventHandler(privatePayload, async ({ sessionId, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor || found.actor.role !== 'facilitator' || !(await facilitatedBoard(found, boardId))) return { ok: false, error: 'forbidden' }
      const revealed = await revealPrivateLayers(deps, boardId)
      announce(await deps.facilitation.setPrivate(sessionId, found.actor, boardId, false))
      return { ok: true, revealed }
    }, refusal),
  )

  // A participant's own private layer of a board in private mode (created on first use).
  socket.on(
    'private:layer',
    eventHandler(privatePayload, async ({ sessionId, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor) return { ok: false, error: 'forbidden' }
      if (!found.session.state.privateBoards.includes(boardId)) return { ok: false, error: 'invalid' }
      const board = await boards.getBoard(deps.sql, boardId)
      if (!board) return { ok: false, error: 'not_found' }
      if (!can(found.principal, { type: 'board.edit', board })) return { ok: false, error: 'forbidden' }
      const layer = await boards.privateLayer(deps.sql, board, personId)
      return { ok: true, layerId: layer.id }
    }, refusal),
  )

  // Closes the round on `boardId`, or every running round when no board is named.
  socket.on(
    'vote:close',
    eventHandler(boardPayload, async ({ sessionId, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor) return { ok: false, error: 'forbidden' }
      announce(await deps.facilitation.closeVote(sessionId, found.actor, namesOf(deps.sql), boardId))
      return { ok: true }
    }, refusal),
  )

  socket.on(
    'vote:dot',
    eventHandler(voteDotPayload, async ({ sessionId, target, delta, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor) return { ok: false, error: 'forbidden' }
      return { ok: true, ...(await deps.facilitation.dot(sessionId, found.actor, target, delta, boardId)) }
    }, refusal),
  )

  socket.on(
    'vote:mine',
    eventHandler(boardPayload, async ({ sessionId, boardId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor) return { ok: false, error: 'forbidden' }
      return { ok: true, dots: await deps.facilitation.myDots(sessionId, personId, boardId) }
    }, refusal),
  )

  socket.on(
    'session:open',
    eventHandler(openPayload, async ({ courseId, planned, ...rest }) => {
      if (!can(await principal(), { type: 'course.manage', courseId })) return { ok: false, error: 'forbidden' }
      const plan = await checkedPlan(courseId, rest)
      if ('error' in plan) return plan
      const session = await deps.facilitation.open({ ...plan, courseId, createdBy: personId, status: planned ? 'planned' : 'open' })
      await socket.join(room(session.id))
      return { ok: true, session, serverNow: Date.now(), role: 'facilitator' }
    }, refusal),
  )

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

  // Changes a planned session's script (title, module, the phases in order); refused once it is open.
  socket.on(
    'session:plan',
    eventHandler(planPayload, async ({ sessionId, ...rest }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor || found.actor.role !== 'facilitator') return { ok: false, error: 'forbidden' }
      if (found.session.status !== 'planned') return { ok: false, error: found.session.status === 'ended' ? 'ended' : 'invalid', message: planMessage({ key: 'script.errors.notPlanned', phase: null }) }
      const plan = await checkedPlan(found.session.courseId, rest)
      if ('error' in plan) return plan
      announce(await deps.facilitation.replanned(sessionId, found.actor, plan))
      return { ok: true }
    }, refusal),
  )

  // Opens a planned session: from now on it runs like one opened at once.
  socket.on(
    'session:start',
    eventHandler(joinPayload, async ({ sessionId }) => {
      const found = await actorIn(sessionId)
      if (!found) return { ok: false, error: 'not_found' }
      if (!found.actor || found.actor.role !== 'facilitator') return { ok: false, error: 'forbidden' }
      announce(await deps.facilitation.openPlanned(sessionId, found.actor))
      return { ok: true }
    }, refusal),
  )

  socket.on(
    'session:join',
    eventHandler(joinPayload, async ({ sessionId }) => {
      const session = await deps.facilitation.load(sessionId)
      if (!session) return { ok: false, error: 'not_found' }
      const joiner = await principal()
      const role = roleIn(joiner, session.courseId)
      if (!role) return { ok: false, error: 'forbidden' }
      await socket.join(room(session.id))
      return { ok: true, session, serverNow: Date.now(), role, group: groupIn(joiner, session.courseId) }
    }, refusal),
  )

  socket.on(
    'session:command',
    eventHandler(commandPayload, async ({ sessionId, command }) => {
      const session = await deps.facilitation.load(sessionId)
      if (!session) return { ok: false, error: 'not_found' }
      const actorPrincipal = await principal()
      const role = roleIn(actorPrincipal, session.courseId)
      if (!role) return { ok: false, error: 'forbidden' }
      const person = await people.getPerson(deps.sql, personId)
      const actor: Actor = { personId, name: person?.name || person?.email || '', role, municipalityId: groupIn(actorPrincipal, session.courseId) }
      // A summon names a board of this course (its own or a group's); the server adds whose it is.
      if (command.type === 'summon') {
        if (role !== 'facilitator') return { ok: false, error: 'forbidden' }
        const board = await boards.getBoard(deps.sql, command.boardId)
        if (!board || board.kind !== 'whiteboard' || !boardInCourse(board, session.courseId, actorPrincipal.courseTeams.get(session.courseId))) {
          return { ok: false, error: 'invalid' }
        }
        return runCommand(sessionId, { ...command, target: { municipalityId: board.municipalityId, title: board.title } }, actor)
      }
      if (command.type !== 'phase' && command.type !== 'end') return runCommand(sessionId, command, actor)
      // Phase changes and the end edit every group board: one at a time per session, and
      // advancing to the phase that is already current (a double click) applies nothing twice.
      return oneAtATime(sessionId, async () => {
        const current = await deps.facilitation.load(sessionId)
        if (command.type === 'phase' && role === 'facilitator' && current?.status === 'open' && current.state.phaseIndex === command.index) return { ok: true }
        return runCommand(sessionId, command, actor)
      })
    }, refusal),
  )

  /** Applies a command, with what a phase or the end does to the boards, and tells the session's room. */
  const runCommand = async (sessionId: string, command: Command, actor: Actor): Promise<EventReply> => {
    let next = await deps.facilitation.apply(sessionId, command, actor)
    let failed: string[] = []
    // A phase of the script applies to every group board at once (template, lock, private mode, voting).
    if (command.type === 'phase') {
      const outcome = await applyPhase(deps, sessionId, command.index, actor)
      next = outcome.session
      failed = outcome.boards.filter((b) => !b.ok).map((b) => b.boardId)
    }
    // Ending the session reveals every board still in private mode (no hidden note stays behind) and lifts every lock.
    if (command.type === 'end') {
      for (const boardId of next.state.privateBoards) {
        await revealPrivateLayers(deps, boardId)
        next = await deps.facilitation.setPrivate(sessionId, actor, boardId, false)
      }
      await liftLocksAtEnd(deps, next.courseId, personId)
    }
    if (command.type === 'phase' || command.type === 'end') {
      const phase = command.type === 'phase' ? { index: command.index, title: next.phases[command.index].title } : null
      const language = (await getCourse(deps.sql, next.courseId))?.language
      const label = phaseSnapshotLabel(next, phase, language)
      const snapshot = await recordPhaseSnapshot({ sql: deps.sql, rooms: deps.rooms, courseId: next.courseId, label, kind: phase ? 'phase' : 'end', takenBy: personId, language })
      next = await deps.facilitation.addSnapshot(sessionId, snapshot)
    }
    io.to(room(sessionId)).emit('session:state', { session: next, serverNow: Date.now() })
    // Boards the phase could not be applied to are named (the lecturer sees it; the rest went ahead).
    return failed.length > 0 ? { ok: true, failedBoards: failed } : { ok: true }
  }
}

/** Per session, the phase change or end in progress (this process). */
const boardRuns = new Map<string, Promise<unknown>>()

/** Runs `fn` after the previous phase change or end of the same session has finished. */
function oneAtATime<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
  const run = (boardRuns.get(sessionId) ?? Promise.resolve()).catch(() => {}).then(fn)
  const settled = run.then(() => {}, () => {})
  boardRuns.set(sessionId, settled)
  void settled.then(() => {
    if (boardRuns.get(sessionId) === settled) boardRuns.delete(sessionId)
  })
  return run
}

/**
 * Board controls of live facilitation that change the board document itself: `board:lock`
 * locks or unlocks a board, a frame or chosen shapes. Only people the policy lets facilitate
 * the board may; the change is stored before any client sees it (Rooms.edit), and the room's
 * write gate enforces it on the Yjs channel.
 */
export function registerBoardControlEvents(socket: Socket, deps: { sql: Sql; rooms: Rooms }): void {
  const personId = socket.data.personId as string
  socket.on(
    'board:lock',
    eventHandler(lockPayload, async ({ boardId, target, locked }) => {
      const board = await boards.getBoard(deps.sql, boardId)
      if (!board) return { ok: false, error: 'not_found' }
      if (!can(await loadPrincipal(deps.sql, personId), { type: 'board.facilitate', board })) return { ok: false, error: 'forbidden' }
      await deps.rooms.edit(board.id, (doc) => applyLock(doc, target, locked, personId, Date.now()))
      return { ok: true }
    }),
  )
}
