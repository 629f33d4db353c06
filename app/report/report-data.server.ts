/** Gathers what the Systemdesign-Bericht prints for one municipality, for the person asking. */
import type { AppLoadContext } from '@remix-run/node'
import { z } from 'zod'
import { boardAccess } from '../../access/policy'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import * as snapshots from '../../db/snapshots.server'
import { applyReportChoices, listReportBoards } from '../../db/report-boards.server'
import { forbidden, notFound, requireCan, requirePrincipal } from '~/auth.server'
import { createI18n, localeFromRequest, type Locale } from '~/i18n'
import type { ReportBoard, ReportInput } from './report.server'

/**
 * The state of a municipality's design and its boards the report prints, or 403/404: the
 * current one (the boards this person may read), or with `?stand=<snapshot id>` a snapshot's.
 */
export async function currentReport(
  request: Request,
  context: AppLoadContext,
  municipalityId: string | undefined,
): Promise<ReportInput & { municipalityId: string; personId: string; canChooseBoards: boolean; boardChoices: { id: string; title: string; included: boolean }[] }> {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(municipalityId)
  const municipality = id.success ? await courses.getMunicipality(context.sql, id.data) : null
  if (!municipality) throw notFound()
  requireCan(principal, { type: 'municipality.view', municipalityId: municipality.id })
  const [document, design, whiteboards] = await Promise.all([
    boards.getDesignDocument(context.sql, municipality.id),
    courses.getDesign(context.sql, municipality.id),
    boards.listBoards(context.sql, { municipalityIds: [municipality.id] }),
  ])
  if (!document) throw notFound()
  if (boardAccess(principal, document) === 'none') throw forbidden()
  const locale = localeFromRequest(request)
  // The team's choice of boards and their order (decision 0042); every whiteboard is printed until someone leaves one out.
  const readable = applyReportChoices(
    whiteboards.filter((b) => b.kind === 'whiteboard' && boardAccess(principal, b) !== 'none').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
    await listReportBoards(context.sql, municipality.id),
  )
  const common = {
    municipalityId: municipality.id,
    personId: principal.personId,
    locale,
    municipality: { name: municipality.name },
    status: design?.status ?? 'Entwurf',
    canChooseBoards: boardAccess(principal, document) === 'write',
    boardChoices: readable.map((b) => ({ id: b.id, title: b.title, included: b.included })),
  }
  const included = new Map(readable.map((b, i) => [b.id, { i, included: b.included }]))
  const stand = new URL(request.url).searchParams.get('stand')
  if (stand) {
    requireCan(principal, { type: 'snapshot.view', municipalityId: municipality.id })
    const snapshot = z.uuid().safeParse(stand).success ? await snapshots.getSnapshot(context.sql, stand) : null
    if (!snapshot || snapshot.municipalityId !== municipality.id) throw notFound()
    const frozen = await snapshots.snapshotBoards(context.sql, snapshot.id)
    const designBoard = frozen.find((b) => b.boardKind === 'design')
    if (!designBoard) throw notFound()
    return {
      ...common,
      stand: { label: snapshot.label, at: snapshot.takenAt },
      design: designBoard.state,
      boards: await drawBoards(
        context,
        frozen
          .filter((b) => b.boardKind === 'whiteboard' && included.get(b.boardId)?.included !== false)
          .sort((a, b) => (included.get(a.boardId)?.i ?? Number.MAX_SAFE_INTEGER) - (included.get(b.boardId)?.i ?? Number.MAX_SAFE_INTEGER)),
        locale,
      ),
    }
  }
  return {
    ...common,
    stand: { label: createI18n(locale).t('report.current'), at: new Date() },
    design: await context.services.rooms.currentState(document.id),
    boards: await drawBoards(context, await Promise.all(readable.filter((b) => b.included).map(async (b) => ({ title: b.title, state: await context.services.rooms.currentState(b.id) }))), locale),
  }
}

/** Each board's picture as tldraw draws it, one after another (the pictures share one Chromium page). */
export async function drawBoards(context: AppLoadContext, boards: { title: string; state: Uint8Array }[], locale: Locale): Promise<ReportBoard[]> {
  const drawn: ReportBoard[] = []
  for (const board of boards) drawn.push({ title: board.title, picture: await context.services.boardPictures.draw(board.state, { title: board.title, locale }) })
  return drawn
}
