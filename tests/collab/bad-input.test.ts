/** Hostile or broken frames close only the sender's connection; the room, other clients and the stored document stay as they were. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { countLogRows } from '../../db/board-documents.server'
import { connectClient, createBoard, openRawSocket, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { startTestServer } from '../support/server'
import type { RunningServer } from '../../server/app'
import { makeEditor } from '../support/fixtures'

const MAX_BYTES = 64 * 1024
const silent = { error: () => {} }

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

describe('bad input', () => {
  let db: TestDatabase
  let server: RunningServer
  let boardId: string
  let token: string
  let bystander: Client
  let storedBefore: unknown

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, { MAX_MESSAGE_BYTES: String(MAX_BYTES) })
    const editor = await makeEditor(server.db.sql)
    token = editor.token
    boardId = await createBoard(server.url, token, editor.municipalityId)
    bystander = connectClient(server.url, boardId, token)
    await bystander.synced
    bystander.doc.getMap('tl_records').set('shape:keep', { kept: true })
    await waitFor(async () => (await countLogRows(server.db.sql, boardId)) === 1, 'first edit stored')
    storedBefore = (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').toJSON()
  })
  afterAll(async () => {
    bystander?.destroy()
    await server?.close()
    await db?.drop()
  })

  async function expectNothingChanged() {
    expect((await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').toJSON()).toEqual(storedBefore)
    expect(await countLogRows(server.db.sql, boardId)).toBe(1)
    // The bystander is still connected and still syncs.
    expect(bystander.provider.wsconnected).toBe(true)
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
  }

  const cases: [string, () => Uint8Array, number][] = [
    ['random bytes', () => new Uint8Array([7, 200, 13, 99, 1, 0, 255, 42, 17]), 1007],
    [
      'a truncated sync message',
      () =>
        frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint(e, 50)
        }),
      1007,
    ],
    [
      'an update that does not decode',
      () =>
        frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint8Array(e, new Uint8Array([5, 250, 250, 250, 1, 2, 3]))
        }),
      1007,
    ],
    ['an unknown message type', () => frame((e) => encoding.writeVarUint(e, 42)), 1007],
    [
      'a broken awareness update',
      () =>
        frame((e) => {
          encoding.writeVarUint(e, 1)
          encoding.writeVarUint8Array(
            e,
            frame((a) => {
              encoding.writeVarUint(a, 1)
              encoding.writeVarUint(a, 5)
              encoding.writeVarUint(a, 1)
              encoding.writeVarString(a, '{not json')
            }),
          )
        }),
      1007,
    ],
    ['an oversized frame', () => new Uint8Array(MAX_BYTES + 10), 1009],
  ]

  it.each(cases)('%s closes only that connection, with a clear code', async (_name, make, expectedCode) => {
    const ws = await openRawSocket(server.url, boardId, token)
    const done = closed(ws)
    ws.send(make())
    const { code } = await done
    expect(code).toBe(expectedCode)
    await expectNothingChanged()
  })

  it('a text frame is refused', async () => {
    const ws = await openRawSocket(server.url, boardId, token)
    const done = closed(ws)
    ws.send('hello')
    expect((await done).code).toBe(1007)
    await expectNothingChanged()
  })

  it('a valid update after the bad ones still reaches everyone', async () => {
    const other = connectClient(server.url, boardId, token)
    await other.synced
    other.doc.getMap('tl_records').set('shape:after', { ok: true })
    await waitFor(() => bystander.doc.getMap('tl_records').has('shape:after'), 'bystander receives a good edit')
    other.destroy()
    await waitFor(async () => (await countLogRows(server.db.sql, boardId)) === 2, 'the good edit is stored')
    const stored = (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').toJSON()
    expect(Object.keys(stored).sort()).toEqual(['shape:after', 'shape:keep'])
  })
})
