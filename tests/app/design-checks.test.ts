/** The model checks on a real Y.Doc: seeded problems are reported with the place to fix them, and stop being reported once fixed. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkCodes, checkDesign, readModel, type Finding } from '../../domain/design/checks'
import { createI18n, locales } from '../../app/i18n'
import { addEntry, removeEntry, seedKonfliktfelderOnce, updateEntry } from '../../domain/design/model'

const keys = (findings: Finding[]) => findings.map((f) => f.key).sort()
const find = (doc: Y.Doc, status?: string) => checkDesign(readModel(doc), { status })

describe('design checks', () => {
  it('reports each seeded problem with its target and stops reporting it when fixed', () => {
    const doc = new Y.Doc()
    seedKonfliktfelderOnce(doc)

    // An empty design: no Anlaufstelle, stages 5–7 without Verfahren, no Steuerungsgruppe, no crisis procedure.
    expect(keys(find(doc))).toEqual(['keineAnlaufstelle:', 'keineKrisenintervention:', 'keineSteuerungsgruppe:', 'stufeOhneVerfahren:5', 'stufeOhneVerfahren:6', 'stufeOhneVerfahren:7'].sort())
    const stage6 = find(doc).find((f) => f.key === 'stufeOhneVerfahren:6')!
    expect(stage6).toMatchObject({ severity: 'warnung', params: { stage: 6, name: 'Drohstrategien' }, target: { type: 'list', list: 'verfahren' } })
    expect(find(doc).find((f) => f.code === 'keineAnlaufstelle')?.target).toEqual({ type: 'list', list: 'anlaufstellen' })

    // Seeded problems: a Konflikt on stage 8 without field or actors, Verfahren nobody runs, a Maßnahme without owner.
    const konflikt = addEntry(doc, 'konflikte', { title: 'Moscheebau Nord', glaslStage: 8 })
    const mediation = addEntry(doc, 'verfahren', { name: 'Mediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 })
    const massnahme = addEntry(doc, 'massnahmen', { title: 'Flyer drucken' })
    const anlaufstelle = addEntry(doc, 'anlaufstellen', { name: 'KI Hamm' })
    addEntry(doc, 'steuerungsgruppe', { name: 'Dezernentin' })
    addEntry(doc, 'verfahren', { name: 'Krisenstab', type: 'Akut' })
    const krisenstab = find(doc).find((f) => f.code === 'verfahrenOhneBearbeiter' && f.params.name === 'Krisenstab')!.target
    const findings = find(doc)
    expect(keys(findings)).toEqual(
      [
        `konfliktOhneFeld:${konflikt}`,
        `konfliktOhneAkteure:${konflikt}`,
        `konfliktStufeOhneVerfahren:${konflikt}`,
        `verfahrenOhneBearbeiter:${mediation}`,
        `verfahrenOhneBearbeiter:${(krisenstab as { entryId: string }).entryId}`,
        `massnahmeOhneVerantwortliche:${massnahme}`,
      ].sort(),
    )
    expect(findings.find((f) => f.code === 'konfliktOhneFeld')).toMatchObject({ params: { name: 'Moscheebau Nord' }, target: { type: 'entry', list: 'konflikte', entryId: konflikt } })
    expect(findings.find((f) => f.code === 'konfliktStufeOhneVerfahren')?.params).toEqual({ name: 'Moscheebau Nord', stage: 8 })
    // Warnings come before hints.
    expect(findings.findIndex((f) => f.severity === 'hinweis')).toBeGreaterThan(findings.findLastIndex((f) => f.severity === 'warnung'))

    // Fixing each one makes its finding disappear.
    updateEntry(doc, 'konflikte', konflikt, { fieldId: 'seed:religion' })
    expect(keys(find(doc))).not.toContain(`konfliktOhneFeld:${konflikt}`)
    // The field now has a conflict but no Anlaufstelle covers it: a gap of the Bestandsaufnahme.
    expect(keys(find(doc))).toContain('feldOhneAnlaufstelle:seed:religion')
    updateEntry(doc, 'anlaufstellen', anlaufstelle, { fieldIds: ['seed:religion'] })
    expect(keys(find(doc))).not.toContain('feldOhneAnlaufstelle:seed:religion')

    const akteur = addEntry(doc, 'akteure', { name: 'Moscheegemeinde' })
    updateEntry(doc, 'konflikte', konflikt, { actorIds: [akteur] })
    updateEntry(doc, 'konflikte', konflikt, { glaslStage: 6 })
    addEntry(doc, 'bearbeiter', { name: 'Frau Yilmaz', verfahrenIds: [mediation, (krisenstab as { entryId: string }).entryId] })
    updateEntry(doc, 'massnahmen', massnahme, { owner: 'Pressestelle' })
    expect(find(doc)).toEqual([])

    // Removing the only Anlaufstelle brings its finding back; removing a linked Akteur leaves the Konflikt without actors.
    removeEntry(doc, 'anlaufstellen', anlaufstelle)
    removeEntry(doc, 'akteure', akteur)
    expect(keys(find(doc))).toEqual(['keineAnlaufstelle:', `konfliktOhneAkteure:${konflikt}`].sort())
  })

  it('asks for interest-based procedures first (Ury, Brett & Goldberg) and for a Beschluss once the design is decided', () => {
    const doc = new Y.Doc()
    addEntry(doc, 'verfahren', { name: 'Schiedsamt', type: 'Rechte', glaslFrom: 3, glaslTo: 8 })
    expect(keys(find(doc))).toContain('keinInteressenVerfahren:')
    addEntry(doc, 'verfahren', { name: 'Moderation', type: 'Interessen', glaslFrom: 1, glaslTo: 3 })
    expect(keys(find(doc))).not.toContain('keinInteressenVerfahren:')

    expect(keys(find(doc, 'Entwurf'))).not.toContain('beschlossenOhneBeschluss:')
    expect(find(doc, 'Beschlossen').find((f) => f.code === 'beschlossenOhneBeschluss')?.target).toEqual({ type: 'list', list: 'beschluesse' })
    addEntry(doc, 'beschluesse', { title: 'Ratsbeschluss KMS', gremium: 'Rat', date: '2019-02-01' })
    expect(keys(find(doc, 'Beschlossen'))).not.toContain('beschlossenOhneBeschluss:')
  })
})

describe.each(locales)('check texts in %s', (locale) => {
  it('has a text for every finding code and severity', () => {
    const i18n = createI18n(locale)
    for (const code of checkCodes) expect(i18n.exists(`design.checks.codes.${code}`, { lng: locale, fallbackLng: [] }), code).toBe(true)
    for (const s of ['warnung', 'hinweis']) expect(i18n.exists(`design.checks.severity.${s}`, { lng: locale, fallbackLng: [] })).toBe(true)
    expect(i18n.t('design.checks.count', { count: 2 })).toBe(locale === 'de' ? '2 Befunde' : '2 findings')
  })
})
