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

/** Where the report's chapters start, by chapter id (from a first print; see PdfRenderer.renderWithContents). */
export type PageNumbers = Record<string, number>

/** The settings form above the print page (never in the PDF): which boards are printed, in which order. */
export type BoardSettings = { action: string; boards: { id: string; title: string; included: boolean }[] }

/** Renders the report as a complete HTML document: cover, contents, chapters, boards. */
export function designReportHtml(input: ReportInput, pageNumbers: PageNumbers | null = null, settings: BoardSettings | null = null): string {
  const t = createI18n(input.locale).t
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, input.design)
    const chapters = reportChapters(doc, input, t, '')
    const body = (settings ? boardSettingsForm(settings, t) : '') + coverPage(doc, input, t) + contentsPage(chapters.contents, pageNumbers, t) + chapters.html
    return page(input.locale, t('report.title', { name: input.municipality.name }), body)
  } finally {
    doc.destroy()
  }
}

/** A date as Germans (or the English) write it: "4. Dezember 2026". */
export function longDate(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(at)
}

function dateTime(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(at)
}

/** Lines of the Steckbrief that name who is responsible or how to reach them ("Federführung: …", "Kontakt: …"). */
export function responsibleLines(doc: Y.Doc): string[] {
  const pattern = /^(federf[üu]hr|zust[äa]ndig|verantwortlich|ansprech|kontakt|koordinierungsstelle|e-?mail|telefon|tel\.|lead|responsible|contact|phone)/i
  return paragraphTexts(sectionFragment(doc, 'steckbrief'))
    .map((line) => line.trim())
    .filter((line) => pattern.test(line))
    .slice(0, 6)
}

function paragraphTexts(fragment: Y.XmlFragment): string[] {
  const lines: string[] = []
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
    if (node instanceof Y.XmlText) return (node.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')
    if (!(node instanceof Y.XmlElement)) return ''
    if (node.nodeName === 'hardBreak') return '\n'
    const text = node.toArray().map(visit).join('')
    if (node.nodeName === 'paragraph' || node.nodeName === 'heading') lines.push(...text.split('\n'))
    return text
  }
  for (const node of fragment.toArray()) visit(node)
  return lines
}

function coverPage(doc: Y.Doc, input: Omit<ReportInput, 'design'>, t: TFunction): string {
  const responsible = responsibleLines(doc)
  return `<header class="cover" data-testid="cover">
  <p class="kicker">${escapeHtml(t('report.kicker'))}</p>
  <h1>${escapeHtml(t('report.title', { name: input.municipality.name }))}</h1>
  <dl>
    <dt>${escapeHtml(t('report.municipality'))}</dt><dd>${escapeHtml(input.municipality.name)}</dd>
    <dt>${escapeHtml(t('report.status'))}</dt><dd>${escapeHtml(t(`designStatus.${input.status}`, { defaultValue: input.status }))}</dd>
    <dt>${escapeHtml(t('report.date'))}</dt><dd>${escapeHtml(longDate(input.locale, new Date()))}</dd>
    <dt>${escapeHtml(t('report.stand'))}</dt><dd>${escapeHtml(input.stand.label)} · ${escapeHtml(dateTime(input.locale, input.stand.at))}</dd>
    <dt>${escapeHtml(t('report.responsible'))}</dt><dd>${responsible.length > 0 ? responsible.map(escapeHtml).join('<br>') : `<span class="empty">${escapeHtml(t('report.responsibleMissing'))}</span>`}</dd>
  </dl>
</header>`
}

type ContentsEntry = { id: string; title: string; level: 1 | 2 }

function contentsPage(entries: ContentsEntry[], pageNumbers: PageNumbers | null, t: TFunction): string {
  const rows = entries.map((e) => {
    // Before the first print the numbers are unknown: a placeholder of the same width keeps the pages where they fall.
    const number = pageNumbers?.[e.id] ?? '00'
    return `<li class="toc-${e.level}"><a href="#${e.id}"><span class="toc-title">${escapeHtml(e.title)}</span><span class="toc-page">${number}</span></a></li>`
  })
  return `<nav class="contents" aria-labelledby="contents-title" data-testid="contents"><h2 id="contents-title" class="no-outline">${escapeHtml(t('report.contents'))}</h2><ol>${rows.join('')}</ol></nav>`
}

