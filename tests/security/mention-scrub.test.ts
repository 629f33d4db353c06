/**
 * Deleting a person scrubs "@Name" mentions of exactly that name from comments — the whole name,
 * never the start of another person's ("@Anna" is not in "@Annabell") — and keeps the rest (issue 16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as boards from '../../db/boards.server'
import * as comments from '../../db/comments.server'
import { DELETED_MENTION, deletePerson } from '../../db/privacy.server'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { makeEditor, makePerson } from '../support/fixtures'
import { withDatabase } from '../support/fixtures'

describe('scrubbing mentions of a deleted person', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('replaces "@Anna" as a whole name only, leaving "@Annabell" and "@Anna_2" alone', async () => {
    await withDatabase(db, async (sql) => {
      const { municipalityId, person: author } = await makeEditor(sql)
      const anna = await makePerson(sql, 'Anna', [{ role: 'participant', municipalityId }])
      const annabell = await makePerson(sql, 'Annabell', [{ role: 'participant', municipalityId }])
      const board = await boards.createBoard(sql, { title: 'Erwähnungen', municipalityId })
      const texts = ['@Anna und @Annabell, bitte prüfen', '@Annabell allein', 'Hallo @Anna.', 'Frag @Anna-Lena', 'E-Mail an @Anna_2']
      for (const body of texts) {
        await comments.createThread(sql, { boardId: board.id, anchor: { kind: 'board', id: '', label: '' }, authorId: author.id, body, mentions: body.includes('@Anna ') ? [anna.id, annabell.id] : [annabell.id] })
      }
      expect(await deletePerson(sql, anna.id)).toBe(anna.email)
      const stored = await sql<{ body: string; mentions: string[] }[]>`select body, mentions from comments order by created_at`
      expect(stored.map((c) => c.body)).toEqual([
        `${DELETED_MENTION} und @Annabell, bitte prüfen`,
        '@Annabell allein',
        `Hallo ${DELETED_MENTION}.`,
        // A hyphen ends a name in a mention: "@Anna-Lena" reads as a mention of Anna (there is no Anna-Lena).
        `Frag ${DELETED_MENTION}-Lena`,
        'E-Mail an @Anna_2',
      ])
      for (const c of stored) expect(c.mentions).not.toContain(anna.id)
      expect(stored[1]!.mentions).toEqual([annabell.id])
    })
  })
})
