/**
 * Deleting a person scrubs their name from the documents: tldraw's `user:<personId>` record
 * (name, picture) and exact mentions in records' meta, on every board — stored before anyone
 * sees it — while their shapes stay. Connected clients receive the scrubbed record live.
 * Comments that mention them keep their text, with the mention replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBoardDoc } from '../../collab/storage-postgres.server'
import type { RunningServer } from '../../server/app'
import { connectClient, createBoard, waitFor, type Client } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { startTestServer } from '../support/server'

const silent = { error: () => {} }
const NAME = 'Aylin Yılmaz-Schröder'

describe('deleting a person scrubs their name from stored documents', () => {
  let db: TestDatabase
  let server: RunningServer
  const clients: Client[] = []

  beforeAll(async () => {
    // PostgreSQL: PGlite's first start can exceed the hook timeout on a loaded machine.
    db = await createTestDatabase('postgres')
    server = await startTestServer(db)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
    await db?.drop()
  })

  it('the name is gone from every stored board while the contributions stay', async () => {
    const { token, municipalityId } = await makeEditor(server.db.sql)
    const admin = await makePerson(server.db.sql, 'Admin', [{ role: 'administrator' }])
    const aylin = await makePerson(server.db.sql, NAME, [{ role: 'participant', municipalityId }])
    const boards = [await createBoard(server.url, token, municipalityId, 'Erstes'), await createBoard(server.url, token, municipalityId, 'Zweites')]
    const userId = `user:${aylin.id}`
    for (const boardId of boards) {
      const c = connectClient(server.url, boardId, aylin.token)
      clients.push(c)
      await c.synced
      const records = c.doc.getMap('tl_records')
      records.set(userId, { typeName: 'user', id: userId, name: NAME, color: '#e03131', imageUrl: 'data:image/png;base64,AAAA', meta: {} })
      records.set('shape:aylins', { typeName: 'shape', id: 'shape:aylins', type: 'geo', meta: { author: NAME, topic: 'Konfliktfeld Schule' } })
      records.set('user:other', { typeName: 'user', id: 'user:other', name: 'Bernd', color: '#1971c2', imageUrl: '', meta: {} })
      await waitFor(async () => (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').size === 3, 'stored')
    }
    // A colleague mentions Aylin in a comment, by the picker and in the text.
    const comment = await fetch(`${server.url}/api/v1/boards/${boards[0]}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ anchor: { kind: 'board' }, body: `Bitte @${NAME} fragen, ob die Schule zustimmt.`, mentions: [aylin.id] }),
    })
    expect(comment.status).toBe(201)
    const bystander = connectClient(server.url, boards[0], token)
    clients.push(bystander)
    await bystander.synced
    // Aylin's own clients are closed by the deletion; the bystander stays.

    const res = await fetch(`${server.url}/api/v1/people/${aylin.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin.token}` } })
    expect(res.status).toBe(204)

    for (const boardId of boards) {
      const stored = (await loadBoardDoc(server.db.sql, boardId, silent)).doc.getMap('tl_records').toJSON()
      expect(JSON.stringify(stored)).not.toContain(NAME)
      expect(JSON.stringify(stored)).not.toContain('data:image/png')
      expect(stored[userId]).toMatchObject({ id: userId, name: '', imageUrl: '' })
      expect(stored['shape:aylins']).toMatchObject({ type: 'geo', meta: { author: '', topic: 'Konfliktfeld Schule' } })
      expect(stored['user:other']).toMatchObject({ name: 'Bernd' })
    }
    await waitFor(() => (bystander.doc.getMap('tl_records').get(userId) as { name: string }).name === '', 'the bystander sees the scrubbed record')
    const [stored] = await server.db.sql<{ body: string; mentions: string[] }[]>`select body, mentions from comments`
    expect(stored.body).toBe('Bitte @(gelöschte Person) fragen, ob die Schule zustimmt.')
    expect(stored.mentions).toEqual([])
  })
})
