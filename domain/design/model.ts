/**
 * The Systemdesign document model inside a Y.Doc, shared by browser and Node (no tldraw, no DOM).
 *
 * - Prose: one `Y.XmlFragment` per section, named `section:<key>` (17 sections + `anhang`),
 *   edited through TipTap's Collaboration extension.
 * - Typed lists: one `Y.Map` per list, named `list:<kind>`, keyed by entry id; each entry is a
 *   nested `Y.Map` of its fields plus a numeric `order`. Fields merge independently (two people
 *   editing different fields of one Akteur both win); a move renumbers `order`.
 * - Entries are validated with zod when read: an invalid entry (from an old or hostile client)
 *   is left out of the list, never thrown.
 */
import { uuidv4 } from 'lib0/random'
import * as Y from 'yjs'
import { z } from 'zod'

/** The sections of a Systemdesign document, in order, with their German titles from domain.md. */
export const sections = [
  { key: 'steckbrief', number: 0, title: 'Steckbrief der Kommune' },
  { key: 'auftrag', number: 1, title: 'Auftrag und Mandat' },
  { key: 'ausgangslage', number: 2, title: 'Ausgangslage und Kontext' },
  { key: 'leitbild', number: 3, title: 'Leitbild und Ziele' },
  { key: 'konfliktlandkarte', number: 4, title: 'Konfliktlandkarte und Konfliktfelder' },
  { key: 'akteursanalyse', number: 5, title: 'Akteursanalyse' },
  { key: 'bestandsaufnahme', number: 6, title: 'Bestandsaufnahme: bestehende Strukturen und Verfahren' },
  { key: 'eskalationsmodell', number: 7, title: 'Eskalationsmodell und Verfahrenswege' },
  { key: 'anlaufstellen', number: 8, title: 'Konfliktanlaufstelle(n)' },
  { key: 'verfahrensangebot', number: 9, title: 'Verfahrensangebot und -standards' },
  { key: 'bearbeiter', number: 10, title: 'Konfliktbearbeiter:innen und Netzwerk' },
  { key: 'steuerung', number: 11, title: 'Steuerung und Koordination' },
  { key: 'verankerung', number: 12, title: 'Verankerung, Kommunikation und Qualifizierung' },
  { key: 'krisenvorsorge', number: 13, title: 'Krisenvorsorge' },
  { key: 'umsetzungsplan', number: 14, title: 'Umsetzungsplan' },
  { key: 'evaluation', number: 15, title: 'Evaluation und Lernen' },
  { key: 'ressourcen', number: 16, title: 'Ressourcen und Beschlusslage' },
  { key: 'anhang', number: null, title: 'Anhang' },
] as const

export type SectionKey = (typeof sections)[number]['key']

/** The Yjs fragment holding a section's rich text. */
export function sectionFragment(doc: Y.Doc, key: SectionKey): Y.XmlFragment {
  return doc.getXmlFragment(`section:${key}`)
}

/** The statuses of a Systemdesign, in the order a design goes through them. */
export const designStatuses = ['Entwurf', 'Abgestimmt', 'Beschlossen', 'In Umsetzung', 'Evaluiert'] as const
export type DesignStatus = (typeof designStatuses)[number]

/** The six sectors an Akteur belongs to. */
export const sectors = ['Verwaltung', 'Politik', 'Zivilgesellschaft', 'Bevölkerung', 'Wirtschaft', 'Polizei/Justiz'] as const

/** Glasl's nine escalation stages with their exact names, in three levels. */
export const glaslStages = [
  { stage: 1, name: 'Verhärtung', level: 'win-win' },
  { stage: 2, name: 'Debatte und Polemik', level: 'win-win' },
  { stage: 3, name: 'Taten statt Worte', level: 'win-win' },
  { stage: 4, name: 'Images und Koalitionen', level: 'win-lose' },
  { stage: 5, name: 'Gesichtsverlust', level: 'win-lose' },
  { stage: 6, name: 'Drohstrategien', level: 'win-lose' },
  { stage: 7, name: 'Begrenzte Vernichtungsschläge', level: 'lose-lose' },
  { stage: 8, name: 'Zersplitterung', level: 'lose-lose' },
  { stage: 9, name: 'Gemeinsam in den Abgrund', level: 'lose-lose' },
] as const

/** The kinds of procedure in the catalogue (interests, rights, power, prevention, acute). */
export const procedureTypes = ['Interessen', 'Rechte', 'Macht', 'Prävention', 'Akut'] as const

