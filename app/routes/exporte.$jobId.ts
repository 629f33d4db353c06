/** A background export's state as JSON (for the person who started it): progress, and where to fetch the file when done. */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { getJob, tidyJobs } from '../../db/export-jobs.server'
import { notFound, requirePrincipal } from '~/auth.server'
import { createI18n, localeFromRequest } from '~/i18n'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw notFound()
  await tidyJobs(context.sql, createI18n(localeFromRequest(request)).t('exports.stopped'))
  const job = await getJob(context.sql, id.data, principal.personId)
  if (!job) throw notFound()
  return Response.json(
    {
      id: job.id,
      status: job.status,
      progress: job.progress,
      total: job.total,
      error: job.error,
      download: job.status === 'done' ? `/exporte/${job.id}/datei` : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
