/** Back-channel logout (OpenID Connect): the provider posts a signed logout token; the sessions it names end here too. */
import type { ActionFunctionArgs } from '@remix-run/node'
import { notFound } from '~/auth.server'

export async function loader() {
  throw notFound()
}

export async function action({ request, context }: ActionFunctionArgs) {
  const sso = context.services.sso
  if (!sso) throw notFound()
  const token = (await request.formData()).get('logout_token')
  if (typeof token !== 'string' || token.length > 20_000) return answer(400)
  try {
    await sso.backchannelLogout(token)
    return answer(200)
  } catch {
    return answer(400)
  }
}

/** The answer the specification asks for: a status, no caching. */
function answer(status: 200 | 400): Response {
  return new Response(status === 200 ? null : JSON.stringify({ error: 'invalid_request' }), { status, headers: { 'Cache-Control': 'no-store', 'Content-Type': 'application/json' } })
}
