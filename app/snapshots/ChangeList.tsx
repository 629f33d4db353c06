/** The differences of one board as a list, grouped into shapes, entries and sections, in the page's language. */
import { useTranslation } from 'react-i18next'
import type { Change, EntryChange, FieldValue } from '../../domain/snapshots/content'
import { TextDiff } from './TextDiff'

const fieldLabelKeys: Record<string, string> = { glasl: 'snapshots.fields.glasl' }

/** The list of changes; an entry change reads like "Verfahren Mediation: Glasl 3–7 → 4–7". */
export function ChangeList({ changes }: { changes: Change[] }) {
  const { t } = useTranslation()
  const value = (v: FieldValue) => (typeof v === 'boolean' ? (v ? t('snapshots.yes') : t('snapshots.no')) : v || '—')
  const fieldLabel = (field: string) => t(fieldLabelKeys[field] ?? `design.fields.${field}`)
  const entryText = (c: EntryChange) => `${t(`design.lists.${c.list}.caption`)} ${c.name}` + c.fields.map((f) => `: ${fieldLabel(f.field)} ${value(f.before)} → ${value(f.after)}`).join(';')
  const groups = [
    { key: 'shapes', items: changes.filter((c) => c.area === 'shape') },
    { key: 'entries', items: changes.filter((c) => c.area === 'entry') },
    { key: 'sectionsHeading', items: changes.filter((c) => c.area === 'section') },
  ].filter((g) => g.items.length > 0)
  return (
    <>
      {groups.map((g) => (
        <div key={g.key}>
          <h4>{t(`snapshots.${g.key}`)}</h4>
          <ul className="change-list">
            {g.items.map((c, i) => (
              <li key={`${c.area}-${i}`} data-change={c.change} data-testid="change">
                {c.area === 'shape' ? (
                  <>
                    <strong>{t(`snapshots.change.${c.change}`)}:</strong> {t(`snapshots.shapeTypes.${c.shapeType}`, { defaultValue: c.shapeType })}
                    {c.textBefore === undefined && c.text ? ` „${c.text}“` : ''}
                    {c.textBefore !== undefined ? <TextDiff before={c.textBefore} after={c.text} /> : null}
                  </>
                ) : c.area === 'entry' ? (
                  <>
                    <strong>{t(`snapshots.change.${c.change}`)}:</strong> {entryText(c)}
                  </>
                ) : (
                  <>
                    <strong>{t('snapshots.sectionChanged', { title: t(`design.sections.${c.section}`) })}</strong>
                    <TextDiff before={c.before} after={c.after} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  )
}