function boardSettingsForm(settings: BoardSettings, t: TFunction): string {
  const rows = settings.boards.map(
    (b, i) => `<tr>
  <td><input type="hidden" name="board" value="${escapeHtml(b.id)}"><input type="checkbox" name="include" value="${escapeHtml(b.id)}" id="include-${i}"${b.included ? ' checked' : ''}></td>
  <td><label for="include-${i}">${escapeHtml(b.title)}</label></td>
  <td><input type="number" name="position" min="1" max="${settings.boards.length}" value="${i + 1}" aria-label="${escapeHtml(t('report.settings.position', { title: b.title }))}"></td>
</tr>`,
  )
  return `<form method="post" action="${escapeHtml(settings.action)}" class="report-settings" data-testid="report-settings">
<h2>${escapeHtml(t('report.settings.title'))}</h2>
<p>${escapeHtml(t('report.settings.hint'))}</p>
<table><thead><tr><th scope="col">${escapeHtml(t('report.settings.include'))}</th><th scope="col">${escapeHtml(t('report.settings.board'))}</th><th scope="col">${escapeHtml(t('report.settings.order'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<button type="submit">${escapeHtml(t('report.settings.save'))}</button>
</form>`
}

/** The report's chapter for one municipality (the handbook puts several in one document): a title block, then the chapters. */
export function reportBody(doc: Y.Doc, input: Omit<ReportInput, 'design'>, t: TFunction, idPrefix = ''): string {
  return `<header class="title-page">
  <p class="kicker">${escapeHtml(t('report.kicker'))}</p>
  <h1>${escapeHtml(t('report.title', { name: input.municipality.name }))}</h1>
  <dl>
    <dt>${escapeHtml(t('report.status'))}</dt><dd>${escapeHtml(t(`designStatus.${input.status}`, { defaultValue: input.status }))}</dd>
    <dt>${escapeHtml(t('report.stand'))}</dt><dd>${escapeHtml(input.stand.label)} · ${escapeHtml(dateTime(input.locale, input.stand.at))}</dd>
  </dl>
</header>
${reportChapters(doc, input, t, idPrefix).html}`
}

/** Picture aspect ratio from which a board gets a landscape page. */
const WIDE = 1.25

