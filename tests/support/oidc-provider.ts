/**
 * A real OpenID provider for tests: the certified `oidc-provider` package on a free loopback
 * port, with its development login form (any login name is an account id, any password).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

export type TestAccount = { email: string; email_verified: boolean; name: string; groups: string[] }

export type TestProvider = {
  issuer: string
  clientId: string
  clientSecret: string
  close(): Promise<void>
}

/** Starts the provider with one confidential client registered for the Werkraum at `werkraumUrl`. */
export async function startTestProvider(werkraumUrl: string, accounts: Record<string, TestAccount>): Promise<TestProvider> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const clientId = 'werkraum'
  const clientSecret = 'test-client-secret-0123456789abcdef'
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${werkraumUrl}/anmelden/sso/zurueck`],
        post_logout_redirect_uris: [`${werkraumUrl}/anmelden?abgemeldet`],
        backchannel_logout_uri: `${werkraumUrl}/anmelden/sso/backchannel`,
        backchannel_logout_session_required: true,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    async findAccount(_ctx, id) {
      const account = accounts[id]
      if (!account) return undefined
      return { accountId: id, claims: async () => ({ sub: id, ...account }) }
    },
    features: { devInteractions: { enabled: true }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['werkraum-test-provider-cookie-key'] },
    // The provider refuses to call loopback addresses (SSRF protection); here Werkraum is on one, so its back-channel logout call goes without that guard.
    fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
  })
  provider.on('backchannel.error', (_ctx, error) => console.error('test provider: back-channel logout failed:', error))
  server.on('request', provider.callback())
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
