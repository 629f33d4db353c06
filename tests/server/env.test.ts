/** Configuration is validated once at start; a wrong value names its variable. */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ConfigError, readEnv } from '../../server/env.server'

describe('configuration', () => {
  it('has defaults that make a fresh start work', () => {
    const env = readEnv({})
    expect(env).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, maxMessageBytes: 5 * 1024 * 1024 })
    expect(env.dataDir).toMatch(/data$/)
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['MAX_MESSAGE_BYTES', '12'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'nginx please'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => readEnv({ [name]: value })).toThrow(ConfigError)
    expect(() => readEnv({ [name]: value })).toThrow(name)
  })

  it('takes TRUST_PROXY as Express does: a hop count or proxy addresses; "true" trusts one hop, never every hop', () => {
    expect(readEnv({}).trustProxy).toBe(false)
    expect(readEnv({ TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(readEnv({ TRUST_PROXY: 'true' }).trustProxy).toBe(1)
    expect(readEnv({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(readEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8'])
  })

  it('refuses REDIS_URL without DATABASE_URL (processes cannot share an embedded database)', () => {
    expect(() => readEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow('REDIS_URL')
    expect(readEnv({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://h/db' }).redisUrl).toBe('redis://127.0.0.1:6379')
  })

  it('single sign-on needs issuer and client id together; password sign-in can be turned off only when it is configured; group roles are parsed', () => {
    expect(() => readEnv({ OIDC_ISSUER: 'https://sso.example/realms/kommune' })).toThrow('OIDC_CLIENT_ID')
    expect(() => readEnv({ PASSWORD_LOGIN: '0' })).toThrow('PASSWORD_LOGIN')
    expect(() => readEnv({ OIDC_ISSUER: 'https://sso.example', OIDC_CLIENT_ID: 'werkraum', OIDC_GROUP_ROLES: 'admins=superuser' })).toThrow('OIDC_GROUP_ROLES')
    const env = readEnv({ OIDC_ISSUER: 'https://sso.example', OIDC_CLIENT_ID: 'werkraum', OIDC_GROUP_ROLES: ' /werkraum/admins=administrator, KMS Koordination=coordinator', PASSWORD_LOGIN: '0' })
    expect(env.passwordLogin).toBe(false)
    expect(env.oidc).toMatchObject({ issuer: 'https://sso.example', clientId: 'werkraum', clientSecret: undefined, requireVerifiedEmail: true, claims: { email: 'email', name: 'name', groups: 'groups' } })
    expect([...env.oidc!.groupRoles]).toEqual([
      ['/werkraum/admins', 'administrator'],
      ['KMS Koordination', 'coordinator'],
    ])
    expect(readEnv({}).oidc).toBeUndefined()
  })

  it('stops the process with a message naming the variable', () => {
    const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server/index.ts'], {
      env: { ...process.env, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).not.toBe(0)
    expect(result.stderr).toContain('PORT')
  })
})
