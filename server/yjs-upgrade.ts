/**
 * The Yjs websocket endpoint: `/yjs/<boardId>` upgrades to the y-websocket protocol. Before
 * the upgrade the request is authenticated (401 without a session or token), the board looked
 * up (404) and the policy asked (403 without access); then the socket joins the board's room,
 * read-only when the person may only read. A person at their connection limit is refused
 * with 429 (MAX_CONNECTIONS_PER_PERSON, docs/decisions/0013-limits.md).
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { boardAccess, can, credentialFor, loadPrincipal, type Credential } from '../access'
import type WebSocket from 'ws'
import type { Rooms } from '../collab'
import { PersonConnections } from '../collab/limits'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'
import { getPerson } from '../db/people.server'
import { presenceIdentity } from '../collab/presence-identity'

const yjsPath = /^\/yjs\/([^/]+)\/?$/

/** Writes a plain HTTP error on a socket that asked for an upgrade, and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, text: string) {
  if (socket.destroyed) return
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  )
}

/** True when the upgrade request is for the Yjs endpoint. */
export function isYjsUpgrade(req: IncomingMessage): boolean {
  return yjsPath.test(new URL(req.url ?? '/', 'http://localhost').pathname)
}

/** Creates the upgrade handler for /yjs/<boardId>. */
export function yjsUpgradeHandler(deps: {
  sql: Sql
  rooms: Rooms
  maxMessageBytes: number
  connectionsPerPerson: number
  sameOrigin: (req: IncomingMessage) => boolean
  /** Called with each opened socket and what it signed in with (server/live-sessions.ts closes it when that ends). */
  opened: (ws: WebSocket, credential: Credential) => void
}) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes })
  const perPerson = new PersonConnections(deps.connectionsPerPerson)
  const handle = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A browser on another site must not ride on the person's cookie (cross-site websocket hijacking).
    if (!deps.sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden')
    const credential = await credentialFor(deps.sql, { cookie: req.headers.cookie, authorization: req.headers.authorization })
    if (!credential) return refuseUpgrade(socket, 401, 'Unauthorized')
    const principal = await loadPrincipal(deps.sql, credential.personId)
    const match = yjsPath.exec(new URL(req.url ?? '/', 'http://localhost').pathname)
    const board = await boards.getBoard(deps.sql, match ? safeDecode(match[1]) : '')
    if (!board) return refuseUpgrade(socket, 404, 'Not Found')
    const access = boardAccess(principal, board)
    if (access === 'none') return refuseUpgrade(socket, 403, 'Forbidden')
    // The name others see with this person's cursor is the signed-in one, never what the page sends (issue 16).
    const person = await getPerson(deps.sql, principal.personId)
    const identity = presenceIdentity(principal.personId, person?.name ?? '')
    const release = perPerson.reserve(principal.personId)
    if (!release) {
      return refuseUpgrade(socket, 429, `Too Many Requests: at most ${perPerson.limit} open board connections per person; close another tab`)
    }
    // The raw socket closes when the websocket does, or when the upgrade never completes.
    socket.once('close', release)
    if (socket.destroyed) return release()
    wss.handleUpgrade(req, socket, head, (ws) => {
      deps.opened(ws, credential)
      const exemptFromLocks = can(principal, { type: 'board.facilitate', board })
      void deps.rooms.connect(board.id, ws, { canWrite: access === 'write', personId: principal.personId, exemptFromLocks, identity })
    })
  }
  return {
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      handle(req, socket, head).catch(() => refuseUpgrade(socket, 503, 'Service Unavailable')),
    close: () => wss.close(),
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return ''
  }
}
