/**
 * Limits of the Yjs endpoint, each with a clear error to the offending client only: messages
 * per second per connection (closed with 1013 "try again later", edits kept), open connections per person
 * (upgrade refused with 429), document size (the update is refused with a notice, not stored,
 * not shown to anyone). Real server, real websockets, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import { CloseCode, decodeNotice, encodeUpdate, messageNotice, type Notice } from '../../collab/protocol'
import { countLogRows } from '../../db/board-documents.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, openRawSocket, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'

const MESSAGES_PER_SECOND = 20
const BURST = 20
const CONNECTIONS_PER_PERSON = 3
const MAX_DOCUMENT_BYTES = 20_000
const silent = { error: () => {} }

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

/** Collects the notices the server sends on a raw socket. */
function notices(ws: WebSocket): Notice[] {
  const received: Notice[] = []
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    if (decoding.readVarUint(decoder) === messageNotice) received.push(decodeNotice(decoder))
  })
  return received
}

/** Tries to open a socket; resolves with the HTTP status and body of a refused upgrade, or 101 and the socket. */
function tryOpen(url: string, boardId: string, token: string): Promise<{ status: number; body: string; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/yjs/${boardId}`, { headers: { authorization: `Bearer ${token}` } })
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.on('open', () => resolve({ status: 101, body: '', ws }))
    ws.on('error', () => {})
  })
}

describe('limits of the Yjs endpoint', () => {
  let db: TestDatabase
  let server: RunningServer
  let municipalityId: string
  let token: string
  const cleanup: (() => void)[] = []
  /** A new writer of the municipality (each client its own person, so the per-person limit stays out of the way). */
  const writerToken = async () => (await makePerson(server.db.sql, 'Schreiberin', [{ role: 'participant', municipalityId }])).token

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db, {
      WS_MESSAGES_PER_SECOND: String(MESSAGES_PER_SECOND),
      WS_MESSAGE_BURST: String(BURST),
      MAX_CONNECTIONS_PER_PERSON: String(CONNECTIONS_PER_PERSON),
      MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES),
    })
    const editor = await makeEditor(server.db.sql)
    token = editor.token
    municipalityId = editor.municipalityId
  })
  afterAll(async () => {
    for (const fn of cleanup) fn()
    await server?.close()
    await db?.drop()
  })

  it('closes a flooding connection with 1013, keeps its edits (resent on reconnect) and leaves the others syncing', async () => {
    const boardId = await createBoard(server.url, token, municipalityId)
    const bystander = connectClient(server.url, boardId, await writerToken())
    const other = connectClient(server.url, boardId, await writerToken())
    cleanup.push(
      () => bystander.destroy(),
      () => other.destroy(),
    )
    await Promise.all([bystander.synced, other.synced])

    // A raw flood of harmless frames: closed with the documented code and reason.
    const flooder = await openRawSocket(server.url, boardId, await writerToken())
    const flooderClosed = closed(flooder)
    for (let i = 0; i < 3 * BURST; i++) flooder.send(new Uint8Array([3]))
    const { code, reason } = await flooderClosed
    expect(code).toBe(CloseCode.tooManyMessages)
    expect(reason).toMatch(/messages per second/)

    // A stock client making many edits at once is closed too, reconnects by itself, and nothing it wrote is lost.
    const hasty = connectClient(server.url, boardId, await writerToken())
    cleanup.push(() => hasty.destroy())
    await hasty.synced
    let closes = 0
    hasty.provider.on('connection-close', (event: { code: number } | null) => {
      if (event?.code === CloseCode.tooManyMessages) closes++
    })
    const edits = 3 * BURST
    for (let i = 0; i < edits; i++) hasty.doc.getMap('tl_records').set(`shape:hasty${i}`, { i })
    await waitFor(() => closes > 0, 'the hasty client was closed for its rate')
    await waitFor(() => bystander.doc.getMap('tl_records').size === edits, 'every hasty edit reached the bystander', 15_000)
    await waitFor(async () => (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').size === edits, 'every hasty edit is stored')

    // The bystanders never lost their connection and still sync with each other.
    expect(bystander.provider.wsconnected).toBe(true)
    other.doc.getMap('tl_records').set('shape:calm', { calm: true })
    await waitFor(() => bystander.doc.getMap('tl_records').has('shape:calm'), 'bystanders still sync')
  })

  it('refuses a connection beyond MAX_CONNECTIONS_PER_PERSON with 429, for that person only', async () => {
    const boardId = await createBoard(server.url, token, municipalityId)
    const crowd = await makePerson(server.db.sql, 'Viele Tabs', [{ role: 'participant', municipalityId }])
    const open: WebSocket[] = []
    for (let i = 0; i < CONNECTIONS_PER_PERSON; i++) open.push(await openRawSocket(server.url, boardId, crowd.token))
    cleanup.push(() => open.forEach((ws) => ws.terminate()))

    const refused = await tryOpen(server.url, boardId, crowd.token)
    expect(refused.status).toBe(429)
    expect(refused.body).toMatch(new RegExp(`at most ${CONNECTIONS_PER_PERSON} open board connections per person`))

    // Another person is not affected, and the existing connections keep working.
    const someoneElse = await tryOpen(server.url, boardId, await writerToken())
    expect(someoneElse.status).toBe(101)
    someoneElse.ws!.close()
    expect(open.every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true)

    // Closing one frees its place.
    const gone = closed(open[0])
    open[0].close()
    await gone
    let again: Awaited<ReturnType<typeof tryOpen>> = { status: 0, body: '' }
    await waitFor(async () => (again = await tryOpen(server.url, boardId, crowd.token)).status === 101, 'a place is free again')
    again.ws!.close()
  })

  it('refuses an update that would make the document exceed MAX_DOCUMENT_BYTES: not stored, not shown, sender told', async () => {
    const boardId = await createBoard(server.url, token, municipalityId)
    const bystander = connectClient(server.url, boardId, await writerToken())
    cleanup.push(() => bystander.destroy())
    await bystander.synced
    const writer = await openRawSocket(server.url, boardId, await writerToken())
    cleanup.push(() => writer.terminate())
    const told = notices(writer)
    const local = new Y.Doc()
    const send = (change: () => void) => {
      const before = Y.encodeStateVector(local)
      change()
      writer.send(encodeUpdate(Y.encodeStateAsUpdate(local, before)))
    }
    const records = local.getMap('tl_records')
    const chunk = 'x'.repeat(MAX_DOCUMENT_BYTES * 0.4)

    send(() => records.set('shape:a', chunk))
    send(() => records.set('shape:b', chunk))
    await waitFor(() => bystander.doc.getMap('tl_records').has('shape:b'), 'two chunks fit')
    send(() => records.set('shape:c', chunk))
    await waitFor(() => told.length > 0, 'the writer is told')
    expect(told[0]).toEqual({ kind: 'refused', reason: 'document-too-large' })
    expect(writer.readyState).toBe(WebSocket.OPEN)
    const stored = (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records')
    expect([...stored.keys()].sort()).toEqual(['shape:a', 'shape:b'])
    expect(await countLogRows(server.db.sql, boardId)).toBe(2)
    expect(bystander.doc.getMap('tl_records').has('shape:c')).toBe(false)

    // Deleting is always accepted; afterwards there is room again for others' edits.
    bystander.doc.getMap('tl_records').delete('shape:a')
    await waitFor(async () => !(await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').has('shape:a'), 'deletion stored')
    bystander.doc.getMap('tl_records').set('shape:small', { ok: true })
    await waitFor(async () => (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').has('shape:small'), 'a small edit fits again')
  })
})
