/**
 * The i18n layer: German by default, English second. The locale comes from the `lang`
 * cookie, else the browser's Accept-Language, else German.
 */
import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { de } from './de'
import { en } from './en'

export const locales = ['de', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'de'

/** Picks the locale for a request from its cookie and Accept-Language header. */
export function localeFromRequest(request: Request): Locale {
  const cookie = request.headers.get('cookie') ?? ''
  const fromCookie = /(?:^|;\s*)lang=(de|en)\b/.exec(cookie)?.[1]
  if (fromCookie) return fromCookie as Locale
  const accept = request.headers.get('accept-language') ?? ''
  for (const part of accept.split(',')) {
    const tag = part.split(';')[0].trim().slice(0, 2).toLowerCase()
    if (tag === 'de' || tag === 'en') return tag
  }
  return defaultLocale
}

/** Creates an initialised i18next instance for one locale (synchronous: resources are bundled). */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance()
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: defaultLocale,
    resources: { de: { translation: de }, en: { translation: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  })
  return instance
}
