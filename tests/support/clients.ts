/** Real y-websocket clients (the stock WebsocketProvider over `ws`) and small waiting helpers. */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export type Client = {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves after the first full sync with the server. */
  synced: Promise<void>
  destroy(): void
}

/** A `ws` WebSocket class that sends the given headers (a bearer token or a cookie) on connect. */
export function websocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  } as typeof WebSocket
}

/** Connects a new client (own Y.Doc, no BroadcastChannel shortcut) to a board on `serverUrl`, as the person owning `token`. */
export function connectClient(serverUrl: string, boardId: string, token: string, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/yjs`, boardId, doc, {
    WebSocketPolyfill: websocketWithHeaders({ authorization: `Bearer ${token}` }) as never,
    disableBc: true,
    maxBackoffTime: 300,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    const onSync = (isSynced: boolean) => {
      if (isSynced) {
        provider.off('sync', onSync)
        resolve()
      }
    }
    provider.on('sync', onSync)
  })
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Polls `check` until it returns true, or fails after `timeoutMs` with `message`. */
export async function waitFor(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Creates a board of a municipality through the JSON API (as the person owning `token`) and returns its id. */
export async function createBoard(serverUrl: string, token: string, municipalityId: string, title = 'Testboard'): Promise<string> {
  const res = await fetch(`${serverUrl}/api/v1/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title, municipalityId }),
  })
  if (res.status !== 201) throw new Error(`board not created: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

/** Opens a raw websocket to a board's room (for protocol-level tests). */
export async function openRawSocket(serverUrl: string, boardId: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/yjs/${boardId}`, { headers: { authorization: `Bearer ${token}` } })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return ws
}

/**
 * Sends `change` to the board state `base` as one raw Yjs update, from `token`'s own socket
 * (handed to `keep` for closing); resolves with the permission-denied reasons the server answered.
 * The room handles a socket's frames in order: the answer to a sync step 1 sent after the update
 * proves the update went through the write gate.
 */
export async function rawChangeAttempt(serverUrl: string, boardId: string, token: string, base: Uint8Array, change: (doc: Y.Doc) => void, keep: (ws: WebSocket) => void): Promise<string[]> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, base)
  const before = Y.encodeStateVector(doc)
  doc.transact(() => change(doc))
  const update = Y.encodeStateAsUpdate(doc, before)
  const ws = await openRawSocket(serverUrl, boardId, token)
  keep(ws)
  const denials: string[] = []
  const answered = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data))
      const type = decoding.readVarUint(d)
      const sub = decoding.readVarUint(d)
      if (type === 2 && sub === 0) denials.push(decoding.readVarString(d))
      if (type === 0 && sub === 1) resolve()
    }),
  )
  const message = (sub: number, payload: Uint8Array) => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, sub)
    encoding.writeVarUint8Array(e, payload)
    return encoding.toUint8Array(e)
  }
  ws.send(message(2, update))
  ws.send(message(0, Y.encodeStateVector(new Y.Doc())))
  await answered
  return denials
}
