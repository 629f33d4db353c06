/**
 * Route helpers around the access policy: who is signed in, and the policy's answer turned
 * into HTTP — signed out → redirect to /anmelden?weiter=…, no access → 403, nothing there → 404.
 */
import { data, redirect, type AppLoadContext } from '@remix-run/node'
import { principalFor } from '../access/authenticate.server'
import { passwordRules } from '../access/credentials.server'
import { can, type Action, type Principal } from '../access/policy'
import * as people from '../db/people.server'

export { can, passwordRules }

/** The signed-in principal of a request, or null. */
export function currentPrincipal(request: Request, context: AppLoadContext): Promise<Principal | null> {
  return principalFor(context.sql, { cookie: request.headers.get('cookie') })
}

/** The signed-in principal; throws a redirect to the sign-in page (returning here afterwards) when signed out. */
export async function requirePrincipal(request: Request, context: AppLoadContext): Promise<Principal> {
  const principal = await currentPrincipal(request, context)
  if (principal) return principal
  const url = new URL(request.url)
  throw redirect(`/anmelden?weiter=${encodeURIComponent(url.pathname + url.search)}`)
}

/** Throws a 403 unless the policy allows the action. */
export function requireCan(principal: Principal, action: Action): void {
  if (!can(principal, action)) throw forbidden()
}

/** The 403 response the root error boundary shows as "Kein Zugriff". */
export function forbidden() {
  return data({ reason: 'forbidden' as const }, { status: 403 })
}

/** The 404 response the root error boundary shows as "Nicht gefunden". */
export function notFound() {
  return data({ reason: 'not_found' as const }, { status: 404 })
}

/** A return path after sign-in: only a path on this site (never `//host` or `/\host`), else the dashboard. */
export function returnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  if (/[\u0000-\u001f]/.test(value)) return '/'
  return value
}

/** The signed-in person's name and email (for headers and greetings). */
export async function personOf(context: AppLoadContext, principal: Principal) {
  const person = await people.getPerson(context.sql, principal.personId)
  if (!person) throw redirect('/anmelden')
  return { id: person.id, name: person.name || person.email, email: person.email }
}

/** Whether the person gets the course administration link (coordinators, lecturers, administrators). */
export function managesCourses(principal: Principal): boolean {
  return can(principal, { type: 'course.create' }) || principal.memberships.some((m) => m.courseId !== null && can(principal, { type: 'course.manage', courseId: m.courseId }))
}

/** Checks a new password against the rules; returns an i18n key with its values, or null when fine. */
export function newPasswordProblem(password: string, repeat: string): { key: string; values: Record<string, number> } | null {
  if (password.length < passwordRules.minLength) return { key: 'password.tooShort', values: { min: passwordRules.minLength } }
  if (password.length > passwordRules.maxLength) return { key: 'password.tooLong', values: { max: passwordRules.maxLength } }
  if (password !== repeat) return { key: 'password.mismatch', values: {} }
  return null
}
