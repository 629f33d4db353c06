/**
 * The model checks of a Systemdesign: pure functions reading the typed lists (and, where known,
 * the design status) and returning findings, each with the place to fix it — an entry of a
 * list, a list, or a section. No DOM, no Yjs writes: the page, the board and Node tests share it.
 * The rules come from domain.md: Glasl stages need procedures (the intervention ranges), every
 * system needs Anlaufstellen and people to run its Verfahren, interests before rights before power
 * (Ury, Brett & Goldberg), a Steuerungsgruppe, and a Beschluss once the design is decided.
 */
import type * as Y from 'yjs'
import { glaslStages, listKinds, readList, type DesignStatus, type Entry, type ListKind, type SectionKey } from './model'

/** All typed lists of a design, read once. */
export type DesignModel = { [K in ListKind]: Entry<K>[] }

/** Where a finding is fixed: one entry of a list, a whole list (to add to), or a section's text. */
export type FindingTarget = { type: 'entry'; list: ListKind; entryId: string } | { type: 'list'; list: ListKind } | { type: 'section'; section: SectionKey }

/** The kinds of finding; each has a German and an English text under `design.checks.<code>`. */
export const checkCodes = [
  'stufeOhneVerfahren',
  'konfliktStufeOhneVerfahren',
  'keineAnlaufstelle',
  'konfliktOhneFeld',
  'konfliktOhneAkteure',
  'verfahrenOhneBearbeiter',
  'feldOhneAnlaufstelle',
  'keinInteressenVerfahren',
  'keineKrisenintervention',
  'keineSteuerungsgruppe',
  'massnahmeOhneVerantwortliche',
  'beschlossenOhneBeschluss',
] as const
export type CheckCode = (typeof checkCodes)[number]

/** One finding: a stable key (for React and tests), its code, the values its text needs, and its target. */
export type Finding = { key: string; code: CheckCode; severity: 'warnung' | 'hinweis'; params: Record<string, string | number>; target: FindingTarget }

/** Reads every typed list of a design document (invalid entries left out, as everywhere). */
export function readModel(doc: Y.Doc): DesignModel {
  return Object.fromEntries(listKinds.map((kind) => [kind, readList(doc, kind)])) as DesignModel
}

/** The section a list is shown in, for findings that point at a whole list. */
export const listSection: Record<ListKind, SectionKey> = {
  akteure: 'akteursanalyse',
  konfliktfelder: 'konfliktlandkarte',
  konflikte: 'konfliktlandkarte',
  verfahren: 'verfahrensangebot',
  massnahmen: 'umsetzungsplan',
  anlaufstellen: 'anlaufstellen',
  bearbeiter: 'bearbeiter',
  steuerungsgruppe: 'steuerung',
  beschluesse: 'ressourcen',
}

const decidedStatuses = new Set<string>(['Beschlossen', 'In Umsetzung', 'Evaluiert'] satisfies DesignStatus[])

/** Whether some Verfahren's Glasl range covers the stage. */
function covered(model: DesignModel, stage: number): boolean {
  return model.verfahren.some((v) => v.glaslFrom !== null && v.glaslTo !== null && v.glaslFrom <= stage && stage <= v.glaslTo)
}

/** Checks a design and returns its findings, warnings first, in a stable order. */
export function checkDesign(model: DesignModel, options: { status?: string } = {}): Finding[] {
  const findings: Finding[] = []
  const add = (code: CheckCode, severity: Finding['severity'], target: FindingTarget, params: Finding['params'] = {}, id = '') =>
    findings.push({ key: `${code}:${id}`, code, severity, params, target })

  for (const { stage, name } of glaslStages.filter((s) => s.stage >= 5 && s.stage <= 7)) {
    if (!covered(model, stage)) add('stufeOhneVerfahren', 'warnung', { type: 'list', list: 'verfahren' }, { stage, name }, String(stage))
  }
  if (model.anlaufstellen.length === 0) add('keineAnlaufstelle', 'warnung', { type: 'list', list: 'anlaufstellen' })

  const fieldIds = new Set(model.konfliktfelder.map((f) => f.id))
  for (const k of model.konflikte) {
    const target = { type: 'entry', list: 'konflikte', entryId: k.id } as const
    if (!fieldIds.has(k.fieldId)) add('konfliktOhneFeld', 'warnung', target, { name: k.title }, k.id)
    if (!covered(model, k.glaslStage)) {
      add('konfliktStufeOhneVerfahren', 'warnung', target, { name: k.title, stage: k.glaslStage }, k.id)
    }
    if (!k.actorIds.some((id) => model.akteure.some((a) => a.id === id))) add('konfliktOhneAkteure', 'hinweis', target, { name: k.title }, k.id)
  }

  for (const v of model.verfahren) {
    if (!model.bearbeiter.some((b) => b.verfahrenIds.includes(v.id))) {
      add('verfahrenOhneBearbeiter', 'warnung', { type: 'entry', list: 'verfahren', entryId: v.id }, { name: v.name }, v.id)
    }
  }

  for (const field of model.konfliktfelder) {
    const hasConflict = model.konflikte.some((k) => k.fieldId === field.id)
    if (hasConflict && model.anlaufstellen.length > 0 && !model.anlaufstellen.some((a) => a.fieldIds.includes(field.id))) {
      add('feldOhneAnlaufstelle', 'hinweis', { type: 'entry', list: 'konfliktfelder', entryId: field.id }, { name: field.name }, field.id)
    }
  }

  if (model.verfahren.length > 0 && !model.verfahren.some((v) => v.type === 'Interessen')) {
    add('keinInteressenVerfahren', 'warnung', { type: 'list', list: 'verfahren' })
  }
  if (!model.verfahren.some((v) => v.type === 'Akut')) add('keineKrisenintervention', 'hinweis', { type: 'list', list: 'verfahren' })
  if (model.steuerungsgruppe.length === 0) add('keineSteuerungsgruppe', 'hinweis', { type: 'list', list: 'steuerungsgruppe' })
  for (const m of model.massnahmen) {
    if (!m.owner.trim()) add('massnahmeOhneVerantwortliche', 'hinweis', { type: 'entry', list: 'massnahmen', entryId: m.id }, { name: m.title }, m.id)
  }
  if (options.status && decidedStatuses.has(options.status) && model.beschluesse.length === 0) {
    add('beschlossenOhneBeschluss', 'warnung', { type: 'list', list: 'beschluesse' }, { status: options.status })
  }

  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warnung' ? -1 : 1))
}
