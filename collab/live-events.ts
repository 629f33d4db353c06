/**
 * The socket.io wire of Werkraum, shared by the server (server/live/) and the browser
 * (app/facilitation/useSession.ts, app/comments/CommentsPanel.tsx): every event a client sends
 * with its payload schema (zod, checked by the server before anything else) and the answer it
 * gets through the acknowledgement, and every event the server sends with its payload.
 * Pure: zod and types only, so the browser bundle may import it (decision 0030).
 */
import { z } from 'zod'
import type { Command, SessionView } from './features/facilitation.server'
import type { PlanProblem } from './features/session-script.server'
import type { Thread } from '../db/comments.server'

const id = z.uuid()
const shapeId = z.string().regex(/^shape:[\w-]{1,100}$/)
const seconds = z
  .number()
  .int()
  .min(1)
  .max(4 * 3600)

const boardRef = z.object({ boardId: z.string().min(1).max(100) })
const sessionRef = z.object({ sessionId: id })
/** A session and, for votes, the board (closing without one closes every running round). */
const sessionBoardRef = z.object({ sessionId: id, boardId: id.optional() })
const sessionBoard = z.object({ sessionId: id, boardId: id })

export const commandSchema: z.ZodType<Command> = z.union([
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

/**
 * Every client-to-server event with its payload schema. The plan of `session:open` and
 * `session:plan` (title, module, phases) passes through here and is checked by `planSchema`
 * in the handler, so that a refusal can say in German what is wrong.
 */
export const clientEvents = {
  'board:join': boardRef,
  'board:leave': boardRef,
  'board:session': z.object({ boardId: id }),
  'time:ping': z.object({}),
  'board:lock': z.object({
    boardId: id,
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('board') }),
      z.object({ kind: z.literal('frame'), id: shapeId }),
      z.object({ kind: z.literal('shapes'), ids: z.array(shapeId).min(1).max(200) }),
    ]),
    locked: z.boolean(),
  }),
  'session:open': z.object({ courseId: id, planned: z.boolean().default(false) }).passthrough(),
  'session:plan': z.object({ sessionId: id }).passthrough(),
  'session:start': sessionRef,
  'session:join': sessionRef,
  'session:command': z.object({ sessionId: id, command: commandSchema }),
  'vote:start': z.object({ sessionId: id, boardId: id, frameId: shapeId, dotsPerPerson: z.number().int().min(1).max(20), anonymous: z.boolean() }),
  'vote:close': sessionBoardRef,
  'vote:dot': z.object({ sessionId: id, target: shapeId, delta: z.union([z.literal(1), z.literal(-1)]), boardId: id.optional() }),
  'vote:mine': sessionBoardRef,
  'private:start': sessionBoard,
  'private:reveal': sessionBoard,
  'private:layer': sessionBoard,
} satisfies Record<string, z.ZodType>

export type ClientEventName = keyof typeof clientEvents
/** What a client sends with an event (defaults may be left out). */
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientEvents)[E]>
/** What the server's handler receives: the payload after its schema (defaults filled in). */
export type ParsedPayload<E extends ClientEventName> = z.output<(typeof clientEvents)[E]>

/** `too_many`: more events than the connection's rate allows (LIVE_EVENTS_PER_SECOND); the event was not run, try again shortly. */
export type EventError = 'invalid' | 'forbidden' | 'not_found' | 'ended' | 'limit' | 'planned' | 'unavailable' | 'too_many'
/** A refused event: its code, and for a refused script the problem and a German sentence. */
export type Refusal = { ok: false; error: EventError; problem?: PlanProblem; message?: string }
type Dots = { mine: Record<string, number>; left: number }
/** The session a board page shows (the newest open one of the board's courses), as the person sees it. */
export type BoardSessionInfo = { id: string; title: string; leitstand: string; facilitator: boolean; groupId: string | null }
type Answers = {
  'board:join': { access: 'read' | 'write' }
  'board:leave': object
  /** The server's clock when it answered (a page measures its offset NTP-style from several pings). */
  'time:ping': { serverNow: number }
  /** The board's courses (whose sessions' states the page now receives) and the session it shows, if one is open. */
  'board:session': {
    courseIds: string[]
    /** The person's role and group in each of those courses: a session opened later is shown at once, without asking again. */
    roles: Record<string, { role: 'facilitator' | 'participant'; group: string | null }>
    /** The group whose board it is (null: a course board). */
    boardGroup: string | null
    info: BoardSessionInfo | null
    session: SessionView | null
    serverNow: number
    role: 'facilitator' | 'participant' | null
    group: string | null
  }
  'board:lock': object
  'session:open': { session: SessionView; serverNow: number; role: 'facilitator' }
  'session:plan': object
  'session:start': object
  'session:join': { session: SessionView; serverNow: number; role: 'facilitator' | 'participant'; group: string | null }
  /** Boards a phase could not be applied to (the rest went ahead). */
  'session:command': { failedBoards?: string[] }
  'vote:start': object
  'vote:close': object
  'vote:dot': Dots
  'vote:mine': { dots: Dots | null }
  'private:start': object
  'private:reveal': { revealed: number }
  'private:layer': { layerId: string }
}
/** The acknowledgement of an event: `ok: true` with its answer, or a refusal. */
export type Reply<E extends ClientEventName> = ({ ok: true; error?: undefined } & Answers[E]) | Refusal

export type ClientToServerEvents = { [E in ClientEventName]: (payload: ClientPayload<E>, ack: (reply: Reply<E>) => void) => void }

/** The state of a session, sent to its room on every change, with the server's clock. */
export type SessionStateEvent = { session: SessionView; serverNow: number }
export type CommentEvent = { boardId: string; thread: Thread }

export type ServerToClientEvents = {
  /** How many sockets are connected (every process). */
  'presence:count': (event: { count: number }) => void
  'session:state': (event: SessionStateEvent) => void
  /** A thread of a board changed (to the board's event room). */
  'comments:changed': (event: CommentEvent) => void
  /** Someone mentioned this person (to the person's room). */
  'comments:mentioned': (event: CommentEvent) => void
  /** This person lost access to a board whose event room the socket had joined. */
  'access:revoked': (event: { boardId: string }) => void
}