/** The procedure catalogue of domain.md: name, type and usual Glasl range (none for prevention and acute). */
export const procedureCatalogue = [
  { name: 'Konfliktberatung/-coaching', type: 'Interessen', glaslFrom: 1, glaslTo: 4 },
  { name: 'Moderation', type: 'Interessen', glaslFrom: 1, glaslTo: 3 },
  { name: 'Runder Tisch', type: 'Interessen', glaslFrom: 1, glaslTo: 4 },
  { name: 'Bürgerdialog/Zukunftswerkstatt', type: 'Prävention', glaslFrom: null, glaslTo: null },
  { name: 'Mediation inkl. Gemeinwesenmediation', type: 'Interessen', glaslFrom: 3, glaslTo: 7 },
  { name: 'Allparteiliches Konfliktmanagement im öffentlichen Raum', type: 'Interessen', glaslFrom: 2, glaslTo: 5 },
  { name: 'Beschwerdemanagement', type: 'Interessen', glaslFrom: 1, glaslTo: 4 },
  { name: 'Schlichtung/Schiedsamt', type: 'Rechte', glaslFrom: 3, glaslTo: 6 },
  { name: 'Schiedsverfahren/Gericht', type: 'Rechte', glaslFrom: 6, glaslTo: 8 },
  { name: 'Ordnungsrecht/Polizei', type: 'Macht', glaslFrom: 7, glaslTo: 9 },
  { name: 'Krisenintervention/Krisenstab', type: 'Akut', glaslFrom: null, glaslTo: null },
] as const satisfies readonly { name: string; type: (typeof procedureTypes)[number]; glaslFrom: number | null; glaslTo: number | null }[]

/** The seed conflict fields of domain.md, with fixed ids so concurrent seeding converges on one list. */
export const seedKonfliktfelder = [
  { id: 'seed:nachbarschaft-wohnen', name: 'Nachbarschaft & Wohnen' },
  { id: 'seed:unterbringung-gefluechteter', name: 'Unterbringung Geflüchteter' },
  { id: 'seed:oeffentlicher-raum', name: 'Öffentlicher Raum' },
  { id: 'seed:schule-bildung', name: 'Schule & Bildung' },
  { id: 'seed:religion', name: 'Religion (z. B. Moscheebau)' },
  { id: 'seed:verwaltung-intern', name: 'Verwaltung intern' },
  { id: 'seed:ehrenamt-verwaltung', name: 'Ehrenamt ↔ Verwaltung' },
  { id: 'seed:zuwanderung-quartier', name: 'Zuwanderung & Quartier' },
  { id: 'seed:beteiligung-polarisierung', name: 'Beteiligung, Polarisierung, Anfeindungen' },
] as const

export const konfliktStatuses = ['offen', 'in Bearbeitung', 'beigelegt', 'ruhend'] as const
export const massnahmeStatuses = ['geplant', 'in Arbeit', 'erledigt', 'zurückgestellt'] as const
/** Whether a Konfliktbearbeiter:in works in the municipality's own pool or is a Netzwerkpartner (stored tokens without a colon: i18next reads ':' as a namespace). */
export const bearbeiterRollen = ['Konfliktbearbeiter', 'Netzwerkpartner'] as const

const text = (max: number) => z.string().max(max)
const name = z.string().trim().min(1).max(200)
const glasl = z.number().int().min(1).max(9)
const base = { id: z.string().min(1).max(100), order: z.number().finite() }
const ids = z.array(z.string().max(100)).max(200)
const date = z.union([z.literal(''), z.iso.date()])

/** The zod schema of each typed list's entries (fields as stored in the entry's Y.Map). */
export const entrySchemas = {
  akteure: z.object({ ...base, name, sector: z.enum(sectors), influence: z.number().int().min(1).max(5), concern: text(2000) }),
  konfliktfelder: z.object({ ...base, name }),
  konflikte: z.object({
    ...base,
    title: name,
    fieldId: text(100),
    actorIds: ids,
    glaslStage: glasl,
    status: z.enum(konfliktStatuses),
    anonymisiert: z.boolean(),
  }),
  verfahren: z
    .object({ ...base, name, type: z.enum(procedureTypes), glaslFrom: glasl.nullable(), glaslTo: glasl.nullable() })
    .refine((v) => v.glaslFrom === null || v.glaslTo === null || v.glaslFrom <= v.glaslTo),
  massnahmen: z.object({
    ...base,
    title: name,
    owner: text(200),
    due: date,
    status: z.enum(massnahmeStatuses),
  }),
  /** Konfliktanlaufstellen: where people turn with a conflict, and which Konfliktfelder each covers. */
  anlaufstellen: z.object({ ...base, name, traeger: text(200), kontakt: text(500), fieldIds: ids }),
  /** Konfliktbearbeiter:innen and Netzwerkpartner, with the Verfahren each one offers. */
  bearbeiter: z.object({ ...base, name, rolle: z.enum(bearbeiterRollen), organisation: text(200), verfahrenIds: ids }),
  /** The members of the Steuerungsgruppe. */
  steuerungsgruppe: z.object({ ...base, name, funktion: text(200), organisation: text(200) }),
  /** Beschlüsse: what was decided, by which body (Gremium), when. */
  beschluesse: z.object({ ...base, title: name, gremium: text(200), date }),
}

export type ListKind = keyof typeof entrySchemas
export const listKinds = Object.keys(entrySchemas) as ListKind[]
export type Entry<K extends ListKind> = z.infer<(typeof entrySchemas)[K]>
/** The editable fields of an entry (everything but its id and position). */
export type EntryFields<K extends ListKind> = Omit<Entry<K>, 'id' | 'order'>

