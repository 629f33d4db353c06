/**
 * What a connection may publish as awareness (cursors, names; issue 16): only states of the
 * client ids it owns (the first two it announced that nobody else holds), each at most
 * `maxStateBytes` of JSON, with the identity fields set by the server from the authenticated
 * connection — tldraw's `presence.userId/userName/color` on boards, `user.name/color` of the
 * Systemdesign editor's carets. A read-only connection shows a cursor but sends no chat text.
 * Pure: the room decides rate and ownership bookkeeping (collab/room.ts).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { PresenceIdentity } from './presence-identity'

/** Default cap of one awareness state (its JSON), in bytes. */
export const MAX_AWARENESS_STATE_BYTES = 8 * 1024
/** How many awareness client ids one connection may own (a page has one; a reloaded doc may take another). */
export const MAX_CLIENT_IDS_PER_CONNECTION = 2

/** Whom the states are from and what is theirs. */
export type AwarenessSender = {
  /** Identity stamped into every state; null relays states as sent (rooms driven without a signed-in person, e.g. tests). */
  identity: PresenceIdentity | null
  readOnly: boolean
  /** Client ids this connection already owns (not changed here). */
  owned: ReadonlySet<number>
  /** Whether someone else — another person's connection here, or a peer process — holds a live state under this id. */
  ownedElsewhere: (clientId: number) => boolean
  maxStateBytes: number
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Filters and stamps one awareness update (y-protocols encoding: count, then per state client
 * id, clock and JSON). Returns the update to apply — null when nothing of it may pass — and how
 * many states were left out. Throws on a malformed update.
 */
export function guardAwarenessUpdate(update: Uint8Array, sender: AwarenessSender): { update: Uint8Array | null; clientIds: number[]; dropped: number } {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const kept: { clientId: number; clock: number; json: string }[] = []
  const claimed = new Set(sender.owned)
  let dropped = 0
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (!claimed.has(clientId)) {
      if (claimed.size >= MAX_CLIENT_IDS_PER_CONNECTION || sender.ownedElsewhere(clientId)) {
        dropped++
        continue
      }
      claimed.add(clientId)
    }
    if (json.length > sender.maxStateBytes) {
      dropped++
      continue
    }
    kept.push({ clientId, clock, json: stamp(json, sender) })
  }
  if (kept.length === 0) return { update: null, clientIds: [], dropped }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, kept.length)
  for (const { clientId, clock, json } of kept) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, json)
  }
  return { update: encoding.toUint8Array(encoder), clientIds: kept.map((k) => k.clientId), dropped }
}

/** Sets the identity fields of one state (JSON in, JSON out; `null` — the client left — stays). */
function stamp(json: string, sender: AwarenessSender): string {
  const { identity } = sender
  if (!identity) return json
  const state: unknown = JSON.parse(json)
  if (!isObject(state)) return json
  if (isObject(state.presence)) {
    state.presence = { ...state.presence, userId: identity.userId, userName: identity.userName, color: identity.color }
    if (sender.readOnly) (state.presence as Record<string, unknown>).chatMessage = ''
  }
  if (isObject(state.user)) state.user = { ...state.user, name: identity.userName, color: identity.color }
  return JSON.stringify(state)
}
