/**
 * A board as a PDF with one page per frame: the editor in the browser exports each frame as
 * SVG (tldraw's exporter), this action prints them in headless Chromium, one landscape page each.
 */
import type { ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { boardAccess } from '../../access/policy'
import { recordAudit } from '../../db/audit.server'
import { getBoard } from '../../db/boards.server'
import { forbidden, notFound, requirePrincipal } from '~/auth.server'
import { createI18n, localeFromRequest } from '~/i18n'
import { isPdfUnavailable, PDF_EXPORT_MAX_BYTES as MAX_BODY_BYTES } from '~/report/pdf.server'
import { escapeHtml } from '~/report/prose'

const body = z.object({
  pages: z
    .array(z.object({ title: z.string().max(300), svg: z.string().max(15 * 1024 * 1024).regex(/^\s*<svg[\s>]/, 'not an SVG document') }))
    .min(1)
    .max(100),
})

export async function action({ request, context, params }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const board = await getBoard(context.sql, params.boardId ?? '')
  if (!board) throw notFound()
  if (boardAccess(principal, board) === 'none') throw forbidden()
  const t = createI18n(localeFromRequest(request)).t
  if (request.method !== 'POST') return new Response(null, { status: 405 })
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return text(413, t('boardTools.tooLarge'))
  const raw = await request.text()
  if (raw.length > MAX_BODY_BYTES) return text(413, t('boardTools.tooLarge'))
  let parsed: z.infer<typeof body>
  try {
    parsed = body.parse(JSON.parse(raw))
  } catch {
    return text(400, t('boardTools.badExport'))
  }
  const pages = parsed.pages.map((p) => `<section class="page"><h1>${escapeHtml(p.title)}</h1><div class="picture">${p.svg}</div></section>`)
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(board.title)}</title><style>
@page { size: A4 landscape; margin: 10mm; }
body { margin: 0; font-family: "DejaVu Sans", Arial, sans-serif; }
.page { break-after: page; height: 180mm; display: flex; flex-direction: column; }
.page:last-child { break-after: auto; }
h1 { font-size: 12pt; margin: 0 0 4mm; }
.picture { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; }
.picture svg { max-width: 100%; max-height: 100%; width: auto; height: auto; }
</style></head><body>${pages.join('')}</body></html>`
  try {
    const pdf = await context.services.renderPdf(html, board.title)
    await recordAudit(context.sql, { personId: principal.personId, action: 'export.board', municipalityId: board.municipalityId, subjectId: board.id, details: { pages: pages.length } })
    return new Response(new Uint8Array(pdf), { headers: { 'Content-Type': 'application/pdf', 'Cache-Control': 'private, no-store' } })
  } catch (error) {
    if (!isPdfUnavailable(error)) throw error
    return text(503, t('report.pdfFailed', { reason: error.message }))
  }
}

function text(status: number, message: string) {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
