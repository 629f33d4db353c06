/** The Systemdesign-Bericht as a PDF, printed by headless Chromium from the report page's document. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '../../db/audit.server'
import { createI18n } from '~/i18n'
import { isPdfUnavailable } from '~/report/pdf.server'
import { designReportHtml } from '~/report/report.server'
import { currentReport } from '~/report/report-data.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const report = await currentReport(request, context, params.municipalityId)
  const t = createI18n(report.locale).t
  try {
    const status = t(`designStatus.${report.status}`, { defaultValue: report.status })
    const pdf = await context.services.renderPdfWithContents(
      (pageNumbers) => designReportHtml(report, pageNumbers),
      `${t('report.kicker')} · ${report.municipality.name}`,
      `${t('report.title', { name: report.municipality.name })} · ${status}`,
    )
    await recordAudit(context.sql, { personId: report.personId, action: 'export.report', municipalityId: report.municipalityId, subjectId: null })
    const file = `Systemdesign-${report.municipality.name.replace(/[^\p{L}\p{N}-]+/gu, '_')}.pdf`
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file)}`,
        'Cache-Control': 'private, no-store',
      },
    })
  } catch (error) {
    if (!isPdfUnavailable(error)) throw error
    return new Response(t('report.pdfFailed', { reason: error.message }), { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
}
