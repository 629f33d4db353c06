/**
 * The one shape of every socket.io event handler: validate the payload (zod), run the handler,
 * answer through the acknowledgement. A malformed payload gets `{ok: false, error: 'invalid'}`;
 * a handler that throws never takes the process down.
 */
import type { z } from 'zod'

export type EventError = 'invalid' | 'forbidden' | 'not_found' | 'ended' | 'limit' | 'planned' | 'unavailable'
export type EventReply = ({ ok: true } & Record<string, unknown>) | ({ ok: false; error: EventError } & Record<string, unknown>)

/** Wraps a handler: validated payload in, acknowledgement out, errors contained. */
export function eventHandler<T>(
  schema: z.ZodType<T>,
  fn: (payload: T) => Promise<EventReply>,
  mapError: (error: unknown) => EventError = () => 'unavailable',
) {
  return async (payload: unknown, ack?: unknown): Promise<void> => {
    const reply = typeof ack === 'function' ? (ack as (r: EventReply) => void) : () => {}
    try {
      const parsed = schema.safeParse(payload)
      if (!parsed.success) return reply({ ok: false, error: 'invalid' })
      reply(await fn(parsed.data))
    } catch (error) {
      reply({ ok: false, error: mapError(error) })
    }
  }
}
