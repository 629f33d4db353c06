/**
 * Who a cursor belongs to: the identity the room stamps into every awareness state of a
 * connection (decision 0040's sibling in collab/awareness-guard.ts), and the same colour the
 * board page uses for its own cursor. Pure, so the browser and the server share it.
 */

/** Cursor colours, one per person, picked by their id. */
export const PRESENCE_COLORS = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#5c940d']

/** A person's cursor colour: always the same for the same person, on every page and process. */
export function presenceColor(personId: string): string {
  let hash = 0
  for (let i = 0; i < personId.length; i++) hash = (hash * 31 + personId.charCodeAt(i)) | 0
  return PRESENCE_COLORS[Math.abs(hash) % PRESENCE_COLORS.length]!
}

/** The identity shown with a connection's cursor: tldraw's user id, the signed-in name, the person's colour. */
export type PresenceIdentity = { userId: string; userName: string; color: string }

/** The presence identity of a signed-in person (tldraw's user ids are `user:<id>`). */
export function presenceIdentity(personId: string, name: string): PresenceIdentity {
  return { userId: `user:${personId}`, userName: name.slice(0, 60), color: presenceColor(personId) }
}
