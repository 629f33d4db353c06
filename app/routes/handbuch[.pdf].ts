/** The handbook as a PDF, printed by headless Chromium. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { createI18n } from '~/i18n'
import { handbookChapters, handbookHtml } from '~/report/handbook.server'
import { isPdfUnavailable } from '~/report/pdf.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, chapters } = await handbookChapters(request, context)
  const t = createI18n(locale).t
  try {
    const pdf = await context.services.renderPdf(handbookHtml(locale, chapters), t('handbook.title'))
    return new Response(new Uint8Array(pdf), {
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="Handbuch-Konfliktmanagement.pdf"', 'Cache-Control': 'private, no-store' },
    })
  } catch (error) {
    if (!isPdfUnavailable(error)) throw error
    return new Response(t('report.pdfFailed', { reason: error.message }), { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
}
