/** The handbook as a printable page (the document the handbook PDF is printed from). */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { handbookChapters, handbookHtml } from '~/report/handbook.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, chapters } = await handbookChapters(request, context)
  return new Response(handbookHtml(locale, chapters), { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' } })
}
