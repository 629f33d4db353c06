/** A small form that switches between German and English. */
import { Form, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  const location = useLocation()
  const other = i18n.language === 'de' ? 'en' : 'de'
  return (
    <Form method="post" action="/lang" reloadDocument className="lang-switch">
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="back" value={location.pathname + location.search} />
      <button type="submit" aria-label={t('app.language')}>
        {other === 'en' ? 'English' : 'Deutsch'}
      </button>
    </Form>
  )
}
