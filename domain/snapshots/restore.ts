/**
 * Makes a board's live document equal to a stored one (restoring a snapshot) as ordinary Yjs
 * changes, so every connected client receives them like any edit: changed or missing keys are
 * set, extra keys deleted, unchanged ones left alone (a concurrent edit elsewhere survives).
 * Whiteboards: `tl_records` and `tl_meta`. Systemdesign: every section fragment, every typed
 * list (entry by entry, field by field) and the `meta` map (see ../design/model.ts).
 */
import * as Y from 'yjs'
import { boardMetaMap, recordsMap } from '../board/document'
import { jsonEqual } from './content'
import { listKinds, listMap, metaMap, sectionFragment, sections } from '../design/model'

/** Sets a map of JSON values to the source's values: changed and missing keys set, extra keys deleted (unless `keep` says otherwise). */
function syncJsonMap(target: Y.Map<unknown>, source: Y.Map<unknown>, keep: (value: unknown) => boolean = () => false) {
  source.forEach((value, key) => {
    if (!jsonEqual(target.get(key), value)) target.set(key, value)
  })
  for (const key of [...target.keys()]) if (!source.has(key) && !keep(target.get(key))) target.delete(key)
}

/** True for a board's document and page records. */
const isDocumentOrPage = (value: unknown) => {
  const typeName = (value as { typeName?: unknown } | null)?.typeName
  return typeName === 'document' || typeName === 'page'
}

/** Copies a nested Y.Map (one list entry) into a new one. */
function copyEntry(source: Y.Map<unknown>): Y.Map<unknown> {
  const copy = new Y.Map<unknown>()
  source.forEach((value, key) => copy.set(key, value instanceof Y.AbstractType ? value.clone() : value))
  return copy
}

/** A typed list: entries missing are added, extra ones deleted, existing ones updated field by field. */
function syncList(target: Y.Map<unknown>, source: Y.Map<unknown>) {
  source.forEach((entry, id) => {
    const current = target.get(id)
    if (entry instanceof Y.Map && current instanceof Y.Map) syncJsonMap(current, entry)
    else if (entry instanceof Y.Map) target.set(id, copyEntry(entry))
    else if (!jsonEqual(current, entry)) target.set(id, entry)
  })
  for (const id of [...target.keys()]) if (!source.has(id)) target.delete(id)
}

/** A section's rich text: replaced as a whole when it differs. */
function syncFragment(target: Y.XmlFragment, source: Y.XmlFragment) {
  if (target.toString() === source.toString()) return
  if (target.length > 0) target.delete(0, target.length)
  const children = source.toArray().map((child) => (child as Y.XmlElement | Y.XmlText).clone())
  if (children.length > 0) target.insert(0, children)
}

/** Changes `target` (inside the caller's transaction) until it holds what `source` holds. */
export function makeDocEqual(target: Y.Doc, source: Y.Doc, kind: 'whiteboard' | 'design'): void {
  if (kind === 'whiteboard') {
    // A Stand of a board that was still empty has no page: the board keeps its own page (with its
    // name in the installation's language) instead of the editor inventing tldraw's "Page 1".
    const sourceRecords = recordsMap<unknown>(source)
    const sourceHasPage = [...sourceRecords.values()].some((r) => (r as { typeName?: unknown } | null)?.typeName === 'page')
    syncJsonMap(recordsMap<unknown>(target), sourceRecords, sourceHasPage ? undefined : isDocumentOrPage)
    syncJsonMap(boardMetaMap(target), boardMetaMap(source))
    return
  }
  for (const s of sections) syncFragment(sectionFragment(target, s.key), sectionFragment(source, s.key))
  for (const k of listKinds) syncList(listMap(target, k) as Y.Map<unknown>, listMap(source, k) as Y.Map<unknown>)
  syncJsonMap(metaMap(target), metaMap(source))
}
