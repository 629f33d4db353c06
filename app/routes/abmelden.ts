/** Sign-out (POST only): ends the session server-side and clears the cookie. */
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { endSession } from '../../access/authenticate.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endSession(context.sql, request.headers.get('cookie'), { secure: context.client.secure })
  return redirect('/anmelden?abgemeldet', { headers: { 'Set-Cookie': cookie } })
}
