/**
 * A live facilitation session (Sitzung), read top to bottom: open → join → commands (timer,
 * phase, announcement, hand, summon) → persist → fan out → end. PostgreSQL holds the state, for
 * every server process alike (decision 0037); every change is written there before anyone is
 * told, so a reload, a restart or a page on another process shows the same timer and phase. Timers are server time: clients get `serverNow` with every state
 * and compute the countdown from `endsAt`, so their clock skew does not matter.
 * Who may send which command is decided by the caller (the access policy) and passed in as
 * the actor's role here.
 */
import { randomUUID } from 'node:crypto'
import { asSql, type Sql } from '../../db/client.server'
import * as store from '../../db/facilitation.server'
import type { PhaseSnapshot } from './phase-snapshots.server'

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
/**
 * Everyone to a board. `municipalityId` is the group whose board it is (null for a course board):
 * the other groups may not open it, so they see it in the plenary view instead (a picture of it).
 */
export type Summon = { boardId: string; camera: { x: number; y: number; z: number } | null; follow: boolean; at: number; municipalityId?: string | null; title?: string }

/** A dot-voting round (Punktabfrage) on the shapes of one frame of one board. */
export type VoteRound = {
  roundId: string
  boardId: string
  frameId: string
  /** The shapes one can vote on (the frame's shapes when the round started), with their text. */
  targets: { id: string; label: string }[]
  dotsPerPerson: number
  anonymous: boolean
  startedAt: number
}

/** A closed round: totals per target (highest first); named rounds also say who put how many dots where. */
export type VoteResult = Omit<VoteRound, 'targets'> & {
  closedAt: number
  totals: { id: string; label: string; dots: number }[]
  voters: number
  byPerson: { name: string; target: string; dots: number }[] | null
}

export type LiveState = {
  phaseIndex: number | null
  timers: { all: Timer | null; groups: Record<string, Timer> }
  hands: Hand[]
  announcements: Announcement[]
  summon: Summon | null
  /** Phase changes, in order (the snapshot store records boards later). */
  history: { phaseIndex: number; title: string; at: number }[]
  /**
   * The running dot-voting rounds, at most one per board (a phase starts one on every group
   * board at once); their dots are in facilitation_votes and stay hidden until they close.
   */
  votes: VoteRound[]
  /** Closed rounds, oldest first. */
  voteResults: VoteResult[]
  /** Boards in private mode: participants' new notes stay in their private layers until revealed. */
  privateBoards: string[]
  /** What a phase change or the end recorded of every group's boards (see collab/features/phase-snapshots.server.ts). */
  snapshots: PhaseSnapshot[]
}

export type SessionView = {
  id: string
  courseId: string
  moduleNumber: number | null
  title: string
  status: store.SessionStatus
  /** Counts the stored changes: of two states a page receives, the higher version is the newer. */
  version: number
  phases: store.PhaseRow[]
  state: LiveState
}

/** People's names by id, looked up through `sql` (the transaction the caller is in). */
export type NameLookup = (personIds: string[], sql: Sql) => Promise<Map<string, string>>

export type Actor = { personId: string; name: string; role: 'facilitator' | 'participant'; municipalityId: string | null }

export type Command =
  | { type: 'timer'; action: 'start'; seconds: number; groupId?: string }
  | { type: 'timer'; action: 'pause' | 'resume' | 'stop'; groupId?: string }
  | { type: 'timer'; action: 'add'; seconds: number; groupId?: string }
  | { type: 'phase'; index: number }
  | { type: 'announce'; text: string; municipalityIds?: string[] }
  | { type: 'hand'; raised: boolean; kind: 'hand' | 'help' }
  | { type: 'hand:clear'; personId: string }
  | { type: 'summon'; boardId: string; camera?: { x: number; y: number; z: number }; follow: boolean; target?: { municipalityId: string | null; title: string } }
  | { type: 'release' }
  | { type: 'end' }

export class CommandRefused extends Error {
  constructor(readonly code: 'forbidden' | 'invalid' | 'ended' | 'limit' | 'planned') {
    super(code)
  }
}

const FACILITATOR_ONLY = new Set<Command['type']>(['timer', 'phase', 'announce', 'hand:clear', 'summon', 'release', 'end'])
const MAX_ANNOUNCEMENTS = 20

