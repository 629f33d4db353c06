/**
 * The handbook across municipalities: one chapter per published design (the report body with
 * anonymised conflicts redacted) after a comparison of their components.
 */
import type { AppLoadContext } from '@remix-run/node'
import * as Y from 'yjs'
import { boardAccess, type Principal } from '../../access/policy'
import * as jobs from '../../db/export-jobs.server'
import { recordAudit } from '../../db/audit.server'
import * as boards from '../../db/boards.server'
import { listPublications } from '../../db/publication.server'
import { forbidden, requireCan, requirePrincipal } from '~/auth.server'
import { listKinds, readList } from '../../domain/design/model'
import { createI18n, localeFromRequest, type Locale } from '~/i18n'
import { isPdfUnavailable } from './pdf.server'
import { escapeHtml } from './prose'
import { page, reportBody, type ReportBoard } from './report.server'
import { drawBoards } from './report-data.server'

/** Municipalities side by side in one comparison table. */
const COMPARISON_COLUMNS = 5

export type HandbookChapter = { municipality: { name: string }; status: string; publishedAt: Date; design: Uint8Array; boards: ReportBoard[] }

/** The published designs, current state, for a coordinator (403 for anyone else). */
export async function handbookChapters(request: Request, context: AppLoadContext): Promise<{ locale: Locale; chapters: HandbookChapter[] }> {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  const locale = localeFromRequest(request)
  return { locale, chapters: await collectChapters(context, principal, locale, await publishedDesigns(context)) }
}

async function publishedDesigns(context: AppLoadContext) {
  return (await listPublications(context.sql)).filter((p) => p.publishedAt !== null)
}

/** Reads each published design's current state, reporting after each chapter. */
async function collectChapters(
  context: AppLoadContext,
  principal: Principal,
  locale: Locale,
  published: Awaited<ReturnType<typeof publishedDesigns>>,
  onChapter: (done: number) => Promise<void> = async () => {},
): Promise<HandbookChapter[]> {
  const chapters: HandbookChapter[] = []
  for (const p of published) {
    const [document, whiteboards] = await Promise.all([boards.getDesignDocument(context.sql, p.municipalityId), boards.listBoards(context.sql, { municipalityIds: [p.municipalityId] })])
    if (!document || boardAccess(principal, document) === 'none') throw forbidden()
    const ordered = whiteboards.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    chapters.push({
      municipality: { name: p.name },
      status: p.status,
      publishedAt: p.publishedAt!,
      design: await context.services.rooms.currentState(document.id),
      boards: await drawBoards(context, await Promise.all(ordered.map(async (b) => ({ title: b.title, state: await context.services.rooms.currentState(b.id) }))), locale),
    })
    await onChapter(chapters.length)
  }
  return chapters
}

/**
 * Starts the handbook PDF as a background export (one step per chapter, one for printing) and
 * returns its job id at once; the page shows its progress and offers the file when done.
 */
export async function startHandbookExport(request: Request, context: AppLoadContext): Promise<string> {
  const principal = await requirePrincipal(request, context)
  requireCan(principal, { type: 'handbook.manage' })
  const locale = localeFromRequest(request)
  const t = createI18n(locale).t
  const published = await publishedDesigns(context)
  const job = await jobs.createJob(context.sql, {
    kind: 'handbook',
    requestedBy: principal.personId,
    total: published.length + 1,
    fileName: 'Handbuch-Konfliktmanagement.pdf',
    contentType: 'application/pdf',
  })
  void (async () => {
    try {
      const chapters = await collectChapters(context, principal, locale, published, (done) => jobs.setProgress(context.sql, job.id, done))
      const pdf = await context.services.renderPdf(handbookHtml(locale, chapters), t('handbook.title'))
      await jobs.finishJob(context.sql, job.id, pdf)
      await recordAudit(context.sql, { personId: principal.personId, action: 'export.handbook', municipalityId: null, subjectId: job.id, details: { municipalities: published.map((p) => p.name) } })
    } catch (error) {
      await jobs.failJob(context.sql, job.id, isPdfUnavailable(error) ? error.message : t('exports.failed')).catch(() => {})
    }
  })()
  return job.id
}

/** Renders the handbook as one printable HTML document. */
export function handbookHtml(locale: Locale, chapters: HandbookChapter[]): string {
  const t = createI18n(locale).t
  const docs = chapters.map((c) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, c.design)
    return doc
  })
  try {
    const counted = listKinds.filter((kind) => kind !== 'konfliktfelder')
    const caption = (kind: string) => {
      const text = t(`design.lists.${kind}.caption`)
      return text === `design.lists.${kind}.caption` ? kind : text
    }
    // One column per municipality and one row per component, at most five municipalities per
    // table: the long component names wrap in the first column and the table always fits the page.
    const components: { label: string; value: (doc: Y.Doc, c: HandbookChapter) => string }[] = [
      { label: t('report.status'), value: (_, c) => t(`designStatus.${c.status}`, { defaultValue: c.status }) },
      ...counted.map((kind) => ({ label: caption(kind), value: (doc: Y.Doc) => String(readList(doc, kind).length) })),
      { label: t('handbook.procedures'), value: (doc: Y.Doc) => (readList(doc, 'verfahren') as { name: string }[]).map((v) => v.name).join(', ') || '–' },
    ]
    const tables: string[] = []
    for (let from = 0; from < chapters.length; from += COMPARISON_COLUMNS) {
      const group = chapters.slice(from, from + COMPARISON_COLUMNS)
      const head = `<tr><th scope="col">${escapeHtml(t('handbook.component'))}</th>${group.map((c) => `<th scope="col">${escapeHtml(c.municipality.name)}</th>`).join('')}</tr>`
      const rows = components.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th>${group.map((c, i) => `<td>${escapeHtml(row.value(docs[from + i]!, c))}</td>`).join('')}</tr>`)
      tables.push(`<table class="comparison"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`)
    }
    const contents = chapters.map((c) => `<li>${escapeHtml(c.municipality.name)}</li>`).join('')
    const body = `<header class="title-page">
  <p class="kicker">${escapeHtml(t('handbook.kicker'))}</p>
  <h1>${escapeHtml(t('handbook.title'))}</h1>
  <p>${escapeHtml(t('handbook.intro', { count: chapters.length }))}</p>
  <ol>${contents}</ol>
</header>
<section class="chapter wide-table" data-testid="comparison"><h2>${escapeHtml(t('handbook.comparison'))}</h2>
${tables.join('')}
</section>
${chapters
  .map(
    (c, i) =>
      `<article class="chapter-break">${reportBody(docs[i]!, { locale, municipality: c.municipality, status: c.status, stand: { label: t('handbook.published'), at: c.publishedAt }, boards: c.boards, redactAnonymised: true }, t)}</article>`,
  )
  .join('\n')}`
    return page(locale, t('handbook.title'), body)
  } finally {
    for (const doc of docs) doc.destroy()
  }
}
