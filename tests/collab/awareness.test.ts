/**
 * Awareness (cursors, names) is relayed only as the server allows (issue 16): the identity
 * fields of every state come from the signed-in connection, so a read-only guest replaying the
 * lecturer's state appears under the guest's own name, with no chat text; a connection cannot
 * publish under another client's id; a 1 MB state and 5,000 fake client ids are not relayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { encodeAwareness } from '../../collab/protocol'
import { presenceColor } from '../../collab/presence-identity'
import type { RunningServer } from '../../server/app'
import { connectClient, openRawSocket, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

/** An awareness update as y-protocols encodes it: count, then client id, clock and JSON per state. */
function awarenessUpdate(states: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, states.length)
  for (const { clientId, clock, state } of states) {
    encoding.writeVarUint(e, clientId)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  return encoding.toUint8Array(e)
}

describe('awareness from the server’s point of view', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let boardId: string
  let lecturer: Client
  let observer: Client
  const clients: Client[] = []
  const sockets: WebSocket[] = []

  const presence = (userId: string, userName: string, color: string, chatMessage = '') => ({
    presence: { userId, userName, color, chatMessage, cursor: { x: 10, y: 20, type: 'default', rotation: 0 }, currentPageId: 'page:page' },
  })
  const seenBy = (client: Client, clientId: number) => client.provider.awareness.getStates().get(clientId) as { presence?: Record<string, unknown> } | undefined

  /** A lecturer's state change the observer sees; once it has it, anything sent before it would have arrived too. */
  let sentinel = 0
  const afterSentinel = async () => {
    const mark = `sentinel-${++sentinel}`
    lecturer.provider.awareness.setLocalState(presence(`user:${world.person.lecturer.id}`, 'Dozentin', '#1971c2', mark))
    await waitFor(() => seenBy(observer, lecturer.doc.clientID)?.presence?.chatMessage === mark, 'the observer sees the sentinel')
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    boardId = world.board.hamm.id
    lecturer = connectClient(server.url, boardId, world.person.lecturer.token)
    observer = connectClient(server.url, boardId, world.person.mediatorHamm.token)
    clients.push(lecturer, observer)
    await Promise.all([lecturer.synced, observer.synced])
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('every state carries the identity of its signed-in connection: a guest replaying the lecturer’s state appears as the guest, without chat text', async () => {
    const lecturerState = presence(`user:${world.person.lecturer.id}`, 'Dozentin', '#e03131')
    lecturer.provider.awareness.setLocalState(lecturerState)
    await waitFor(() => seenBy(observer, lecturer.doc.clientID)?.presence?.userName === 'Dozentin', 'the lecturer’s cursor arrives')
    expect(seenBy(observer, lecturer.doc.clientID)?.presence).toMatchObject({ userId: `user:${world.person.lecturer.id}`, color: presenceColor(world.person.lecturer.id) })

    const guest = await openRawSocket(server.url, boardId, world.person.guestHamm.token)
    sockets.push(guest)
    const guestClientId = 4242
    const forged = presence(`user:${world.person.lecturer.id}`, 'Dozentin', '#e03131', 'Bitte alle Notizen löschen')
    guest.send(encodeAwareness(awarenessUpdate([{ clientId: guestClientId, clock: 1, state: forged }])))
    // The replay under the lecturer's own client id, with a higher clock, is not relayed at all.
    guest.send(encodeAwareness(awarenessUpdate([{ clientId: lecturer.doc.clientID, clock: 10_000, state: forged }])))
    await waitFor(() => seenBy(observer, guestClientId) !== undefined, 'the guest’s cursor arrives')
    expect(seenBy(observer, guestClientId)?.presence).toMatchObject({
      userId: `user:${world.person.guestHamm.id}`,
      userName: 'Gast Hamm',
      color: presenceColor(world.person.guestHamm.id),
      chatMessage: '',
      cursor: { x: 10, y: 20 },
    })
    await afterSentinel()
    expect(seenBy(observer, lecturer.doc.clientID)?.presence?.chatMessage).toMatch(/^sentinel/)
    expect([...observer.provider.awareness.getStates().values()].some((s) => JSON.stringify(s).includes('Bitte alle Notizen'))).toBe(false)
  })

  it('a 1 MB state and 5,000 fake client ids are not relayed', async () => {
    const writer = await openRawSocket(server.url, boardId, world.person.participantHamm.token)
    sockets.push(writer)
    const statesBefore = observer.provider.awareness.getStates().size
    writer.send(encodeAwareness(awarenessUpdate([{ clientId: 777, clock: 1, state: { presence: { cursor: { x: 1, y: 1 } }, padding: 'x'.repeat(1024 * 1024) } }])))
    writer.send(encodeAwareness(awarenessUpdate(Array.from({ length: 5000 }, (_, i) => ({ clientId: 100_000 + i, clock: 1, state: presence('user:fake', `Fake ${i}`, '#000000') })))))
    await afterSentinel()
    const added = observer.provider.awareness.getStates().size - statesBefore
    // At most the few client ids one connection may own pass, each stamped with the writer's name.
    expect(added).toBeLessThanOrEqual(2)
    expect(seenBy(observer, 777)).toBeUndefined()
    for (const [id, state] of observer.provider.awareness.getStates()) {
      if (id >= 100_000 && id < 105_000) expect((state as { presence: { userName: string } }).presence.userName).toBe('Teilnehmerin Hamm')
    }
  })

  it('a burst of 300 cursor moves is thinned to the awareness rate (60/s, burst 120) and the socket stays open; the next move after a pause arrives', async () => {
    const writer = await openRawSocket(server.url, boardId, world.person.participantHamm.token)
    sockets.push(writer)
    const clientId = 424_242
    let relayed = 0
    const count = ({ added, updated }: { added: number[]; updated: number[] }) => {
      if (added.includes(clientId) || updated.includes(clientId)) relayed++
    }
    observer.provider.awareness.on('update', count)
    const move = (clock: number, x: number) => {
      const state = presence('user:x', 'x', '#000000')
      state.presence.cursor.x = x
      writer.send(encodeAwareness(awarenessUpdate([{ clientId, clock, state }])))
    }
    for (let i = 1; i <= 300; i++) move(i, i)
    await afterSentinel()
    expect(relayed).toBeGreaterThan(0)
    // The bucket holds 120 and refills at 60/s while the burst is read: far fewer than 300 pass.
    expect(relayed).toBeLessThanOrEqual(140)
    expect(writer.readyState).toBe(writer.OPEN)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    move(301, 9_999)
    await waitFor(() => (seenBy(observer, clientId)?.presence?.cursor as { x: number } | undefined)?.x === 9_999, 'the move after the pause arrives')
    observer.provider.awareness.off('update', count)
  })

  it('a page’s own awareness keeps working: the stock provider publishes under its client id with the signed-in name', async () => {
    const participant = connectClient(server.url, boardId, world.person.participantHamm.token, new Y.Doc())
    clients.push(participant)
    await participant.synced
    participant.provider.awareness.setLocalState(presence('user:someone-else', 'Jemand anderes', '#ffffff'))
    await waitFor(() => seenBy(observer, participant.doc.clientID) !== undefined, 'the participant’s cursor arrives')
    expect(seenBy(observer, participant.doc.clientID)?.presence).toMatchObject({ userId: `user:${world.person.participantHamm.id}`, userName: 'Teilnehmerin Hamm' })
    participant.destroy()
    await waitFor(() => seenBy(observer, participant.doc.clientID) === undefined, 'and it is gone when the page leaves')
  })
})
