/** A changed text as before → after, with the removed words struck through and the added words marked (a word diff by the `diff` library). */
import { diffWordsWithSpace } from 'diff'
import { useTranslation } from 'react-i18next'

/** The two versions of a text, each with its changed words marked. */
export function TextDiff({ before, after }: { before: string; after: string }) {
  const { t } = useTranslation()
  const parts = diffWordsWithSpace(before, after)
  return (
    <div className="text-diff" data-testid="text-diff">
      <p>
        <span className="text-diff-label">{t('snapshots.before')}:</span>{' '}
        {before ? parts.filter((p) => !p.added).map((p, i) => (p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>)) : <em className="muted">{t('snapshots.emptyText')}</em>}
      </p>
      <p>
        <span className="text-diff-label">{t('snapshots.after')}:</span>{' '}
        {after ? parts.filter((p) => !p.removed).map((p, i) => (p.added ? <ins key={i}>{p.value}</ins> : <span key={i}>{p.value}</span>)) : <em className="muted">{t('snapshots.emptyText')}</em>}
      </p>
    </div>
  )
}
