/**
 * The Yjs websocket endpoint: `/yjs/<boardId>` upgrades to the y-websocket protocol. The
 * board is checked before the upgrade (unknown: 404), then the socket joins the board's room.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { Rooms } from '../collab'
import type { Sql } from '../db/client.server'
import * as boards from '../db/boards.server'

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
export function yjsUpgradeHandler(deps: { sql: Sql; rooms: Rooms; maxMessageBytes: number }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes })
  const handle = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = yjsPath.exec(new URL(req.url ?? '/', 'http://localhost').pathname)
    const boardId = match ? decodeURIComponent(match[1]) : ''
    const board = await boards.getBoard(deps.sql, boardId)
    if (!board) return refuseUpgrade(socket, 404, 'Not Found')
    wss.handleUpgrade(req, socket, head, (ws) => {
      void deps.rooms.connect(board.id, ws, { canWrite: true })
    })
  }
  return {
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      handle(req, socket, head).catch(() => refuseUpgrade(socket, 503, 'Service Unavailable')),
    close: () => wss.close(),
  }
}
