/**
 * A fuzzer (fast-check) sends ≥10,000 generated frames to the Yjs endpoint and malformed
 * events to socket.io: the process stays up, other clients keep syncing, and the stored
 * document's content is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { io as connectSocketIo } from 'socket.io-client'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor } from '../support/fixtures'
import { startTestServer } from '../support/server'

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 10_000)

const varuintFrame = (...parts: (number | Uint8Array | string)[]) => {
  const e = encoding.createEncoder()
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p)
    else if (typeof p === 'string') encoding.writeVarString(e, p)
    else encoding.writeVarUint8Array(e, p)
  }
  return encoding.toUint8Array(e)
}

/** An update whose dependencies the server has never seen: only the second of two edits. */
function updateWithMissingDependency(seed: number): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 1_000_000 + seed
  const text = doc.getText('fuzz')
  text.insert(0, 'erste')
  const sv = Y.encodeStateVector(doc)
  text.insert(5, ' zweite')
  return Y.encodeStateAsUpdate(doc, sv)
}

const frameArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 200 }),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 64 })).map(([t, rest]) => new Uint8Array([t, ...rest])),
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 8 })).map(([sub, n]) => new Uint8Array([0, sub, ...Array(n).fill(0x80)])),
  fc.constantFrom(new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]), new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x07, 1])),
  fc.integer({ min: 0, max: 1000 }).map((seed) => varuintFrame(0, 2, updateWithMissingDependency(seed))),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 40 })).map(([client, clock, json]) => varuintFrame(1, varuintFrame(1, client, clock, json))),
  fc.constant(varuintFrame(3)),
  fc.uint8Array({ maxLength: 40 }).map((sv) => varuintFrame(0, 0, sv)),
)

describe('fuzzing the endpoints', () => {
  let db: TestDatabase
  let server: RunningServer
  let token: string
  let boardId: string
  let bystander: Client
  let contentBefore: unknown

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { LIVE_EVENT_BURST: '1000' }) // 300 malformed events in a row: about validation, not the event rate (tests/security/live-event-rate.test.ts)
    const editor = await makeEditor(server.db.sql)
    token = editor.token
    boardId = await createBoard(server.url, token, editor.municipalityId)
    bystander = connectClient(server.url, boardId, token)
    await bystander.synced
    bystander.doc.getMap('tl_records').set('shape:keep', { kept: true })
    await waitFor(async () => (await loadBoardDoc(server.db.sql, boardId, console)).doc.getMap('tl_records').size === 1, 'edit stored')
    contentBefore = (await loadBoardDoc(server.db.sql, boardId, console)).doc.getMap('tl_records').toJSON()
  })
  afterAll(async () => {
    bystander?.destroy()
    await server?.close()
    await db?.drop()
  })

  it(`${FRAMES} generated frames change nothing that anyone sees`, { timeout: 300_000 }, async () => {
    const frames = fc.sample(frameArbitrary, { numRuns: FRAMES, seed: 20171207 })
    let socket: WebSocket | null = null
    let connections = 0
    const open = async () => {
      connections++
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${boardId}`, { headers: { authorization: `Bearer ${token}` } })
      ws.on('error', () => {})
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('unexpected-response', (_r, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
      })
      return ws
    }
    for (const frame of frames) {
      if (!socket || socket.readyState !== WebSocket.OPEN) socket = await open()
      const current = socket
      await new Promise<void>((resolve) => {
        current.send(frame, () => resolve())
      })
      // Let the server answer (or close) before the next frame, so closes are seen.
      if (frame[0] !== 1 && frame[0] !== 3) await new Promise((r) => setImmediate(r))
    }
    socket?.close()
    expect(connections).toBeGreaterThan(1)

    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
    const content = (await loadBoardDoc(server.db.sql, boardId, console)).doc.getMap('tl_records').toJSON()
    expect(content).toEqual(contentBefore)
    // The bystander still syncs with a newcomer.
    bystander.doc.getMap('tl_records').set('shape:after', { ok: true })
    const newcomer = connectClient(server.url, boardId, token)
    await newcomer.synced
    await waitFor(() => newcomer.doc.getMap('tl_records').has('shape:after'), 'newcomer sees the bystander’s new edit')
    expect(newcomer.doc.getMap('tl_records').get('shape:keep')).toEqual({ kept: true })
    newcomer.destroy()
    console.log(`fuzz: ${frames.length} frames over ${connections} connections`)
  })

  it('socket.io events with wrong shapes are answered with an error and the server stays up', async () => {
    const socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token } })
    const payloads = fc.sample(fc.anything({ maxDepth: 3 }), { numRuns: 300, seed: 42 })
    for (const payload of payloads) {
      const reply = await socket.timeout(5000).emitWithAck('board:join', payload)
      expect(reply.ok).toBe(false)
    }
    socket.emit('no-such-event', { x: 1 })
    socket.emit('board:join', { boardId }, 'not-a-function')
    expect((await socket.timeout(5000).emitWithAck('board:join', { boardId })).ok).toBe(true)
    socket.disconnect()
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
