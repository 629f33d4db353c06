/**
 * Sockets opened with a personal access token, so that revoking the token closes them at once:
 * Yjs websockets of this process are tracked here; socket.io sockets sit in a `token:<hash>`
 * room (closed across processes by the adapter). Other processes hear of a revocation through
 * socket.io's server-side events and, on PostgreSQL, through NOTIFY (the CLI revokes there).
 */
import type { Server as SocketServer } from 'socket.io'
import type { WebSocket } from 'ws'
import type { Database } from '../db/client.server'
import { TOKEN_REVOKED_CHANNEL } from '../db/access-tokens.server'

const REVOKED_EVENT = 'werkraum:token-revoked'
/** Close code for a websocket whose credentials were withdrawn (1008: policy violation). */
export const TOKEN_REVOKED_CLOSE = { code: 1008, reason: 'token revoked' }

export class TokenSockets {
  private readonly yjs = new Map<string, Set<WebSocket>>()
  private unlisten: (() => Promise<void>) | null = null

  constructor(private readonly io: SocketServer) {
    io.on(REVOKED_EVENT, (tokenHash: unknown) => {
      if (typeof tokenHash === 'string') this.closeHere(tokenHash)
    })
  }

  /** Listens for revocations made by other processes (the admin CLI) on PostgreSQL; PGlite has a single process. */
  async listen(db: Database): Promise<void> {
    if (db.kind !== 'postgres') return
    const { unlisten } = await db.sql.listen(TOKEN_REVOKED_CHANNEL, (tokenHash) => this.closeHere(tokenHash))
    this.unlisten = unlisten
  }

  /** Remembers a Yjs websocket opened with the token of this hash until it closes. */
  trackYjs(tokenHash: string, ws: WebSocket): void {
    let set = this.yjs.get(tokenHash)
    if (!set) this.yjs.set(tokenHash, (set = new Set()))
    set.add(ws)
    ws.once('close', () => {
      set.delete(ws)
      if (set.size === 0 && this.yjs.get(tokenHash) === set) this.yjs.delete(tokenHash)
    })
  }

  /** Closes every socket opened with the revoked token, in every process. */
  revoked(tokenHash: string): void {
    this.closeHere(tokenHash)
    this.io.serverSideEmit(REVOKED_EVENT, tokenHash)
  }

  private closeHere(tokenHash: string): void {
    for (const ws of this.yjs.get(tokenHash) ?? []) ws.close(TOKEN_REVOKED_CLOSE.code, TOKEN_REVOKED_CLOSE.reason)
    this.io.in(`token:${tokenHash}`).local.disconnectSockets(true)
  }

  /** Stops listening for NOTIFY. */
  async close(): Promise<void> {
    await this.unlisten?.()
  }
}
