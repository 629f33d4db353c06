/**
 * Single sign-on through an OpenID Connect provider (Keycloak, ADFS, Entra ID …) with
 * openid-client: discovery, authorization code flow with PKCE, state and nonce, claims from
 * the ID token and UserInfo, RP-initiated logout and back-channel logout (decision 0032).
 * Who may come in is decided here: an existing account with the verified email, or a new one
 * only when an open invitation or a group claim grants a role.
 */
import * as client from 'openid-client'
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import type { Logger } from 'pino'
import { z } from 'zod'
import { asSql, type Sql } from '../db/client.server'
import * as memberships from '../db/memberships.server'
import * as people from '../db/people.server'
import * as sso from '../db/sso.server'
import type { OidcSettings } from '../server/env.server'
import { hashSecret } from './credentials.server'

/** Cookie that binds a sign-in in flight to the browser that started it (holds the state). */
export const SSO_STATE_COOKIE = 'werkraum_sso'
/** Where the provider sends the browser back (register `<PUBLIC_URL>` + this at the provider). */
export const SSO_CALLBACK_PATH = '/anmelden/sso/zurueck'
/** Where the provider posts logout tokens (back-channel logout). */
export const SSO_BACKCHANNEL_PATH = '/anmelden/sso/backchannel'

/** The cookie that ties a sign-in in flight to this browser (sent back only to /anmelden/sso/…). */
export function ssoStateCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SSO_STATE_COOKIE}=${value}`, 'Path=/anmelden/sso', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ')
}

export type RefusalReason = 'state' | 'provider' | 'no_email' | 'unverified_email' | 'not_invited'

export type SignInOutcome = { ok: true; personId: string; returnTo: string; from: { subject: string; sessionId: string | null; idToken: string | null } } | { ok: false; reason: RefusalReason }

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

// Loose: the nonce check needs to see claims the schema does not name.
const logoutTokenClaims = z
  .looseObject({
    sub: z.string().optional(),
    sid: z.string().optional(),
    events: z.record(z.string(), z.unknown()).refine((events) => BACKCHANNEL_EVENT in events, 'not a back-channel logout event'),
  })
  .refine((claims) => !('nonce' in claims), 'a logout token carries no nonce')
  .refine((claims) => claims.sid || claims.sub, 'a logout token names a session or a subject')

/** The sign-in side of one configured provider; discovery happens on first use and is retried after a failure. */
export class OidcSignIn {
  private config: Promise<client.Configuration> | null = null
  private jwks: JWTVerifyGetKey | null = null

  constructor(
    readonly settings: OidcSettings,
    private readonly sql: Sql,
    private readonly log?: Logger,
  ) {}

  /** The provider's metadata (discovery), cached; a failed discovery is tried again next time. */
  private configuration(): Promise<client.Configuration> {
    this.config ??= discover(this.settings).catch((error) => {
      this.log?.warn({ err: error, issuer: this.settings.issuer }, 'single sign-on: discovery at OIDC_ISSUER failed')
      this.config = null
      throw error
    })
    return this.config
  }

  /** Starts a sign-in: stores state, nonce and PKCE verifier; returns the provider's URL and the state for the binding cookie. */
  async start(origin: string, returnTo: string): Promise<{ url: string; state: string }> {
    const config = await this.configuration()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const codeVerifier = client.randomPKCECodeVerifier()
    await sso.insertPendingSignIn(this.sql, hashSecret(state), { nonce, codeVerifier, returnTo })
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: origin + SSO_CALLBACK_PATH,
      scope: this.settings.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    })
    return { url: url.href, state }
  }

  /** Completes a sign-in from the provider's redirect: checks state, nonce and PKCE, reads the claims and finds or creates the account. */
  async finish(callbackUrl: URL, stateFromCookie: string | null): Promise<SignInOutcome> {
    const state = callbackUrl.searchParams.get('state')
    if (!state || !stateFromCookie || state !== stateFromCookie || state.length > 200) return { ok: false, reason: 'state' }
    const pending = await sso.takePendingSignIn(this.sql, hashSecret(state))
    if (!pending) return { ok: false, reason: 'state' }
    let claims: Record<string, unknown>
    let idToken: string | null
    try {
      const config = await this.configuration()
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
      })
      const fromIdToken = tokens.claims()!
      const fromUserInfo = config.serverMetadata().userinfo_endpoint ? await client.fetchUserInfo(config, tokens.access_token, fromIdToken.sub) : {}
      claims = { ...fromUserInfo, ...fromIdToken }
      idToken = tokens.id_token ?? null
    } catch (error) {
      this.log?.warn({ err: error }, 'single sign-on: the provider did not complete the sign-in')
      return { ok: false, reason: 'provider' }
    }
    const subject = String(claims.sub)
    const outcome = await this.admit(claims)
    if (!outcome.ok) {
      this.log?.info({ reason: outcome.reason, subject }, 'single sign-on: refused')
      return outcome
    }
    return { ok: true, personId: outcome.personId, returnTo: pending.returnTo, from: { subject, sessionId: typeof claims.sid === 'string' ? claims.sid : null, idToken } }
  }

  /** Maps claims to an account: matched by verified email; created only when an invitation or a group grants a role. */
  private async admit(claims: Record<string, unknown>): Promise<{ ok: true; personId: string } | { ok: false; reason: RefusalReason }> {
    const { claims: names, groupRoles, requireVerifiedEmail } = this.settings
    const email = z.email().safeParse(typeof claims[names.email] === 'string' ? (claims[names.email] as string).trim().toLowerCase() : undefined)
    if (!email.success) return { ok: false, reason: 'no_email' }
    if (requireVerifiedEmail && claims.email_verified !== true && claims.email_verified !== 'true') return { ok: false, reason: 'unverified_email' }
    const name = typeof claims[names.name] === 'string' ? (claims[names.name] as string).trim().slice(0, 200) : ''
    const groups = groupsOf(claims[names.groups])
    const granted = [...new Set(groups.flatMap((group) => groupRoles.get(group) ?? []))]

    return this.sql.begin(async (t) => {
      const tx = asSql(t)
      const invitations = await sso.openInvitationsFor(tx, email.data)
      let person = await people.findPersonByEmail(tx, email.data)
      if (!person && invitations.length === 0 && granted.length === 0) return { ok: false, reason: 'not_invited' } as const
      if (!person) {
        await people.createPerson(tx, { email: email.data, name, passwordHash: null })
        person = (await people.findPersonByEmail(tx, email.data))!
      } else if (!person.name && name) {
        await people.updatePerson(tx, person.id, { name })
      }
      for (const invitation of invitations) {
        if (!(await memberships.markInvitationAccepted(tx, invitation.id))) continue
        await memberships.grant(tx, { personId: person.id, role: invitation.role, courseId: invitation.courseId, municipalityId: invitation.municipalityId, grantedBy: person.id, via: 'invitation' })
      }
      for (const role of granted) await memberships.grant(tx, { personId: person.id, role, courseId: null, municipalityId: null, grantedBy: null, via: 'sso-group' })
      return { ok: true, personId: person.id } as const
    })
  }

  /** The provider's sign-out URL for a session that came from it (RP-initiated logout), or null when it has none. */
  async endSessionUrl(idToken: string, postLogoutRedirect: string): Promise<string | null> {
    const config = await this.configuration().catch(() => null)
    if (!config?.serverMetadata().end_session_endpoint) return null
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirect }).href
  }

  /** Handles a back-channel logout token: verifies it and ends the Werkraum sessions it names; returns how many. */
  async backchannelLogout(logoutToken: string): Promise<number> {
    const config = await this.configuration()
    const metadata = config.serverMetadata()
    if (!metadata.jwks_uri) throw new Error('the provider publishes no jwks_uri')
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri))
    const { payload } = await jwtVerify(logoutToken, this.jwks, { issuer: metadata.issuer, audience: this.settings.clientId, maxTokenAge: '5 minutes' })
    const claims = logoutTokenClaims.parse(payload)
    return sso.endProviderSessions(this.sql, { subject: claims.sub ?? null, sessionId: claims.sid ?? null })
  }
}

/** Discovers the provider; plain http is allowed only for a provider on this machine (tests, development). */
function discover(settings: OidcSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer)
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
  const auth = settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None()
  return client.discovery(issuer, settings.clientId, settings.clientSecret, auth, {
    execute: issuer.protocol === 'http:' && loopback ? [client.allowInsecureRequests] : [],
  })
}

/** A groups claim as a list: providers send an array, a single string, or a space/comma-separated string. */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string').map((g) => g.trim())
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean)
  return []
}
