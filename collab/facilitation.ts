/**
 * A live facilitation session (Sitzung), read top to bottom: open → join → commands (timer,
 * phase, announcement, hand, summon) → persist → fan out → end. The server holds the state;
 * every change is written to Postgres before anyone is told, so a reload or a restart shows
 * the same timer and phase. Timers are server time: clients get `serverNow` with every state
 * and compute the countdown from `endsAt`, so their clock skew does not matter.
 * Who may send which command is decided by the caller (the access policy) and passed in as
 * the actor's role here.
 */
import { randomUUID } from 'node:crypto'
import type { Sql } from '../db/client.server'
import * as store from '../db/facilitation.server'

export type Timer = {
  /** Server epoch ms at which the countdown reaches zero (while running). */
  endsAt: number | null
  /** What is left while paused (or the full duration before the start). */
  remainingMs: number
  durationMs: number
  running: boolean
}

export type Hand = { personId: string; name: string; municipalityId: string | null; kind: 'hand' | 'help'; at: number }
export type Announcement = { id: string; text: string; municipalityIds: string[] | null; at: number }
export type Summon = { boardId: string; camera: { x: number; y: number; z: number } | null; follow: boolean; at: number }

export type LiveState = {
  phaseIndex: number | null
  timers: { all: Timer | null; groups: Record<string, Timer> }
  hands: Hand[]
  announcements: Announcement[]
  summon: Summon | null
  /** Phase changes, in order (the snapshot store records boards later). */
  history: { phaseIndex: number; title: string; at: number }[]
}

export type SessionView = {
  id: string
  courseId: string
  moduleNumber: number | null
  title: string
  status: 'open' | 'ended'
  phases: store.PhaseRow[]
  state: LiveState
}

export type Actor = { personId: string; name: string; role: 'facilitator' | 'participant'; municipalityId: string | null }

export type Command =
  | { type: 'timer'; action: 'start'; seconds: number; groupId?: string }
  | { type: 'timer'; action: 'pause' | 'resume' | 'stop'; groupId?: string }
  | { type: 'timer'; action: 'add'; seconds: number; groupId?: string }
  | { type: 'phase'; index: number }
  | { type: 'announce'; text: string; municipalityIds?: string[] }
  | { type: 'hand'; raised: boolean; kind: 'hand' | 'help' }
  | { type: 'hand:clear'; personId: string }
  | { type: 'summon'; boardId: string; camera?: { x: number; y: number; z: number }; follow: boolean }
  | { type: 'release' }
  | { type: 'end' }

export class CommandRefused extends Error {
  constructor(readonly code: 'forbidden' | 'invalid' | 'ended') {
    super(code)
  }
}

const FACILITATOR_ONLY = new Set<Command['type']>(['timer', 'phase', 'announce', 'hand:clear', 'summon', 'release', 'end'])
const MAX_ANNOUNCEMENTS = 20

/** The state of a session that just opened. */
export function initialState(): LiveState {
  return { phaseIndex: null, timers: { all: null, groups: {} }, hands: [], announcements: [], summon: null, history: [] }
}

function parseState(raw: unknown): LiveState {
  const base = initialState()
  return raw && typeof raw === 'object' ? { ...base, ...(raw as Partial<LiveState>) } : base
}

/** The remaining milliseconds of a timer at server time `now`. */
export function remainingMs(timer: Timer, now: number): number {
  return timer.running && timer.endsAt !== null ? Math.max(0, timer.endsAt - now) : timer.remainingMs
}

function applyTimer(timer: Timer | null, command: Extract<Command, { type: 'timer' }>, now: number): Timer | null {
  switch (command.action) {
    case 'start': {
      const ms = command.seconds * 1000
      return { endsAt: now + ms, remainingMs: ms, durationMs: ms, running: true }
    }
    case 'pause':
      if (!timer || !timer.running) return timer
      return { ...timer, running: false, endsAt: null, remainingMs: remainingMs(timer, now) }
    case 'resume':
      if (!timer || timer.running) return timer
      return { ...timer, running: true, endsAt: now + timer.remainingMs }
    case 'add': {
      if (!timer) return timer
      const ms = command.seconds * 1000
      return timer.running
        ? { ...timer, endsAt: timer.endsAt! + ms, durationMs: timer.durationMs + ms }
        : { ...timer, remainingMs: timer.remainingMs + ms, durationMs: timer.durationMs + ms }
    }
    case 'stop':
      return null
  }
}

