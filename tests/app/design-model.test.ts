/** The design document model on a bare Y.Doc: entries are validated on read, moves renumber, seeding is idempotent. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addEntry, listMap, moveEntry, readList, removeEntry, sectionFragment, sections, seedKonfliktfelder, seedKonfliktfelderOnce, updateEntry } from '../../domain/design/model'

describe('design document model', () => {
  it('has the 17 numbered sections plus the Anhang, each in its own fragment', () => {
    expect(sections).toHaveLength(18)
    expect(sections.map((s) => s.number)).toEqual([...Array.from({ length: 17 }, (_, i) => i), null])
    expect(sections[6].title).toBe('Bestandsaufnahme: bestehende Strukturen und Verfahren')
    const doc = new Y.Doc()
    expect(sectionFragment(doc, 'anhang')).toBe(doc.getXmlFragment('section:anhang'))
  })

  it('leaves out entries that fail their schema when reading, without throwing', () => {
    const doc = new Y.Doc()
    const good = addEntry(doc, 'akteure', { name: 'Ordnungsamt', sector: 'Verwaltung', influence: 4 })
    const bad = new Y.Map<unknown>()
    bad.set('name', 'Kaputt')
    bad.set('sector', 'Mars')
    bad.set('influence', 99)
    bad.set('order', 1)
    listMap(doc, 'akteure').set('broken', bad)
    listMap(doc, 'akteure').set('not-a-map', 'text' as never)
    expect(readList(doc, 'akteure').map((a) => a.id)).toEqual([good])
  })

  it('refuses an update that would make an entry invalid and keeps the old value', () => {
    const doc = new Y.Doc()
    const id = addEntry(doc, 'konflikte', { title: 'Lärm am Spielplatz' })
    expect(updateEntry(doc, 'konflikte', id, { glaslStage: 12 })).toBe(false)
    expect(updateEntry(doc, 'konflikte', id, { glaslStage: 5, anonymisiert: false })).toBe(true)
    expect(readList(doc, 'konflikte')[0]).toMatchObject({ glaslStage: 5, anonymisiert: false, status: 'offen' })
    expect(() => addEntry(doc, 'akteure', { name: '' })).toThrow()
  })

  it('moves entries up and down and removes them', () => {
    const doc = new Y.Doc()
    const [a, b, c] = ['A', 'B', 'C'].map((title) => addEntry(doc, 'massnahmen', { title }))
    moveEntry(doc, 'massnahmen', c, -1)
    expect(readList(doc, 'massnahmen').map((m) => m.id)).toEqual([a, c, b])
    expect(moveEntry(doc, 'massnahmen', a, -1)).toBe(false)
    removeEntry(doc, 'massnahmen', c)
    expect(readList(doc, 'massnahmen').map((m) => m.id)).toEqual([a, b])
  })

  it('seeds the nine Konfliktfelder once; a deleted seed field does not come back', () => {
    const doc = new Y.Doc()
    expect(seedKonfliktfelderOnce(doc)).toBe(true)
    expect(readList(doc, 'konfliktfelder').map((k) => k.name)).toEqual(seedKonfliktfelder.map((k) => k.name))
    removeEntry(doc, 'konfliktfelder', seedKonfliktfelder[0].id)
    expect(seedKonfliktfelderOnce(doc)).toBe(false)
    expect(readList(doc, 'konfliktfelder')).toHaveLength(8)
  })
})
