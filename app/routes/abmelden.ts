/** Sign-out (POST only): ends the session server-side, closes its open sockets and clears the cookie; a single sign-on session is ended at the provider too. */
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession, providerIdTokenOf, sessionIdOf } from '../../access/authenticate.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const cookieHeader = request.headers.get('cookie')
  const sessionId = sessionIdOf(cookieHeader)
  const idToken = context.services.sso ? await providerIdTokenOf(context.sql, cookieHeader) : null
  const cookie = await endSession(context.sql, cookieHeader, { secure: context.client.secure })
  // The board sockets opened with this session end with it, on every process.
  if (sessionId) await context.services.closeSocketsOf({ sessionId })
  const signedOut = `${context.services.publicUrl}/anmelden?abgemeldet`
  const atProvider = idToken ? await context.services.sso!.endSessionUrl(idToken, signedOut) : null
  return redirect(atProvider ?? '/anmelden?abgemeldet', { headers: { 'Set-Cookie': cookie } })
}
