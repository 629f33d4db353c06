/** The provider's redirect back after single sign-on: checks it, finds or creates the account, starts a session — or shows why not. */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { endSession, readCookie, startSession } from '../../access/authenticate.server'
import { SSO_CALLBACK_PATH, SSO_STATE_COOKIE, ssoStateCookie } from '../../access/oidc.server'
import { notFound, returnPath } from '~/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const sso = context.services.sso
  if (!sso) throw notFound()
  const cookieHeader = request.headers.get('cookie')
  // The redirect URI registered at the provider, with the provider's parameters (behind a proxy request.url may differ).
  const callback = new URL(SSO_CALLBACK_PATH + new URL(request.url).search, context.services.publicUrl)
  const outcome = await sso.finish(callback, readCookie(cookieHeader, SSO_STATE_COOKIE))
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  headers.append('Set-Cookie', ssoStateCookie('', 0, context.client.secure))
  if (!outcome.ok) return redirect(`/anmelden/abgelehnt?grund=${outcome.reason}`, { headers })
  // Never adopt a session id the browser brought along (fixation): end it, issue a new one.
  await endSession(context.sql, cookieHeader, { secure: context.client.secure })
  headers.append('Set-Cookie', await startSession(context.sql, outcome.personId, { secure: context.client.secure, from: outcome.from }))
  return redirect(returnPath(outcome.returnTo), { headers })
}
