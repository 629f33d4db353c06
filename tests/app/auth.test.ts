/** The route helpers' pure parts: where sign-in may send people back to, and the new-password check. */
import { describe, expect, it } from 'vitest'
import { newPasswordProblem, returnPath } from '../../app/auth.server'

describe('returnPath', () => {
  it('keeps paths on this site, with their query', () => {
    expect(returnPath('/kurse/abc?x=1')).toBe('/kurse/abc?x=1')
    expect(returnPath('/')).toBe('/')
  })

  it('sends everything that could leave the site to the dashboard', () => {
    for (const value of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'kurse', '', null, undefined, 42, '/x\u0000y', '/\nfoo']) {
      expect(returnPath(value)).toBe('/')
    }
  })
})

describe('newPasswordProblem', () => {
  it('accepts a long enough password typed twice the same', () => {
    expect(newPasswordProblem('ein-gutes-passwort', 'ein-gutes-passwort')).toBeNull()
  })

  it('names the rule a password breaks', () => {
    expect(newPasswordProblem('kurz', 'kurz')).toEqual({ key: 'password.tooShort', values: { min: 10 } })
    expect(newPasswordProblem('x'.repeat(201), 'x'.repeat(201))).toEqual({ key: 'password.tooLong', values: { max: 200 } })
    expect(newPasswordProblem('ein-gutes-passwort', 'ein-anderes-passwort')).toEqual({ key: 'password.mismatch', values: {} })
  })
})
