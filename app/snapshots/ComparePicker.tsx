/** Two pickers (earlier and later state, each a snapshot or "jetzt") that open the comparison page. */
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

type Option = { id: string; label: string; kind: string; takenAt: string }

/** The comparison form; a plain GET form, so it works before hydration too. */
export function ComparePicker({ municipalityId, options, from, to }: { municipalityId: string; options: Option[]; from: string; to: string }) {
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' })
  const choices = (
    <>
      <option value="jetzt">{t('snapshots.now')}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label || t(`snapshots.kinds.${o.kind}`)} · {dateFormat.format(new Date(o.takenAt))}
        </option>
      ))}
    </>
  )
  return (
    <Form method="get" action={`/kommunen/${municipalityId}/staende/vergleich`} className="inline-form">
      <div className="field">
        <label htmlFor="compare-from">{t('snapshots.from')}</label>
        <select id="compare-from" name="von" defaultValue={from} key={`from-${from}`}>
          {choices}
        </select>
      </div>
      <div className="field">
        <label htmlFor="compare-to">{t('snapshots.to')}</label>
        <select id="compare-to" name="bis" defaultValue={to} key={`to-${to}`}>
          {choices}
        </select>
      </div>
      <button type="submit">{t('snapshots.compare')}</button>
    </Form>
  )
}
