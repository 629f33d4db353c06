/** The Systemdesign-Bericht as a printable page (the same document the PDF is printed from). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { designReportHtml } from '~/report/report.server'
import { currentReport } from '~/report/report-data.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const report = await currentReport(request, context, params.municipalityId)
  return new Response(designReportHtml(report), {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' },
  })
}
