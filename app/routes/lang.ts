/** Switches the interface language (cookie `lang`) and returns to the page the person was on. */
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { returnPath } from '~/auth.server'
import { locales } from '~/i18n'

const body = z.object({ lang: z.enum(locales), back: z.string().default('/') })

export async function action({ request }: ActionFunctionArgs) {
  const parsed = body.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  return redirect(returnPath(parsed.data.back), {
    headers: { 'Set-Cookie': `lang=${parsed.data.lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  })
}
