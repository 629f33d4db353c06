/**
 * The whiteboard templates of domain.md: each produces its expected frames and labels in both
 * locales, and every record it makes passes the tldraw schema as the Yjs binding checks it.
 */
import { createTLStore, defaultBindingUtils, defaultShapeUtils } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../collab/tldraw-binding'
import { glaslStages, sectors, seedKonfliktfelder } from '../../domain/design/model'
import { writeFirstRecords, invalidShape } from '../../domain/board/first-records'
import { buildTemplate, glaslStagesEnglish, templateIds, templateTitles } from '../../domain/templates/catalogue'
import { frameWithDescendants, instantiate } from '../../domain/templates/instantiate'
import { type ShapeRecord } from '../../domain/templates/records'
import { richTextToPlain as plainText } from '../../domain/board/text'

const labels = (records: ShapeRecord[]) => records.map((r) => plainText(r.props.richText)).filter(Boolean)
const build = (id: (typeof templateIds)[number], locale: 'de' | 'en' = 'de') => buildTemplate(id, { locale, idPrefix: 't' })

describe('templates', () => {
  it.each(templateIds)('%s: every record passes the tldraw schema through the Yjs binding, in both locales', (id) => {
    for (const locale of ['de', 'en'] as const) {
      const shapes = build(id, locale)
      expect(invalidShape(shapes)).toBeNull()
      const doc = new Y.Doc()
      writeFirstRecords(doc, shapes, 'Seite 1')
      const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
      const binding = bindStoreToYDoc(store, doc)
      const inStore = store.allRecords().filter((r) => r.typeName === 'shape')
      expect(inStore.map((r) => r.id).sort()).toEqual(shapes.map((s) => s.id).sort())
      // One frame on the page named after the template; everything else inside it.
      const frames = shapes.filter((s) => s.parentId === 'page:page')
      expect(frames).toHaveLength(1)
      expect(frames[0].type).toBe('frame')
      expect(frames[0].props.name).toBe(templateTitles[id][locale])
      expect(frameWithDescendants(shapes, frames[0].id)).toHaveLength(shapes.length)
      binding.dispose()
      doc.destroy()
    }
  })

  it('a broken record is refused by the same check (the test above can fail)', () => {
    const [frame, geo] = build('akteursanalyse').slice(0, 2)
    expect(invalidShape([frame, { ...geo, props: { ...geo.props, geo: 'blob' } }])).toMatch(/props\.geo/)
  })

  it('Eskalationstreppe: the nine exact Glasl names, descending, each inside its band (win-win, win-lose, lose-lose)', () => {
    const shapes = build('eskalationstreppe')
    const steps = shapes.filter((s) => typeof s.meta.glaslStage === 'number').sort((a, b) => Number(a.meta.glaslStage) - Number(b.meta.glaslStage))
    expect(steps.map((s) => plainText(s.props.richText))).toEqual([
      '1 Verhärtung',
      '2 Debatte und Polemik',
      '3 Taten statt Worte',
      '4 Images und Koalitionen',
      '5 Gesichtsverlust',
      '6 Drohstrategien',
      '7 Begrenzte Vernichtungsschläge',
      '8 Zersplitterung',
      '9 Gemeinsam in den Abgrund',
    ])
    expect(steps.map((s) => s.meta.glaslStage)).toEqual(glaslStages.map((s) => s.stage))
    for (let i = 1; i < steps.length; i++) expect(steps[i].y).toBeGreaterThan(steps[i - 1].y) // a descending staircase
    const bands = shapes.filter((s) => s.type === 'geo' && typeof s.meta.glaslBand === 'string' && s.meta.glaslStage === undefined)
    expect(bands.map((b) => plainText(b.props.richText))).toEqual(['win-win', 'win-lose', 'lose-lose'])
    for (const step of steps) {
      const expected = glaslStages[Number(step.meta.glaslStage) - 1].level
      const inside = bands.filter((b) => step.x >= b.x && step.x + Number(step.props.w) <= b.x + Number(b.props.w))
      expect(inside.map((b) => b.meta.glaslBand)).toEqual([expected])
    }
    expect(shapes.filter((s) => s.meta.threshold !== undefined)).toHaveLength(2)
    expect(labels(shapes)).toEqual(expect.arrayContaining(['Moderation', 'Vermittlung/Mediation', 'Machteingriff']))
    const english = labels(build('eskalationstreppe', 'en'))
    for (const [i, name] of glaslStagesEnglish.entries()) expect(english).toContain(`${i + 1} ${name}`)
  })

  it('Konfliktlandkarte: three rings, the six sectors, typed connectors and a perspective label', () => {
    const shapes = build('konfliktlandkarte')
    expect(shapes.filter((s) => s.meta.ring).map((s) => s.meta.ring)).toEqual(['Kontext', 'Direkt Beteiligte', 'Kernparteien'])
    expect(shapes.filter((s) => s.meta.sector).map((s) => s.meta.sector)).toEqual([...sectors])
    expect(shapes.filter((s) => s.type === 'arrow').map((s) => s.meta.connector)).toEqual(['eng', 'Bündnis', 'schwach/informell', 'Konflikt ⚡', 'unterbrochen', 'Einfluss'])
    expect(labels(shapes)).toContain('Perspektive von …')
    expect(labels(build('konfliktlandkarte', 'en'))).toContain('Perspective of …')
  })

  it('Akteursanalyse: four quadrants and the two axes', () => {
    const shapes = build('akteursanalyse')
    expect(
      shapes
        .filter((s) => s.meta.quadrant)
        .map((s) => s.meta.quadrant)
        .sort(),
    ).toEqual(['beobachten', 'beteiligen', 'eng einbinden', 'informieren'])
    expect(labels(shapes)).toEqual(expect.arrayContaining(['Betroffenheit/Interesse', 'Einfluss']))
    const high = shapes.find((s) => s.meta.quadrant === 'eng einbinden')!
    const low = shapes.find((s) => s.meta.quadrant === 'beobachten')!
    expect(high.x).toBeGreaterThan(low.x) // more concern to the right
    expect(high.y).toBeLessThan(low.y) // more influence further up
  })

  it('Bestandsaufnahme: a row per seeded conflict field, bodies as columns, a gaps column and traffic lights', () => {
    const shapes = build('bestandsaufnahme')
    expect(shapes.filter((s) => s.meta.konfliktfeld).map((s) => s.meta.konfliktfeld)).toEqual(seedKonfliktfelder.map((f) => f.name))
    const columns = shapes.filter((s) => s.meta.column).map((s) => s.meta.column)
    expect(columns).toEqual(expect.arrayContaining(['Ordnungsamt', 'Jugendamt', 'Schiedsamt', 'Quartiersmanagement', 'Polizei', 'Lücken & Doppelstrukturen']))
    expect(shapes.filter((s) => s.meta.trafficLight)).toHaveLength(seedKonfliktfelder.length * (columns.length - 1))
  })

  it('KMS-Architektur, Verfahrenswege, Roadmap and Zukunftswerkstatt carry their parts', () => {
    const kms = labels(build('kms-architektur'))
    expect(kms).toEqual(expect.arrayContaining(['Leitbild/Ziele', 'Konfliktanlaufstellen', 'Verfahrensstandards', 'Konfliktbearbeiter:innen', 'Systemsteuerung', 'Integration/Kommunikation']))
    const wege = build('verfahrenswege')
    expect(labels(wege)).toEqual(
      expect.arrayContaining([
        'Eingang',
        'Anlaufstelle',
        'Clearing (Stufe, Konfliktfeld)',
        'Beratung',
        'Moderation/Runder Tisch',
        'Mediation',
        'Schlichtung/Schiedsamt',
        'Recht/Ordnung',
        'Monitoring & Rückmeldung',
      ]),
    )
    const lanes = wege
      .filter((s) => s.meta.procedureLane)
      .sort((a, b) => a.x - b.x)
      .map((s) => s.meta.procedureLane)
    expect(lanes).toEqual([1, 2, 3, 4, 5]) // ordered by cost, left to right
    expect(wege.filter((s) => s.meta.loopBack && s.props.dash === 'dashed')).toHaveLength(2)
    const roadmap = build('roadmap')
    expect(roadmap.filter((s) => s.meta.workstream).map((s) => s.meta.workstream)).toEqual(['Anlaufstelle', 'Qualifizierung', 'Netzwerk', 'Kommunikation', 'Krisenvorsorge', 'Evaluation'])
    expect(roadmap.filter((s) => s.props.geo === 'diamond').map((s) => s.meta.milestone)).toEqual(['Verwaltungsvorstand', 'Ratsbeschluss', 'Kongress', 'Modultermin'])
    expect(labels(roadmap)).toContain('Steuerungsgruppe')
    expect(labels(build('zukunftswerkstatt'))).toEqual(expect.arrayContaining(['Kritik', 'Utopie', 'Verwirklichung']))
  })

  it('a copy gets fresh ids and lands at the given point, keeping the inside as it was', () => {
    const shapes = build('zukunftswerkstatt')
    const copy = instantiate(shapes, { idPrefix: 'copy', pageId: 'page:other', origin: { x: 500, y: -200 } })
    expect(new Set(copy.map((s) => s.id)).size).toBe(shapes.length)
    expect(copy.some((s) => shapes.some((o) => o.id === s.id))).toBe(false)
    expect(copy[0]).toMatchObject({ parentId: 'page:other', x: 500, y: -200 })
    expect(copy.slice(1).every((s) => s.parentId === copy[0].id)).toBe(true)
    expect(invalidShape(copy)).toBeNull()
  })
})
