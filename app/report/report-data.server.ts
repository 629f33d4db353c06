/** Gathers what the Systemdesign-Bericht prints for one municipality, for the person asking. */
import type { AppLoadContext } from '@remix-run/node'
import { z } from 'zod'
import { boardAccess } from '../../access/policy'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'
import { forbidden, notFound, requireCan, requirePrincipal } from '~/auth.server'
import { createI18n, localeFromRequest } from '~/i18n'
import type { ReportInput } from './report.server'

/** The current state of a municipality's design and its boards (those this person may read), or 403/404. */
export async function currentReport(request: Request, context: AppLoadContext, municipalityId: string | undefined): Promise<ReportInput & { municipalityId: string; personId: string }> {
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
  const readable = whiteboards.filter((b) => boardAccess(principal, b) !== 'none').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  const locale = localeFromRequest(request)
  return {
    municipalityId: municipality.id,
    personId: principal.personId,
    locale,
    municipality: { name: municipality.name },
    status: design?.status ?? 'Entwurf',
    stand: { label: createI18n(locale).t('report.current'), at: new Date() },
    design: await context.services.rooms.currentState(document.id),
    boards: await Promise.all(readable.map(async (b) => ({ title: b.title, state: await context.services.rooms.currentState(b.id) }))),
  }
}
