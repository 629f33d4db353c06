/**
 * Secrets never reach the log: a server at the most verbose level sees a sign-in with a
 * password, tokens and cookies on every channel and an invitation link — none of them, nor
 * any document content, appears in its output.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { io as connectSocketIo } from 'socket.io-client'
import WebSocket from 'ws'
import { hashPassword } from '../../access'
import * as people from '../../db/people.server'
import { connectClient, createBoard } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, withDatabase } from '../support/fixtures'
import { startChildServer, type ChildServer } from '../support/server'

describe('secrets in logs', () => {
  let db: TestDatabase | undefined
  let server: ChildServer | undefined
  afterAll(async () => {
    server?.process.kill('SIGKILL')
    await server?.exited
    await db?.drop()
  })

  it('passwords, tokens, cookies, invitation links and board content are never logged', { timeout: 90_000 }, async () => {
    db = await createTestDatabase()
    const password = 'Pa55wort-nie-im-Log'
    const world = await withDatabase(db, async (sql) => {
      const w = await buildWorld(sql)
      await people.updatePerson(sql, w.person.participantHamm.id, { passwordHash: await hashPassword(password) })
      return w
    })
    server = await startChildServer(db, { LOG_LEVEL: 'trace' })
    const url = server.url
    const hamm = world.person.participantHamm

    // Sign in through the page, with a right and a wrong password.
    const form = (pw: string) =>
      fetch(`${url}/anmelden`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
        body: new URLSearchParams({ email: hamm.email, password: pw, weiter: '/' }),
        redirect: 'manual',
      })
    const signedIn = await form(password)
    expect(signedIn.status).toBe(302)
    const sessionCookie = signedIn.headers.get('set-cookie')!.split(';')[0]
    await form(`${password}-falsch`)

    // Tokens and cookies on the API, the Yjs socket and socket.io; an invitation link.
    const lecturer = world.person.lecturer
    const invitation = await (
      await fetch(`${url}/api/v1/invitations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lecturer.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'neu@hamm.test', role: 'participant', courseId: world.course.id, municipalityId: world.municipality.hamm.id }),
      })
    ).json()
    const boardId = await createBoard(url, hamm.token, world.municipality.hamm.id)
    const client = connectClient(url, boardId, hamm.token)
    await client.synced
    client.doc.getMap('tl_records').set('shape:secret', { text: 'Vertraulicher Fall Moscheebau' })
    await new Promise((r) => setTimeout(r, 200))
    client.destroy()
    const ws = new WebSocket(`${url.replace('http', 'ws')}/yjs/${boardId}`, { headers: { cookie: sessionCookie } })
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(new Uint8Array([9, 9, 9]))
    await new Promise((resolve) => ws.once('close', resolve))
    const socket = connectSocketIo(url, { transports: ['websocket'], forceNew: true, auth: { token: lecturer.token } })
    await socket.timeout(5000).emitWithAck('board:join', { boardId })
    socket.disconnect()
    await fetch(`${url}/api/v1/me`, { headers: { authorization: 'Bearer wr_pat_guessed-token-value' } })

    server.process.kill('SIGTERM')
    await server.exited
    const log = server.output()
    expect(log.length).toBeGreaterThan(500)
    const secrets = [password, hamm.token, lecturer.token, sessionCookie.split('=')[1], hamm.cookie.split('=')[1], invitation.link.split('/').pop(), 'wr_pat_guessed-token-value', 'Vertraulicher Fall']
    for (const secret of secrets) expect(log, `log contains ${secret.slice(0, 12)}…`).not.toContain(secret)
  })
})
