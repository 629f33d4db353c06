/**
 * Restoring the Stand of a board that was still empty keeps the board's own page ("Seite 1")
 * rather than leaving no page, which the editor would fill with tldraw's English "Page 1".
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeDocEqual } from '../../domain/snapshots/restore'

const page = (name: string) => ({ id: 'page:page', typeName: 'page', name, index: 'a1', meta: {} })
const documentRecord = { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }
const shape = { id: 'shape:a', typeName: 'shape', type: 'geo', parentId: 'page:page', index: 'a1', x: 0, y: 0, props: {} }

function board(records: object[]): Y.Doc {
  const doc = new Y.Doc()
  for (const r of records) doc.getMap('tl_records').set((r as { id: string }).id, r)
  return doc
}

describe('restoring a whiteboard', () => {
  it('keeps the board’s page and document when the Stand has none, and removes the shapes', () => {
    const target = board([documentRecord, page('Seite 1'), shape])
    makeDocEqual(target, board([]), 'whiteboard')
    const records = target.getMap<{ typeName: string; name?: string }>('tl_records')
    expect(records.get('page:page')?.name).toBe('Seite 1')
    expect(records.has('document:document')).toBe(true)
    expect(records.has('shape:a')).toBe(false)
  })

  it('takes the Stand’s pages when it has them', () => {
    const target = board([documentRecord, page('Seite 1'), { ...page('Seite 2'), id: 'page:two', index: 'a2' }])
    makeDocEqual(target, board([documentRecord, page('Seite 1'), shape]), 'whiteboard')
    const records = target.getMap<{ typeName: string }>('tl_records')
    expect(records.has('page:two')).toBe(false)
    expect(records.has('shape:a')).toBe(true)
  })
})
