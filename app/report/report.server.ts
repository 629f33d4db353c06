/**
 * The Systemdesign-Bericht: one self-contained HTML document (inline CSS and SVG, no scripts,
 * no external requests) with the design's sections, its typed entries as tables and its
 * boards as pictures. It is both the print page and the source headless Chromium turns into
 * the PDF (app/report/pdf.server.ts).
 */
import * as Y from 'yjs'
import type { TFunction } from 'i18next'
import { listSection } from '../../domain/design/checks'
import { listKinds, readList, sectionFragment, sections, glaslLabel, type ListKind, type SectionKey } from '../../domain/design/model'
import { createI18n, type Locale } from '~/i18n'
import { escapeHtml, fragmentToHtml } from './prose'
import type { BoardPicture } from '../pictures/board-pictures.server'

/** Field names whose label key differs from the field name. */
const fieldLabel: Record<string, string> = { fieldId: 'field', actorIds: 'actors', fieldIds: 'fields', verfahrenIds: 'verfahren' }

/** A board in the report: its title and its picture (app/pictures/board-pictures.server.ts). */
export type ReportBoard = { title: string; picture: BoardPicture }

export type ReportInput = {
  locale: Locale
  municipality: { name: string }
  status: string
  /** Which state is printed: the current one, or a snapshot's label and time. */
  stand: { label: string; at: Date }
  design: Uint8Array
  boards: ReportBoard[]
  /** For publication: conflicts marked anonymised lose their title and actors. */
  redactAnonymised?: boolean
}

/** Renders the report as a complete HTML document. */
export function designReportHtml(input: ReportInput): string {
  const t = createI18n(input.locale).t
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, input.design)
    return page(input.locale, t('report.title', { name: input.municipality.name }), reportBody(doc, input, t))
  } finally {
    doc.destroy()
  }
}

/** The report's chapter for one municipality (also used by the handbook, which puts several in one document). */
export function reportBody(doc: Y.Doc, input: Omit<ReportInput, 'design'>, t: TFunction): string {
  const date = new Intl.DateTimeFormat(input.locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(input.stand.at)
  const names = nameIndex(doc)
  const tablesBySection = new Map<SectionKey, string[]>()
  for (const kind of listKinds) {
    const table = listTable(doc, kind, names, input.redactAnonymised ?? false, t)
    if (!table) continue
    const section = listSection[kind] ?? 'anhang'
    tablesBySection.set(section, [...(tablesBySection.get(section) ?? []), table])
  }
  const chapters = sections.map((section) => {
    const title = t(`design.sections.${section.key}`)
    const prose = fragmentToHtml(sectionFragment(doc, section.key))
    const tables = tablesBySection.get(section.key) ?? []
    const body = prose || tables.length > 0 ? prose + tables.join('') : `<p class="empty">${escapeHtml(t('report.emptySection'))}</p>`
    return `<section class="chapter"><h2>${section.number === null ? '' : `${section.number} `}${escapeHtml(title)}</h2>${body}</section>`
  })
  const boards = input.boards.map((board) => {
    const svg = board.picture.svg
    return `<figure class="board"><div class="board-picture">${svg}</div><figcaption>${escapeHtml(board.title)}</figcaption></figure>`
  })
  return `<header class="title-page">
  <p class="kicker">${escapeHtml(t('report.kicker'))}</p>
  <h1>${escapeHtml(t('report.title', { name: input.municipality.name }))}</h1>
  <dl>
    <dt>${escapeHtml(t('report.status'))}</dt><dd>${escapeHtml(t(`designStatus.${input.status}`, { defaultValue: input.status }))}</dd>
    <dt>${escapeHtml(t('report.stand'))}</dt><dd>${escapeHtml(input.stand.label)} · ${escapeHtml(date)}</dd>
  </dl>
</header>
${chapters.join('\n')}
${boards.length > 0 ? `<section class="chapter boards"><h2>${escapeHtml(t('report.boards'))}</h2>${boards.join('')}</section>` : ''}`
}

/** Wraps report bodies in the printable document titled `title`. */
export function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>`
}

/** id → display name of every entry, to print references (a conflict's field and actors) by name. */
function nameIndex(doc: Y.Doc): Map<string, string> {
  const names = new Map<string, string>()
  for (const kind of listKinds) {
    for (const entry of readList(doc, kind) as Record<string, unknown>[]) {
      const name = entry.name ?? entry.title
      if (typeof name === 'string') names.set(String(entry.id), name)
    }
  }
  return names
}

function listTable(doc: Y.Doc, kind: ListKind, names: Map<string, string>, redact: boolean, t: TFunction): string | null {
  const entries = readList(doc, kind) as Record<string, unknown>[]
  if (entries.length === 0) return null
  const fields = [...new Set(entries.flatMap((e) => Object.keys(e)))].filter((f) => f !== 'id' && f !== 'order')
  const label = (field: string) => {
    const key = `design.fields.${fieldLabel[field] ?? field}`
    const text = t(key)
    return text === key ? field : text
  }
  const rows = entries.map((entry) => {
    const hidden = redact && entry.anonymisiert === true
    const cells = fields.map((field) => {
      if (hidden && field !== 'glaslStage' && field !== 'status' && field !== 'anonymisiert' && field !== 'fieldId') return `<td>${escapeHtml(t('report.redacted'))}</td>`
      return `<td>${escapeHtml(cellText(field, entry[field], names, t))}</td>`
    })
    return `<tr>${cells.join('')}</tr>`
  })
  const caption = t(`design.lists.${kind}.caption`)
  return `<table><caption>${escapeHtml(caption === `design.lists.${kind}.caption` ? kind : caption)}</caption><thead><tr>${fields.map((f) => `<th scope="col">${escapeHtml(label(f))}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function cellText(field: string, value: unknown, names: Map<string, string>, t: TFunction): string {
  if (value === null || value === undefined || value === '') return '–'
  if (typeof value === 'boolean') return value ? t('report.yes') : t('report.no')
  if (field === 'glaslStage' && typeof value === 'number') return glaslLabel(value)
  if (Array.isArray(value)) return value.map((v) => names.get(String(v)) ?? String(v)).join(', ')
  if (field.endsWith('Id') && typeof value === 'string') return names.get(value) ?? value
  return String(value)
}

const css = `
@page { size: A4; margin: 18mm 16mm 20mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1b1f23; margin: 0 auto; max-width: 60rem; padding: 1rem; }
@media print { body { padding: 0; max-width: none; } }
.title-page { border-bottom: 2px solid #1c5d99; margin-bottom: 1.5rem; padding-bottom: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #1c5d99; font-size: 9pt; margin: 0; }
h1 { font-size: 22pt; margin: .2rem 0 1rem; }
h2 { font-size: 14pt; color: #1c5d99; border-bottom: 1px solid #c9d6e3; padding-bottom: .2rem; margin: 1.6rem 0 .6rem; break-after: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.empty { color: #6a737d; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 9pt; break-inside: auto; }
caption { text-align: left; font-weight: bold; margin-bottom: .2rem; }
th, td { border: 1px solid #c9d6e3; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
tr { break-inside: avoid; }
.board { margin: 0 0 1.2rem; break-inside: avoid; }
.board-picture svg { width: 100%; height: auto; max-height: 200mm; border: 1px solid #c9d6e3; }
figcaption { font-size: 9pt; color: #444; margin-top: .2rem; }
.chapter-break { break-before: page; }
`