/** Applies one command to a session's state (pure): returns the new state or throws CommandRefused. */
export function reduce(session: SessionView, command: Command, actor: Actor, now: number): { state: LiveState; status: 'open' | 'ended' } {
  if (session.status === 'ended') throw new CommandRefused('ended')
  if (FACILITATOR_ONLY.has(command.type) && actor.role !== 'facilitator') throw new CommandRefused('forbidden')
  const state = structuredClone(session.state)
  switch (command.type) {
    case 'timer':
      if (command.groupId) {
        const next = applyTimer(state.timers.groups[command.groupId] ?? null, command, now)
        if (next) state.timers.groups[command.groupId] = next
        else delete state.timers.groups[command.groupId]
      } else {
        state.timers.all = applyTimer(state.timers.all, command, now)
      }
      break
    case 'phase': {
      const phase = session.phases[command.index]
      if (!phase) throw new CommandRefused('invalid')
      state.phaseIndex = command.index
      state.history.push({ phaseIndex: command.index, title: phase.title, at: now })
      state.timers.groups = {}
      state.timers.all = phase.durationSeconds ? applyTimer(null, { type: 'timer', action: 'start', seconds: phase.durationSeconds }, now) : null
      break
    }
    case 'announce':
      state.announcements = [
        ...state.announcements,
        { id: randomUUID(), text: command.text, municipalityIds: command.municipalityIds ?? null, at: now },
      ].slice(-MAX_ANNOUNCEMENTS)
      break
    case 'hand':
      state.hands = state.hands.filter((h) => !(h.personId === actor.personId && h.kind === command.kind))
      if (command.raised) state.hands.push({ personId: actor.personId, name: actor.name, municipalityId: actor.municipalityId, kind: command.kind, at: now })
      break
    case 'hand:clear':
      state.hands = state.hands.filter((h) => h.personId !== command.personId)
      break
    case 'summon':
      state.summon = { boardId: command.boardId, camera: command.camera ?? null, follow: command.follow, at: now }
      break
    case 'release':
      state.summon = null
      break
    case 'end':
      state.timers = { all: null, groups: {} }
      state.summon = null
      return { state, status: 'ended' }
  }
  return { state, status: 'open' }
}

/**
 * The sessions this process serves: loads a session on first use, applies commands one at a
 * time per session, and writes each new state before it is announced.
 */
export class Facilitation {
  private readonly sessions = new Map<string, SessionView>()
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(private readonly sql: Sql) {}

  /** Opens a new session for a course with its phases. */
  async open(input: {
    courseId: string
    moduleNumber: number | null
    title: string
    createdBy: string
    phases: { title: string; prompt: string; durationSeconds: number | null }[]
  }): Promise<SessionView> {
    const row = await store.insertSession(this.sql, { ...input, state: initialState() })
    return this.load(row.id) as Promise<SessionView>
  }

  /** The session as stored (cached while in use), or null. */
  async load(id: string): Promise<SessionView | null> {
    const cached = this.sessions.get(id)
    if (cached) return cached
    const row = await store.getSession(this.sql, id)
    if (!row) return null
    const view: SessionView = {
      id: row.id,
      courseId: row.courseId,
      moduleNumber: row.moduleNumber,
      title: row.title,
      status: row.status,
      phases: await store.listPhases(this.sql, row.id),
      state: parseState(row.state),
    }
    this.sessions.set(id, view)
    return view
  }

  /** Applies a command (serialised per session), persists the new state, and returns it. */
  apply(id: string, command: Command, actor: Actor): Promise<SessionView> {
    const previous = this.queues.get(id) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(async () => {
      const session = await this.load(id)
      if (!session) throw new CommandRefused('invalid')
      const { state, status } = reduce(session, command, actor, Date.now())
      await store.saveState(this.sql, id, state, status)
      const next = { ...session, state, status }
      this.sessions.set(id, next)
      return next
    })
    const settled: Promise<unknown> = run
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        if (this.queues.get(id) === settled) this.queues.delete(id)
      })
    this.queues.set(id, settled)
    return run
  }

  /** Forgets cached sessions (e.g. when another process may have changed them). */
  forget(id: string): void {
    this.sessions.delete(id)
  }
}
