/** Sign-out (POST only): ends the session server-side, closes its open sockets and clears the cookie. */
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession, sessionIdOf } from '../../access/authenticate.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const sessionId = sessionIdOf(request.headers.get('cookie'))
  const cookie = await endSession(context.sql, request.headers.get('cookie'), { secure: context.client.secure })
  // The board sockets opened with this session end with it, on every process.
  if (sessionId) await context.services.closeSocketsOf({ sessionId })
  return redirect('/anmelden?abgemeldet', { headers: { 'Set-Cookie': cookie } })
}
