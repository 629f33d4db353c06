/**
 * Labels the server writes come in the reader's language, or the course's (decision 0028):
 * phase and session-end snapshot labels, script errors, a new board's first page, the captions of a
 * stored Systemdesign picture, and a course's language stored with it (German by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { migrate, openDatabase, type Database } from '../../db'
import { createCourse, getCourse } from '../../db/courses.server'
import { phaseSnapshotLabel } from '../../collab/features/phase-snapshots.server'
import { insertTemplateFrame, planMessage } from '../../collab/features/session-script.server'
import { boardSvg } from '../../collab/features/snapshots.server'
import { readRecords } from '../../domain/board/document'
import { buildTemplate } from '../../domain/templates/catalogue'
import { createTestDatabase, type TestDatabase } from '../support/database'

describe('server labels', () => {
  it('names phase and session-end snapshots in the course language, German by default', () => {
    const session = { moduleNumber: 2, title: 'Modultag' }
    expect(phaseSnapshotLabel(session, { index: 2, title: 'Akteursanalyse' })).toBe('Modul 2 – Phase 3 – Akteursanalyse')
    expect(phaseSnapshotLabel(session, null)).toBe('Modul 2 – Sitzungsende')
    expect(phaseSnapshotLabel(session, { index: 2, title: 'Stakeholders' }, 'en')).toBe('Module 2 – phase 3 – Stakeholders')
    expect(phaseSnapshotLabel({ moduleNumber: null, title: 'Workshop' }, null, 'en')).toBe('Workshop – end of session')
  })

  it('answers a refused script in the reader’s language', () => {
    expect(planMessage({ key: 'script.errors.title_phase', phase: 3 })).toBe('Phase 3 braucht einen Titel (höchstens 200 Zeichen).')
    expect(planMessage({ key: 'script.errors.title_phase', phase: 3 }, 'en')).toBe('Phase 3 needs a title (at most 200 characters).')
    expect(planMessage({ key: 'script.errors.notPlanned', phase: null }, 'en')).toBe('This session is already open; its script can no longer be changed.')
  })

  it('names the first page of a board a phase seeds in the course language', () => {
    const template = buildTemplate('akteursanalyse', { locale: 'en', idPrefix: 't' })
    for (const [language, name] of [
      ['de', 'Seite 1'],
      ['en', 'Page 1'],
    ] as const) {
      const doc = new Y.Doc()
      insertTemplateFrame(doc, template, language)
      expect(readRecords(doc).find((r) => r.typeName === 'page')?.name).toBe(name)
      doc.destroy()
    }
  })

  it('captions the lists of a stored Systemdesign picture in the reader’s language', () => {
    const empty = Y.encodeStateAsUpdate(new Y.Doc())
    expect(boardSvg(empty, 'design', 'Hamm')).toContain('>Akteure (0)<')
    expect(boardSvg(empty, 'design', 'Hamm', undefined, 'en')).toContain('>Actors (Akteure) (0)<')
  })

  describe('a course’s language', () => {
    let testDb: TestDatabase
    let db: Database
    beforeAll(async () => {
      testDb = await createTestDatabase()
      db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
      await migrate(db.sql)
    })
    afterAll(async () => {
      await db?.close()
      await testDb?.drop()
    })

    it('is German unless the course is created in English, and refuses any other', async () => {
      const german = await createCourse(db.sql, { name: 'Runde 1', cohort: '2017', format: 'full' })
      const english = await createCourse(db.sql, { name: 'Round 2', cohort: '2018', format: 'shortened', language: 'en' })
      expect(german.language).toBe('de')
      expect((await getCourse(db.sql, english.id))?.language).toBe('en')
      await expect(db.sql`update courses set language = 'fr' where id = ${german.id}`).rejects.toThrow()
    })
  })
})
