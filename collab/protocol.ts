/**
 * The y-websocket wire protocol, as the stock `WebsocketProvider` speaks it: one message per
 * frame, a varUint message type, then its payload. Decoding validates a whole frame before
 * anything acts on it, so a malformed frame changes nothing.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export const messageSync = 0
export const messageAwareness = 1
export const messageAuth = 2
export const messageQueryAwareness = 3
/** Werkraum's own server → client notices (saved, not yet saved, edit refused); well above the standard types. */
export const messageNotice = 100

export const syncStep1 = 0
export const syncStep2 = 1
export const syncUpdate = 2

/** Websocket close codes this server uses, with the reason sent to the client. */
export const CloseCode = {
  /** The server is restarting (graceful shutdown); clients reconnect. */
  serviceRestart: 1012,
  /** A frame that does not decode as the y-websocket protocol, or an update that does not apply. */
  invalidPayload: 1007,
  /** A frame larger than the configured limit (ws sends this itself). */
  messageTooBig: 1009,
  /** The update could not be stored; the client resends it on reconnect. */
  internalError: 1011,
  /**
   * More messages per second than WS_MESSAGES_PER_SECOND allows ("try again later"); the client
   * reconnects and resyncs. Not a 44xx code: y-websocket 3 never reconnects after 4400–4499.
   */
  tooManyMessages: 1013,
  /** Access to the board was withdrawn while connected. */
  forbidden: 4403,
  /** The session or token the socket signed in with ended (sign-out, password reset, expiry, revocation). */
  sessionEnded: 4401,
  /** The person's rights changed while connected (e.g. write → read); reconnecting applies them. */
  accessChanged: 4409,
} as const

export type ClientMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2'; update: Uint8Array; empty: boolean }
  | { type: 'update'; update: Uint8Array; empty: boolean }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/** Decodes and validates one frame from a client; throws ProtocolError on anything malformed. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame)
    const message = readMessage(decoder)
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message')
    return message
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(`malformed message: ${(error as Error).message}`)
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case messageSync: {
      const subtype = decoding.readVarUint(decoder)
      if (subtype === syncStep1) {
        const stateVector = decoding.readVarUint8Array(decoder)
        Y.decodeStateVector(stateVector)
        return { type: 'sync-step-1', stateVector }
      }
      if (subtype === syncStep2 || subtype === syncUpdate) {
        const update = decoding.readVarUint8Array(decoder)
        const empty = decodeUpdateIsEmpty(update)
        return { type: subtype === syncStep2 ? 'sync-step-2' : 'update', update, empty }
      }
      throw new ProtocolError(`unknown sync message type ${subtype}`)
    }
    case messageAwareness: {
      const update = decoding.readVarUint8Array(decoder)
      assertDecodableAwareness(update)
      return { type: 'awareness', update }
    }
    case messageQueryAwareness:
      return { type: 'query-awareness' }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

/**
 * Parses `update` completely as a Yjs v1 update (throws ProtocolError if it does not) and
 * tells whether it carries nothing (no items, no deletions), as a client's first sync often does.
 */
export function decodeUpdateIsEmpty(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update)
    return structs.length === 0 && ds.clients.size === 0
  } catch (error) {
    throw new ProtocolError(`update does not decode: ${(error as Error).message}`)
  }
}

/** Throws ProtocolError unless `update` parses completely as an awareness update (client, clock, JSON state). */
export function assertDecodableAwareness(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    JSON.parse(decoding.readVarString(decoder))
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update')
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  encoding.writeVarUint(encoder, syncStep1)
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
  return encoding.toUint8Array(encoder)
}

/** Sync step 2: what the peer lacks, given its state vector. */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  encoding.writeVarUint(encoder, syncStep2)
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector))
  return encoding.toUint8Array(encoder)
}

/** An incremental document update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  encoding.writeVarUint(encoder, syncUpdate)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The y-protocols auth message "permission denied" with a reason (y-websocket clients log it). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageAuth)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}

/**
 * What the server tells a client about its edits beyond the sync protocol:
 * - `not-saved`: the database is unreachable; edits are shared live but not yet stored;
 * - `saved`: everything held is stored again;
 * - `refused`: this edit was not accepted (reason: `unsaved-limit`, `document-too-large`);
 *   the client keeps it and it is taken again when the server asks (sync step 1) or on reconnect.
 */
export type Notice = { kind: 'not-saved' } | { kind: 'saved' } | { kind: 'refused'; reason: 'unsaved-limit' | 'document-too-large' }

/** A notice frame: message type, then the notice as a JSON string (readable in any client's log). */
export function encodeNotice(notice: Notice): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageNotice)
  encoding.writeVarString(encoder, JSON.stringify(notice))
  return encoding.toUint8Array(encoder)
}

/** Reads a notice frame's payload (after its message type), as the board page does. */
export function decodeNotice(decoder: decoding.Decoder): Notice {
  return JSON.parse(decoding.readVarString(decoder)) as Notice
}

/** An awareness update (already encoded by y-protocols/awareness). */
export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageAwareness)
  encoding.writeVarUint8Array(encoder, awarenessUpdate)
  return encoding.toUint8Array(encoder)
}
