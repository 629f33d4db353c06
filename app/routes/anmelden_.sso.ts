/** Starts single sign-on: stores state, nonce and PKCE verifier and sends the browser to the provider. */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { ssoStateCookie } from '../../access/oidc.server'
import { notFound, returnPath } from '~/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const sso = context.services.sso
  if (!sso) throw notFound()
  const returnTo = returnPath(new URL(request.url).searchParams.get('weiter'))
  try {
    const { url, state } = await sso.start(context.services.publicUrl, returnTo)
    return redirect(url, { headers: { 'Set-Cookie': ssoStateCookie(state, 600, context.client.secure), 'Cache-Control': 'no-store' } })
  } catch {
    // Discovery failed: the provider is unreachable or misconfigured (logged with the reason).
    return redirect('/anmelden/abgelehnt?grund=provider')
  }
}
