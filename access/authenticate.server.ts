/**
 * Who is asking: a session cookie (pages, websockets, socket.io) or a personal access token
 * (`Authorization: Bearer wr_pat_…`, for municipal IT's scripts). Both resolve to a Principal.
 */
import type { Sql } from '../db/client.server'
import * as people from '../db/people.server'
import * as sso from '../db/sso.server'
import { loadRoles } from '../db/memberships.server'
import { hashSecret, newSecret } from './credentials.server'
import type { Principal } from './policy'

export const SESSION_COOKIE = 'werkraum_session'
export const SESSION_DAYS = 14
export const TOKEN_PREFIX = 'wr_pat_'

/** Headers that may carry credentials. */
export type CredentialHeaders = { cookie?: string | null; authorization?: string | null }

/** Reads one cookie's value from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}

/**
 * What a connection signed in with: the person, and the session (by the hash of its secret, the
 * sessions table's key) or the access token (by id) — so its sockets can be closed when that ends.
 */
export type Credential = { personId: string; sessionId: string | null; tokenId: string | null }

/** The credential behind the request's headers, or null (a bearer token takes precedence over the cookie). */
export async function credentialFor(sql: Sql, headers: CredentialHeaders): Promise<Credential | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1]
  if (bearer) {
    const token = bearer.startsWith(TOKEN_PREFIX) ? await people.accessTokenFor(sql, hashSecret(bearer)) : null
    return token ? { personId: token.personId, sessionId: null, tokenId: token.tokenId } : null
  }
  const session = readCookie(headers.cookie, SESSION_COOKIE)
  if (!session || session.length >= 200) return null
  const sessionId = hashSecret(session)
  const personId = await people.personForSession(sql, sessionId)
  return personId ? { personId, sessionId, tokenId: null } : null
}

/** The person behind the request's credentials, or null (a bearer token takes precedence over the cookie). */
export async function authenticate(sql: Sql, headers: CredentialHeaders): Promise<string | null> {
  return (await credentialFor(sql, headers))?.personId ?? null
}

/** The session id (as `Credential.sessionId`) of a Cookie header, or null. */
export function sessionIdOf(cookieHeader: string | null | undefined): string | null {
  const secret = readCookie(cookieHeader, SESSION_COOKIE)
  return secret ? hashSecret(secret) : null
}

/** Loads everything the policy needs to know about a person. */
export async function loadPrincipal(sql: Sql, personId: string): Promise<Principal> {
  const { memberships, courseTeams } = await loadRoles(sql, personId)
  return { personId, memberships, courseTeams }
}

/** Authenticates and loads the principal in one step; null when nobody is signed in. */
export async function principalFor(sql: Sql, headers: CredentialHeaders): Promise<Principal | null> {
  const personId = await authenticate(sql, headers)
  return personId ? loadPrincipal(sql, personId) : null
}

/** Starts a session for a person (`from`: the provider session it came from, for single sign-on); returns the Set-Cookie header value. */
export async function startSession(
  sql: Sql,
  personId: string,
  options: { secure: boolean; from?: { subject: string; sessionId: string | null; idToken: string | null } },
): Promise<string> {
  const secret = newSecret()
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000)
  await people.insertSession(sql, hashSecret(secret), personId, expiresAt)
  if (options.from) await sso.markSessionFromProvider(sql, hashSecret(secret), options.from)
  return sessionCookie(secret, SESSION_DAYS * 24 * 3600, options.secure)
}

/** The provider's ID token of the request's session when it came through single sign-on, else null. */
export async function providerIdTokenOf(sql: Sql, cookieHeader: string | null): Promise<string | null> {
  const secret = readCookie(cookieHeader, SESSION_COOKIE)
  return secret && secret.length < 200 ? sso.providerIdTokenOf(sql, hashSecret(secret)) : null
}

/** Ends the request's session server-side; returns the Set-Cookie header that clears it. */
export async function endSession(sql: Sql, cookieHeader: string | null, options: { secure: boolean }): Promise<string> {
  const secret = readCookie(cookieHeader, SESSION_COOKIE)
  if (secret) await people.deleteSession(sql, hashSecret(secret))
  return sessionCookie('', 0, options.secure)
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

/** Creates a personal access token for a person, optionally expiring; returns the secret (shown once, stored hashed). */
export async function createAccessToken(sql: Sql, personId: string, label: string, expiresAt: Date | null = null): Promise<{ id: string; token: string }> {
  const token = newSecret(TOKEN_PREFIX)
  const id = await people.insertAccessToken(sql, personId, hashSecret(token), label, expiresAt)
  return { id, token }
}
