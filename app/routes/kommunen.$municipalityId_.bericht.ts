/** The Systemdesign-Bericht as a printable page (the same document the PDF is printed from); above it, for the team, which boards it prints and in which order. */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { forbidden } from '~/auth.server'
import { designReportHtml } from '~/report/report.server'
import { currentReport } from '~/report/report-data.server'
import { saveReportBoards } from '../../db/report-boards.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const report = await currentReport(request, context, params.municipalityId)
  const stand = new URL(request.url).searchParams.has('stand')
  const settings = report.canChooseBoards && !stand ? { action: `/kommunen/${report.municipalityId}/bericht`, boards: report.boardChoices } : null
  return new Response(designReportHtml(report, null, settings), {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' },
  })
}

const choices = z.object({
  board: z.array(z.uuid()).max(500),
  include: z.array(z.uuid()).max(500),
  position: z.array(z.coerce.number().int().min(1).max(10_000)).max(500),
})

/** Stores the team's choice: the listed boards in the order of their position numbers, the checked ones printed. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const report = await currentReport(request, context, params.municipalityId)
  if (!report.canChooseBoards) throw forbidden()
  const form = await request.formData()
  const parsed = choices.safeParse({ board: form.getAll('board'), include: form.getAll('include'), position: form.getAll('position') })
  if (!parsed.success || parsed.data.position.length !== parsed.data.board.length) return new Response('invalid form', { status: 400 })
  const { board, include, position } = parsed.data
  const ordered = board.map((id, i) => ({ id, i, position: position[i]! })).sort((a, b) => a.position - b.position || a.i - b.i)
  await saveReportBoards(
    context.sql,
    report.municipalityId,
    ordered.map((b) => ({ boardId: b.id, included: include.includes(b.id) })),
  )
  return redirect(`/kommunen/${report.municipalityId}/bericht`, 303)
}
