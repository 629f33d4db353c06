/** Every code the access area can hand the pages has a German and an English text. */
import { describe, expect, it } from 'vitest'
import { roles } from '../../access/policy'
import { designStatuses } from '../../db/courses.server'
import { createI18n, locales } from '../../app/i18n'

const rowErrors = ['name_missing', 'name_too_long', 'email_invalid', 'municipality_missing', 'municipality_unknown', 'role_invalid', 'email_duplicate', 'columns']
const fileErrors = ['empty', 'too_large', 'unreadable', 'columns', 'too_many_rows']

describe.each(locales)('texts in %s', (locale) => {
  const i18n = createI18n(locale)
  const keys = [
    ...roles.map((r) => `roles.${r}`),
    ...designStatuses.map((s) => `designStatus.${s}`),
    ...rowErrors.map((c) => `import.errors.${c}`),
    ...fileErrors.map((c) => `import.fileErrors.${c}`),
    'errors.forbiddenTitle',
    'errors.forbidden',
  ]

  it('has a text for every role, design status, import error and the 403 page', () => {
    for (const key of keys) expect(i18n.exists(key, { lng: locale, fallbackLng: [] }), key).toBe(true)
  })

  it('says "Kein Zugriff" in German and "No access" in English', () => {
    expect(i18n.t('errors.forbiddenTitle')).toBe(locale === 'de' ? 'Kein Zugriff' : 'No access')
  })
})
