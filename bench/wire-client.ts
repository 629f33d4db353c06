/**
 * A deliberately cheap benchmark client: a raw websocket that speaks the y-websocket protocol
 * (Werkraum, @y/websocket-server) or Hocuspocus's framing of it (document name first, then an
 * auth message). It makes its own edits with a tiny Y.Doc but never applies what it receives:
 * it only scans incoming updates for the send-time markers the senders embed, so that
 * receivers stay far from being the bottleneck of a fan-out measurement.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

export type Protocol = 'y-websocket' | 'hocuspocus'

const messageSync = 0
const messageAuth = 2
const syncStep1 = 0
const syncStep2 = 1
const syncUpdate = 2
const marker = Buffer.from('@ts=')

/** Milliseconds on the wall clock with sub-millisecond resolution (comparable across processes). */
export const now = (): number => performance.timeOrigin + performance.now()

export type WireClientOptions = {
  protocol: Protocol
  /** Full websocket URL (for y-websocket it ends in the room name). */
  url: string
  /** Room / document name (sent inside each Hocuspocus message). */
  room: string
  /** Tag written into this client's edits (e.g. which server it is connected to). */
  tag: string
  /** Headers sent with the websocket upgrade (credentials). */
  headers?: Record<string, string>
  /** Called for every edit of another client seen in an update: its send time and tag. */
  onEdit?: (sentAt: number, tag: string) => void
}

/** One connected benchmark client. */
export class WireClient {
  readonly doc = new Y.Doc()
  readonly socket: WebSocket
  /** Resolves when the first sync step 2 (the document) arrived. */
  readonly synced: Promise<number>
  private readonly id = `${Math.random().toString(36).slice(2, 10)}`
  private markSynced!: (at: number) => void

  constructor(private readonly options: WireClientOptions) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve))
    this.socket = new WebSocket(options.url, { perMessageDeflate: false, headers: options.headers })
    this.socket.binaryType = 'nodebuffer'
    this.doc.on('update', (update: Uint8Array) => this.send(messageSync, syncUpdate, update))
    this.socket.on('open', () => {
      if (options.protocol === 'hocuspocus') {
        const encoder = this.header()
        encoding.writeVarUint(encoder, messageAuth)
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarString(encoder, '')
        this.socket.send(encoding.toUint8Array(encoder))
      }
      this.send(messageSync, syncStep1, Y.encodeStateVector(this.doc))
    })
    this.socket.on('message', (data: Buffer) => this.receive(data))
    this.socket.on('error', () => {})
  }

  /** One edit: overwrites this client's key with a marker carrying the send time. */
  edit(): void {
    this.doc.getMap('bench').set(this.id, `@ts=${now().toFixed(3)};${this.options.tag};${this.id};`)
  }

  close(): void {
    this.socket.terminate()
    this.doc.destroy()
  }

  private header(): encoding.Encoder {
    const encoder = encoding.createEncoder()
    if (this.options.protocol === 'hocuspocus') encoding.writeVarString(encoder, this.options.room)
    return encoder
  }

  private send(type: number, subtype: number, payload: Uint8Array) {
    if (this.socket.readyState !== WebSocket.OPEN) return
    const encoder = this.header()
    encoding.writeVarUint(encoder, type)
    encoding.writeVarUint(encoder, subtype)
    encoding.writeVarUint8Array(encoder, payload)
    this.socket.send(encoding.toUint8Array(encoder))
  }

  private receive(data: Buffer) {
    const decoder = decoding.createDecoder(data)
    if (this.options.protocol === 'hocuspocus') decoding.readVarString(decoder)
    if (decoding.readVarUint(decoder) !== messageSync) return
    const subtype = decoding.readVarUint(decoder)
    if (subtype === syncStep1) {
      this.send(messageSync, syncStep2, Y.encodeStateAsUpdate(this.doc, decoding.readVarUint8Array(decoder)))
    } else if (subtype === syncStep2) {
      this.markSynced(now())
    } else if (subtype === syncUpdate && this.options.onEdit) {
      this.scan(data)
    }
  }

  /** Finds every `@ts=<time>;<tag>;<id>;` marker in the frame without decoding the update. */
  private scan(data: Buffer) {
    let at = data.indexOf(marker)
    while (at !== -1) {
      const end = data.indexOf(0x3b, at) // ';'
      const sentAt = Number(data.toString('latin1', at + marker.length, end))
      const tagEnd = data.indexOf(0x3b, end + 1)
      const idEnd = data.indexOf(0x3b, tagEnd + 1)
      const tag = data.toString('latin1', end + 1, tagEnd)
      if (data.toString('latin1', tagEnd + 1, idEnd) !== this.id) this.options.onEdit!(sentAt, tag)
      at = data.indexOf(marker, idEnd)
    }
  }
}

/** The first message of any kind a fresh connection receives, timed from the connect call (for cold loads). */
export async function timeToFirstSyncMessage(url: string, headers: Record<string, string> = {}): Promise<{ firstMs: number; documentMs: number }> {
  const started = now()
  const socket = new WebSocket(url, { perMessageDeflate: false, headers })
  return new Promise((resolve, reject) => {
    let firstMs = -1
    socket.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(data)
      if (decoding.readVarUint(decoder) !== messageSync) return
      const subtype = decoding.readVarUint(decoder)
      if (firstMs < 0) firstMs = now() - started
      if (subtype === syncStep2) {
        resolve({ firstMs, documentMs: now() - started })
        socket.terminate()
      }
    })
    socket.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageSync)
      encoding.writeVarUint(encoder, syncStep1)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()))
      socket.send(encoding.toUint8Array(encoder))
    })
    socket.on('error', reject)
  })
}
