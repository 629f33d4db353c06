/**
 * Sockets end with the sign-in they were opened with: every Yjs websocket and socket.io socket
 * is kept with its credential (person, session or access token), and `closeSocketsOf` closes
 * those of a session, a token or a person — on this process and, through socket.io's adapter
 * (Redis with REDIS_URL), on every other. Sign-out and password reset call it at once; a
 * periodic re-check catches sessions that expired and tokens revoked anywhere (decision 0036).
 */
import type WebSocket from 'ws'
import type { Logger } from 'pino'
import type { Credential } from '../access'
import { CloseCode } from '../collab/protocol'
import { TOKEN_REVOKED_CHANNEL } from '../db/access-tokens.server'
import type { Database, Sql } from '../db/client.server'
import { stillValid } from '../db/people.server'
import type { LiveServer } from './live/handler'

/** Which sockets to close: those of one session, of one access token, or all of one person. */
export type SocketSelector = { sessionId: string } | { tokenId: string } | { personId: string }

/** The socket.io room of the sockets opened with one session or token (every socket joins its own on connecting). */
export const credentialRoom = (c: Credential) => (c.sessionId ? `session:${c.sessionId}` : `token:${c.tokenId}`)
const selectorRoom = (s: SocketSelector) => ('sessionId' in s ? `session:${s.sessionId}` : 'tokenId' in s ? `token:${s.tokenId}` : `person:${s.personId}`)

const matches = (c: Credential, s: SocketSelector) =>
  'sessionId' in s ? c.sessionId === s.sessionId : 'tokenId' in s ? c.tokenId === s.tokenId : c.personId === s.personId

/** Close code for a websocket whose access token was revoked (1008: policy violation). */
export const TOKEN_REVOKED_CLOSE = { code: 1008, reason: 'token revoked' }

export class LiveSessions {
  private readonly yjs = new Map<WebSocket, Credential>()
  private timer: NodeJS.Timeout | null = null
  private stopListening: (() => Promise<void>) | null = null

  constructor(
    private readonly sql: Sql,
    private readonly io: LiveServer,
    private readonly log: Logger,
    /** Several processes (REDIS_URL): tell the others too (the in-memory adapter cannot and warns). */
    private readonly crossProcess: boolean,
  ) {
    // Another process closed a session: close its Yjs sockets here too (socket.io's are reached by the adapter).
    io.on('sockets:close', (selector) => this.closeYjs(selector))
  }

  /** Keeps an open Yjs websocket with the credential it signed in with, until it closes. */
  trackYjs(ws: WebSocket, credential: Credential): void {
    this.yjs.set(ws, credential)
    ws.once('close', () => this.yjs.delete(ws))
  }

  /** Closes every socket (Yjs and socket.io, on every process) of a session, a token or a person. */
  async closeSocketsOf(selector: SocketSelector): Promise<void> {
    this.closeYjs(selector)
    if (this.crossProcess) this.io.serverSideEmit('sockets:close', selector)
    this.io.in(selectorRoom(selector)).disconnectSockets(true)
  }

  private closeYjs(selector: SocketSelector) {
    for (const [ws, credential] of this.yjs) {
      if (!matches(credential, selector)) continue
      if ('tokenId' in selector) ws.close(TOKEN_REVOKED_CLOSE.code, TOKEN_REVOKED_CLOSE.reason)
      else ws.close(CloseCode.sessionEnded, 'signed out; sign in again')
    }
  }

  /** On PostgreSQL, hears revocations made outside any server process (the admin CLI's NOTIFY) and closes this process's sockets of that token. */
  async listen(db: Database): Promise<void> {
    if (db.kind !== 'postgres') return
    const { unlisten } = await db.sql.listen(TOKEN_REVOKED_CHANNEL, (tokenId) => {
      this.closeYjs({ tokenId })
      this.io.in(selectorRoom({ tokenId })).local.disconnectSockets(true)
    })
    this.stopListening = unlisten
  }

  /** Stops hearing NOTIFY. */
  async unlisten(): Promise<void> {
    await this.stopListening?.()
    this.stopListening = null
  }

  /** Closes the sockets of this process whose session expired or ended, or whose token was revoked. */
  async recheck(): Promise<void> {
    const socketIo = [...this.io.of('/').sockets.values()]
    const credentials = [...this.yjs.values(), ...socketIo.map((s) => s.data.credential)]
    if (credentials.length === 0) return
    const valid = await stillValid(
      this.sql,
      [...new Set(credentials.flatMap((c) => (c.sessionId ? [c.sessionId] : [])))],
      [...new Set(credentials.flatMap((c) => (c.tokenId ? [c.tokenId] : [])))],
    )
    const ended = (c: Credential) => (c.sessionId ? !valid.sessions.has(c.sessionId) : !valid.tokens.has(c.tokenId ?? ''))
    for (const [ws, credential] of this.yjs) if (ended(credential)) ws.close(CloseCode.sessionEnded, 'session ended; sign in again')
    for (const socket of socketIo) if (ended(socket.data.credential)) socket.disconnect(true)
  }

  /** Re-checks every `everyMs` (expiry and revocations made without a call here). */
  start(everyMs: number): void {
    if (everyMs <= 0) return
    this.timer = setInterval(() => void this.recheck().catch((error) => this.log.warn({ err: error }, 'session re-check failed')), everyMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
