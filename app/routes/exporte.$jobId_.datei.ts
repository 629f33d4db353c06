/** The finished file of a background export (only for the person who started it). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { jobResult } from '../../db/export-jobs.server'
import { notFound, requirePrincipal } from '~/auth.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(params.jobId)
  const file = id.success ? await jobResult(context.sql, id.data, principal.personId) : null
  if (!file) throw notFound()
  return new Response(new Uint8Array(file.result), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
