/** CSV import of participants and invitation links, on the real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptInvitation, createInvitation, findInvitation, hashPassword, loadPrincipal, previewImport, runImport } from '../../access'
import { openDatabase, migrate, type Database } from '../../db'
import * as courses from '../../db/courses.server'
import * as people from '../../db/people.server'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database'
import { makePerson } from '../support/fixtures'

describe.each(databaseKinds())('import and invitations on %s', (kind) => {
  let testDb: TestDatabase
  let db: Database
  let courseId: string
  let lecturerId: string
  let hammId: string

  beforeAll(async () => {
    testDb = await createTestDatabase(kind)
    db = await openDatabase({ url: testDb.url, dataDir: testDb.dataDir })
    await migrate(db.sql)
    courseId = (await courses.createCourse(db.sql, { name: 'Runde', cohort: '2018', format: 'shortened' })).id
    for (const name of ['Hamm', 'Duisburg', 'Oberbergischer Kreis']) {
      const m = (await courses.createMunicipality(db.sql, { name, kind: name.includes('Kreis') ? 'Kreis' : 'Stadt' }))!
      await courses.addTeam(db.sql, courseId, m.id)
      if (name === 'Hamm') hammId = m.id
    }
    await courses.createMunicipality(db.sql, { name: 'Herne', kind: 'Stadt' })
    lecturerId = (await makePerson(db.sql, 'Dozentin', [{ role: 'lecturer', courseId }])).id
  })
  afterAll(async () => {
    await db?.close()
    await testDb?.drop()
  })

  const countPeople = async () => (await people.listPeople(db.sql)).length
  const countInvitations = async () => Number((await db.sql<{ n: string }[]>`select count(*) as n from invitations`)[0].n)

  it('a good file (semicolons, German role names, BOM) imports everyone in one go', async () => {
    await people.createPerson(db.sql, { email: 'bekannt@hamm.de', name: 'Bekannt', passwordHash: await hashPassword('schon-registriert') })
    const csv =
      '\uFEFFname;email;municipality;role\nAnna Arslan;anna@hamm.de;Hamm;Teilnehmende\nBerta Brandt;berta@duisburg.de;duisburg;Mediator:in\nKarl Kreis;karl@obk.de;Oberbergischer Kreis;gast\nBekannt;Bekannt@Hamm.de;Hamm;participant\n'
    const preview = await previewImport(db.sql, courseId, csv)
    expect(preview.ok).toBe(true)
    expect(preview.rows.map((r) => [r.email, r.role, r.existing])).toEqual([
      ['anna@hamm.de', 'participant', false],
      ['berta@duisburg.de', 'mediator', false],
      ['karl@obk.de', 'guest', false],
      ['bekannt@hamm.de', 'participant', true],
    ])
    const invitationsBefore = await countInvitations()
    const result = await runImport(db.sql, courseId, csv, lecturerId)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.invited.map((i) => i.email)).toEqual(['anna@hamm.de', 'berta@duisburg.de', 'karl@obk.de'])
    expect(result.granted).toEqual(['bekannt@hamm.de'])
    expect(await countInvitations()).toBe(invitationsBefore + 3)
    const known = (await people.findPersonByEmail(db.sql, 'bekannt@hamm.de'))!
    const principal = await loadPrincipal(db.sql, known.id)
    expect(principal.memberships).toEqual([expect.objectContaining({ role: 'participant', municipalityId: hammId, courseId })])
  })

  it('a file with bad rows lists each row’s errors and writes nothing', async () => {
    const csv = [
      'name,email,municipality,role',
      'Gut Gemacht,gut@hamm.de,Hamm,participant',
      ',leer@hamm.de,Hamm,participant',
      'Falsche Mail,keine-mail,Hamm,participant',
      'Fremde Kommune,x@herne.de,Herne,participant',
      'Erfundene Rolle,y@hamm.de,Hamm,superuser',
      'Doppelt,gut@hamm.de,Hamm,guest',
    ].join('\n')
    const peopleBefore = await countPeople()
    const invitationsBefore = await countInvitations()
    const result = await runImport(db.sql, courseId, csv, lecturerId)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.preview.rows.map((r) => [r.line, r.errors])).toEqual([
      [2, []],
      [3, ['name_missing']],
      [4, ['email_invalid']],
      [5, ['municipality_unknown']],
      [6, ['role_invalid']],
      [7, ['email_duplicate']],
    ])
    expect(await countPeople()).toBe(peopleBefore)
    expect(await countInvitations()).toBe(invitationsBefore)
  })

  it.each([
    ['an empty file', '', 'empty'],
    ['missing columns', 'name,email\nA,a@b.de', 'columns'],
    ['an unclosed quote', 'name,email,municipality,role\n"A,a@b.de,Hamm,participant', 'unreadable'],
  ])('%s is rejected as a whole', async (_name, csv, fileError) => {
    const preview = await previewImport(db.sql, courseId, csv)
    expect(preview).toMatchObject({ ok: false, fileError })
  })

  it('an invitation link works once, creates the account with the role, and not after expiry', async () => {
    const { path } = await createInvitation(db.sql, { email: 'Neu@Soest.de', role: 'participant', courseId, municipalityId: hammId }, lecturerId)
    const secret = path.split('/').pop()!
    expect(await findInvitation(db.sql, secret)).toMatchObject({ email: 'neu@soest.de', role: 'participant' })
    const accepted = await acceptInvitation(db.sql, secret, { name: 'Nina Neu', password: 'ein-langes-passwort' })
    expect(accepted.ok).toBe(true)
    const again = await acceptInvitation(db.sql, secret, { name: 'Nochmal', password: 'ein-langes-passwort' })
    expect(again).toEqual({ ok: false, reason: 'invalid' })
    const person = (await people.findPersonByEmail(db.sql, 'neu@soest.de'))!
    expect(person.name).toBe('Nina Neu')
    expect((await loadPrincipal(db.sql, person.id)).memberships).toHaveLength(1)

    const expired = await createInvitation(db.sql, { email: 'spaet@soest.de', role: 'guest', courseId: null, municipalityId: hammId }, lecturerId)
    await db.sql`update invitations set expires_at = now() - interval '1 minute' where id = ${expired.id}`
    expect(await acceptInvitation(db.sql, expired.path.split('/').pop()!, { name: 'Spät', password: 'ein-langes-passwort' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await people.findPersonByEmail(db.sql, 'spaet@soest.de')).toBeNull()
  })
})