/** The sections (prose and entry tables) and the boards, each with an id for the contents. */
function reportChapters(doc: Y.Doc, input: Omit<ReportInput, 'design'>, t: TFunction, idPrefix: string): { html: string; contents: ContentsEntry[] } {
  const names = nameIndex(doc)
  const contents: ContentsEntry[] = []
  const tablesBySection = new Map<SectionKey, string[]>()
  for (const kind of listKinds) {
    const table = listTable(doc, kind, names, input.redactAnonymised ?? false, t)
    if (!table) continue
    const section = listSection[kind] ?? 'anhang'
    tablesBySection.set(section, [...(tablesBySection.get(section) ?? []), table])
  }
  const chapters = sections.map((section) => {
    const id = `${idPrefix}ch-${section.key}`
    const title = `${section.number === null ? '' : `${section.number} `}${t(`design.sections.${section.key}`)}`
    contents.push({ id, title, level: 1 })
    const prose = fragmentToHtml(sectionFragment(doc, section.key))
    const tables = tablesBySection.get(section.key) ?? []
    const body = prose || tables.length > 0 ? prose + tables.join('') : `<p class="empty">${escapeHtml(t('report.emptySection'))}</p>`
    return `<section class="chapter"><h2 id="${id}">${escapeHtml(title)}</h2>${body}</section>`
  })
  let boards = ''
  if (input.boards.length > 0) {
    const id = `${idPrefix}ch-boards`
    contents.push({ id, title: t('report.boards'), level: 1 })
    const figures = input.boards.map((board, i) => {
      const boardId = `${idPrefix}board-${i + 1}`
      contents.push({ id: boardId, title: board.title, level: 2 })
      const wide = board.picture.width / Math.max(1, board.picture.height) > WIDE
      return `<figure class="board${wide ? ' wide' : ''}"><h3 id="${boardId}">${escapeHtml(board.title)}</h3><div class="board-picture">${board.picture.svg}</div><figcaption>${escapeHtml(t('report.boardCaption', { title: board.title }))}</figcaption></figure>`
    })
    // The chapter heading shares the first board's page, so it takes that page's orientation.
    const firstWide = input.boards[0]!.picture.width / Math.max(1, input.boards[0]!.picture.height) > WIDE
    boards = `<section class="chapter boards${firstWide ? ' wide-start' : ''}"><h2 id="${id}">${escapeHtml(t('report.boards'))}</h2>${figures.join('')}</section>`
  }
  return { html: chapters.join('\n') + boards, contents }
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
@page board-landscape { size: A4 landscape; margin: 16mm 16mm 18mm; }
@page board-portrait { size: A4; margin: 18mm 16mm 20mm; }
@page wide-table { size: A4 landscape; margin: 16mm 14mm 18mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1b1f23; margin: 0 auto; max-width: 60rem; padding: 1rem; overflow-wrap: break-word; }
@media print { body { padding: 0; max-width: none; } .report-settings { display: none; } }
.report-settings { border: 1px solid #c9d6e3; border-radius: 6px; padding: .6rem 1rem; margin-bottom: 2rem; background: #f6f9fc; }
.report-settings input[type=number] { width: 4rem; }
.cover { min-height: 230mm; display: flex; flex-direction: column; justify-content: center; break-after: page; border-left: 6px solid #1c5d99; padding-left: 1.2rem; }
.cover h1 { font-size: 26pt; margin: .4rem 0 2rem; }
.cover dl { font-size: 12pt; }
.contents { break-after: page; }
.contents ol { list-style: none; padding: 0; margin: 0; }
.contents li a { display: flex; gap: .4rem; color: inherit; text-decoration: none; padding: .15rem 0; }
.contents .toc-title { flex: 1; border-bottom: 1px dotted #9aa5b1; }
.contents .toc-2 { padding-left: 1.5rem; font-size: 9.5pt; }
.contents .toc-page { min-width: 2.5em; text-align: right; font-variant-numeric: tabular-nums; }
.title-page { border-bottom: 2px solid #1c5d99; margin-bottom: 1.5rem; padding-bottom: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #1c5d99; font-size: 9pt; margin: 0; }
h1 { font-size: 22pt; margin: .2rem 0 1rem; }
h2 { font-size: 14pt; color: #1c5d99; border-bottom: 1px solid #c9d6e3; padding-bottom: .2rem; margin: 1.6rem 0 .6rem; break-after: avoid; }
h3 { font-size: 12pt; margin: .4rem 0 .4rem; break-after: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.empty { color: #6a737d; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 9pt; break-inside: auto; }
caption { text-align: left; font-weight: bold; margin-bottom: .2rem; }
th, td { border: 1px solid #c9d6e3; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; hyphens: manual; }
th { background: #eef3f8; }
tr { break-inside: avoid; }
.wide-table { page: wide-table; }
.wide-table { break-before: page; }
.wide-table table { font-size: 8.5pt; table-layout: fixed; }
.wide-table th, .wide-table td { overflow-wrap: break-word; }
.wide-table tbody th { width: 28%; }
.boards { break-before: page; page: board-portrait; }
.boards.wide-start { page: board-landscape; }
.board { margin: 0; break-before: page; break-inside: avoid; page: board-portrait; }
.boards h2 + .board { break-before: auto; }
.board-picture svg { display: block; width: 100%; height: auto; max-height: 200mm; border: 1px solid #c9d6e3; }
.board.wide { page: board-landscape; }
.board.wide .board-picture svg { max-height: 128mm; }
figcaption { font-size: 9pt; color: #444; margin-top: .2rem; }
.chapter-break { break-before: page; }
`