/** The fields a new entry starts with, before the person's own input. */
export const entryDefaults: { [K in ListKind]: EntryFields<K> } = {
  akteure: { name: '', sector: 'Verwaltung', influence: 3, concern: '' },
  konfliktfelder: { name: '' },
  konflikte: { title: '', fieldId: '', actorIds: [], glaslStage: 1, status: 'offen', anonymisiert: true },
  verfahren: { name: '', type: 'Interessen', glaslFrom: null, glaslTo: null },
  massnahmen: { title: '', owner: '', due: '', status: 'geplant' },
  anlaufstellen: { name: '', traeger: '', kontakt: '', fieldIds: [] },
  bearbeiter: { name: '', rolle: 'Konfliktbearbeiter', organisation: '', verfahrenIds: [] },
  steuerungsgruppe: { name: '', funktion: '', organisation: '' },
  beschluesse: { title: '', gremium: '', date: '' },
}

/** The Y.Map holding one typed list (entry id → entry Y.Map). */
export function listMap(doc: Y.Doc, kind: ListKind): Y.Map<Y.Map<unknown>> {
  return doc.getMap(`list:${kind}`)
}

/** The valid entries of a list in display order (by `order`, then id); invalid entries are left out. */
export function readList<K extends ListKind>(doc: Y.Doc, kind: K): Entry<K>[] {
  const entries: Entry<K>[] = []
  listMap(doc, kind).forEach((value, id) => {
    if (!(value instanceof Y.Map)) return
    const parsed = entrySchemas[kind].safeParse({ ...value.toJSON(), id })
    if (parsed.success) entries.push(parsed.data as Entry<K>)
  })
  return entries.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function nextOrder(doc: Y.Doc, kind: ListKind): number {
  let max = -1
  listMap(doc, kind).forEach((value) => {
    const order = value instanceof Y.Map ? value.get('order') : undefined
    if (typeof order === 'number' && Number.isFinite(order)) max = Math.max(max, order)
  })
  return max + 1
}

function entryMap(fields: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) map.set(key, value)
  return map
}

/** Adds an entry at the end of a list and returns its id; throws when the fields are invalid. */
export function addEntry<K extends ListKind>(doc: Y.Doc, kind: K, fields: Partial<EntryFields<K>>): string {
  const id = uuidv4()
  const entry = { ...entryDefaults[kind], ...fields, order: nextOrder(doc, kind) }
  entrySchemas[kind].parse({ ...entry, id })
  doc.transact(() => listMap(doc, kind).set(id, entryMap(entry)))
  return id
}

/** Changes some fields of an entry; ignores an unknown id and refuses a change that would make the entry invalid. */
export function updateEntry<K extends ListKind>(doc: Y.Doc, kind: K, id: string, patch: Partial<EntryFields<K>>): boolean {
  const map = listMap(doc, kind).get(id)
  if (!(map instanceof Y.Map)) return false
  if (!entrySchemas[kind].safeParse({ ...map.toJSON(), ...patch, id }).success) return false
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (key !== 'id' && key !== 'order') map.set(key, value)
    }
  })
  return true
}

/** Moves an entry one place up (-1) or down (+1), renumbering the list so ties from concurrent adds disappear. */
export function moveEntry(doc: Y.Doc, kind: ListKind, id: string, direction: -1 | 1): boolean {
  const ids = readList(doc, kind).map((e) => e.id)
  const from = ids.indexOf(id)
  const to = from + direction
  if (from < 0 || to < 0 || to >= ids.length) return false
  ;[ids[from], ids[to]] = [ids[to], ids[from]]
  const map = listMap(doc, kind)
  doc.transact(() => {
    ids.forEach((entryId, index) => {
      const entry = map.get(entryId)
      if (entry instanceof Y.Map && entry.get('order') !== index) entry.set('order', index)
    })
  })
  return true
}

/** Removes an entry from a list. */
export function removeEntry(doc: Y.Doc, kind: ListKind, id: string): boolean {
  const map = listMap(doc, kind)
  if (!map.has(id)) return false
  doc.transact(() => map.delete(id))
  return true
}

/** The document's bookkeeping map (e.g. whether the conflict fields were seeded). */
export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta')
}

/**
 * Seeds the Konfliktfelder from domain.md once per document. Call only after the first sync:
 * the fixed ids make two clients seeding at the same time converge on one list, and the
 * `konfliktfelderSeeded` flag keeps a field someone deleted from coming back.
 */
export function seedKonfliktfelderOnce(doc: Y.Doc): boolean {
  const meta = metaMap(doc)
  if (meta.get('konfliktfelderSeeded') === true) return false
  const map = listMap(doc, 'konfliktfelder')
  doc.transact(() => {
    seedKonfliktfelder.forEach((field, index) => {
      if (!map.has(field.id)) map.set(field.id, entryMap({ name: field.name, order: index }))
    })
    meta.set('konfliktfelderSeeded', true)
  })
  return true
}

/** The label of a Glasl stage, e.g. "5 – Gesichtsverlust". */
export function glaslLabel(stage: number): string {
  const found = glaslStages.find((s) => s.stage === stage)
  return found ? `${found.stage} – ${found.name}` : String(stage)
}