/** The state of a session that just opened. */
export function initialState(): LiveState {
  return { phaseIndex: null, timers: { all: null, groups: {} }, hands: [], announcements: [], summon: null, history: [], votes: [], voteResults: [], snapshots: [], privateBoards: [] }
}

/** A stored state as this version holds it: missing fields get their initial value; the single `vote` of older states becomes `votes`. */
export function parseState(raw: unknown): LiveState {
  const base = initialState()
  if (!raw || typeof raw !== 'object') return base
  const { vote, ...rest } = raw as Partial<LiveState> & { vote?: VoteRound | null }
  const state: LiveState = { ...base, ...rest }
  if (!Array.isArray(state.votes)) state.votes = []
  if (vote && !state.votes.some((v) => v.roundId === vote.roundId)) state.votes = [...state.votes, vote]
  return state
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
  if (session.status === 'planned') throw new CommandRefused('planned')
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
      state.summon = { boardId: command.boardId, camera: command.camera ?? null, follow: command.follow, at: now, municipalityId: command.target?.municipalityId ?? null, title: command.target?.title ?? '' }
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
 * The sessions of every process, read and changed through the database (decision 0037): no
 * state is cached, every change is one transaction that locks the session's row, reads it,
 * reduces and writes it with a new version; only then is it published (`onChange`) to every
 * process's pages. A phase change or the end, which also edit every group board, run one at a
 * time per session across processes (`exclusive`).
 */
export class Facilitation {
  private readonly listeners: ((session: SessionView) => void)[] = []
  /** The exclusive runs of this process, per session (queued here before the cross-process lock). */
  private readonly runs = new Map<string, Promise<unknown>>()
  private readonly acrossProcesses: boolean

  /** `acrossProcesses`: a server database shared by several processes (an advisory lock serialises exclusive runs); false for the embedded one. */
  constructor(
    private readonly sql: Sql,
    options: { acrossProcesses?: boolean } = {},
  ) {
    this.acrossProcesses = options.acrossProcesses ?? false
  }

  /** Registers who publishes every stored change (server/events.ts: to the session's and the course's pages on every process). */
  onChange(listener: (session: SessionView) => void): void {
    this.listeners.push(listener)
  }

  private publish(session: SessionView): SessionView {
    for (const listener of this.listeners) listener(session)
    return session
  }

  /** Opens a new session for a course with its phases (or, with status 'planned', prepares one to open later). */
  async open(input: {
    courseId: string
    moduleNumber: number | null
    title: string
    createdBy: string
    phases: store.PhaseInput[]
    status?: 'planned' | 'open'
  }): Promise<SessionView> {
    const row = await store.insertSession(this.sql, { ...input, state: initialState() })
    return this.publish((await this.load(row.id))!)
  }

  /** Replaces a planned session's title, module and phases (lecturers only); refused once it is open. */
  async replanned(id: string, actor: Actor, plan: { title: string; moduleNumber: number | null; phases: store.PhaseInput[] }): Promise<SessionView> {
    if (actor.role !== 'facilitator') throw new CommandRefused('forbidden')
    const session = await this.load(id)
    if (!session) throw new CommandRefused('invalid')
    if (session.status !== 'planned' || !(await store.replacePlan(this.sql, id, plan))) throw new CommandRefused(session.status === 'ended' ? 'ended' : 'invalid')
    return this.publish((await this.load(id))!)
  }

  /** Opens a planned session (lecturers only); from then on it runs like one opened at once. */
  async openPlanned(id: string, actor: Actor): Promise<SessionView> {
    if (actor.role !== 'facilitator') throw new CommandRefused('forbidden')
    const session = await this.load(id)
    if (!session) throw new CommandRefused('invalid')
    if (session.status === 'ended') throw new CommandRefused('ended')
    if (session.status === 'open') return session
    if (!(await store.openPlanned(this.sql, id))) {
      const now = await this.load(id)
      if (now?.status === 'open') return now // opened meanwhile (another process, a double click)
      throw new CommandRefused('invalid')
    }
    return this.publish((await this.load(id))!)
  }

  /** The session as stored, or null (read afresh: another process may have changed it). */
  load(id: string): Promise<SessionView | null> {
    return this.read(this.sql, id, false)
  }

  private async read(sql: Sql, id: string, forUpdate: boolean): Promise<SessionView | null> {
    const row = await store.getSession(sql, id, { forUpdate })
    if (!row) return null
    return {
      id: row.id,
      courseId: row.courseId,
      moduleNumber: row.moduleNumber,
      title: row.title,
      status: row.status,
      version: row.version,
      phases: await store.listPhases(sql, row.id),
      state: parseState(row.state),
    }
  }

  /** Applies a command, stores the new state and publishes it; returns it. */
  apply(id: string, command: Command, actor: Actor): Promise<SessionView> {
    return this.change(id, async (session) => reduce(session, command, actor, Date.now()))
  }

  /**
   * Starts a dot-voting round (lecturers only; one at a time per board). The targets come from
   * the server's reading of the board, never from the client.
   */
  startVote(id: string, actor: Actor, round: Omit<VoteRound, 'roundId' | 'startedAt'>): Promise<SessionView> {
    return this.startVotes(id, actor, [round], { replace: false })
  }

  /**
   * Starts several rounds at once (a phase: one per group board). With `replace`, a round still
   * running on one of those boards is closed first (its result kept); without, such a board is refused.
   */
  startVotes(
    id: string,
    actor: Actor,
    rounds: Omit<VoteRound, 'roundId' | 'startedAt'>[],
    options: { replace: false } | { replace: true; nameOf: NameLookup },
  ): Promise<SessionView> {
    return this.change(id, async (session, tx) => {
      if (session.status === 'ended') throw new CommandRefused('ended')
      if (session.status === 'planned') throw new CommandRefused('planned')
      if (actor.role !== 'facilitator') throw new CommandRefused('forbidden')
      const boards = rounds.map((r) => r.boardId)
      if (rounds.some((r) => r.targets.length === 0) || new Set(boards).size !== boards.length) throw new CommandRefused('invalid')
      const running = session.state.votes.filter((v) => boards.includes(v.boardId))
      if (running.length > 0 && !options.replace) throw new CommandRefused('invalid')
      const state = structuredClone(session.state)
      for (const round of running) {
        state.votes = state.votes.filter((v) => v.roundId !== round.roundId)
        state.voteResults = [...state.voteResults, await this.result(tx, id, round, options.replace ? options.nameOf : async () => new Map())]
      }
      const now = Date.now()
      state.votes = [...state.votes, ...rounds.map((r) => ({ ...r, roundId: randomUUID(), startedAt: now }))]
      return { state, status: session.status }
    })
  }

  /**
   * Closes running rounds (lecturers only): the round on `boardId`, or every running round;
   * counts their dots and stores the results with the session.
   */
  closeVote(id: string, actor: Actor, nameOf: NameLookup, boardId?: string): Promise<SessionView> {
    return this.change(id, async (session, tx) => {
      if (actor.role !== 'facilitator') throw new CommandRefused('forbidden')
      const rounds = session.state.votes.filter((v) => !boardId || v.boardId === boardId)
      if (rounds.length === 0) throw new CommandRefused('invalid')
      const state = structuredClone(session.state)
      for (const round of rounds) {
        state.votes = state.votes.filter((v) => v.roundId !== round.roundId)
        state.voteResults = [...state.voteResults, await this.result(tx, id, round, nameOf)]
      }
      return { state, status: session.status }
    })
  }

  /** The result of a round as it stands: totals per target, and for named rounds who voted where. */
  private async result(sql: Sql, id: string, round: VoteRound, nameOf: NameLookup): Promise<VoteResult> {
    const dots = await store.roundDots(sql, id, round.roundId)
    const totals = round.targets
      .map((t) => ({ ...t, dots: dots.filter((d) => d.target === t.id).reduce((a, d) => a + d.dots, 0) }))
      .sort((a, b) => b.dots - a.dots)
    const names = round.anonymous ? new Map<string, string>() : await nameOf([...new Set(dots.map((d) => d.personId))], sql)
    const { targets: _targets, ...rest } = round
    return {
      ...rest,
      closedAt: Date.now(),
      totals,
      voters: new Set(dots.map((d) => d.personId)).size,
      byPerson: round.anonymous ? null : dots.map((d) => ({ name: names.get(d.personId) ?? '', target: d.target, dots: d.dots })),
    }
  }

  /**
   * Places (+1) or takes back (-1) one of the actor's dots on a target of a running round (the
   * round on `boardId`, else the one the target belongs to), never more than the round allows.
   * One transaction holds the session's row, so a round closing meanwhile takes no more dots.
   * Resolves with the actor's dots in that round, or throws CommandRefused.
   */
  async dot(id: string, actor: Actor, target: string, delta: 1 | -1, boardId?: string): Promise<{ mine: Record<string, number>; left: number }> {
    return (await this.sql.begin(async (transaction) => {
      const tx = asSql(transaction)
      const session = await this.read(tx, id, true)
      if (!session) throw new CommandRefused('invalid')
      if (session.status === 'ended') throw new CommandRefused('ended')
      const round = session.state.votes.find((v) => (boardId ? v.boardId === boardId : v.targets.some((t) => t.id === target)))
      if (!round || !round.targets.some((t) => t.id === target)) throw new CommandRefused('invalid')
      const mine = await store.changeDot(tx, { sessionId: id, roundId: round.roundId, personId: actor.personId, target, delta, maxDots: round.dotsPerPerson })
      if (!mine) throw new CommandRefused(delta === 1 ? 'limit' : 'invalid')
      return { mine, left: round.dotsPerPerson - Object.values(mine).reduce((a, b) => a + b, 0) }
    })) as { mine: Record<string, number>; left: number }
  }

  /** Turns private mode on or off for a board (lecturers only; turning it off happens after the reveal). */
  setPrivate(id: string, actor: Actor, boardId: string, on: boolean): Promise<SessionView> {
    return this.change(id, async (session) => {
      if (actor.role !== 'facilitator') throw new CommandRefused('forbidden')
      if (on && session.status === 'ended') throw new CommandRefused('ended')
      if (on && session.status === 'planned') throw new CommandRefused('planned')
      const state = structuredClone(session.state)
      state.privateBoards = on ? [...new Set([...state.privateBoards, boardId])] : state.privateBoards.filter((b) => b !== boardId)
      return { state, status: session.status }
    })
  }

  /** Adds a phase snapshot record to the session (also after it ended: the end's own snapshot). */
  addSnapshot(id: string, snapshot: PhaseSnapshot): Promise<SessionView> {
    return this.change(id, async (session) => {
      const state = structuredClone(session.state)
      state.snapshots = [...state.snapshots, snapshot]
      return { state, status: session.status }
    })
  }

  /** The actor's own dots in the running round on `boardId` (else the first running one), for a page that reloads mid-round. */
  async myDots(id: string, personId: string, boardId?: string): Promise<{ mine: Record<string, number>; left: number } | null> {
    const session = await this.load(id)
    const round = session?.state.votes.find((v) => !boardId || v.boardId === boardId)
    if (!round) return null
    const mine = await store.personDots(this.sql, id, round.roundId, personId)
    return { mine, left: round.dotsPerPerson - Object.values(mine).reduce((a, b) => a + b, 0) }
  }

  /**
   * Changes a session's state through `next` in one transaction that holds the session's row:
   * read, reduce, write with a new version — on whichever process, the next change reads this
   * one. Published after the commit. `next` must query through the transaction it is given.
   */
  private async change(id: string, next: (session: SessionView, tx: Sql) => Promise<{ state: LiveState; status: store.SessionStatus }>): Promise<SessionView> {
    const updated = (await this.sql.begin(async (transaction) => {
      const tx = asSql(transaction)
      const session = await this.read(tx, id, true)
      if (!session) throw new CommandRefused('invalid')
      const { state, status } = await next(session, tx)
      const version = await store.saveState(tx, id, state, status)
      return { ...session, state, status, version }
    })) as SessionView
    return this.publish(updated)
  }

  /**
   * Runs `fn` after every earlier exclusive run of the same session has finished — on this
   * process (a queue) and on every other (a transaction-scoped advisory lock on a server
   * database). For work of several steps that must not interleave: a phase change, the end.
   */
  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const locked = this.acrossProcesses
      ? () =>
          this.sql.begin(async (tx) => {
            await tx`select pg_advisory_xact_lock(hashtext('werkraum.session'), hashtext(${id}::text))`
            return fn()
          }) as Promise<T>
      : fn
    const run = (this.runs.get(id) ?? Promise.resolve()).catch(() => {}).then(locked)
    const settled: Promise<unknown> = run.then(
      () => {},
      () => {},
    )
    this.runs.set(id, settled)
    void settled.then(() => {
      if (this.runs.get(id) === settled) this.runs.delete(id)
    })
    return run
  }
}
