/** The results of closed dot-voting rounds (Punktabfrage): totals per shape, highest first, and for named rounds who voted where. */
import { useTranslation } from 'react-i18next'
import type { VoteResult } from '../../collab/features/facilitation.server'

/** Lists the given rounds' results, newest first. */
export function VoteResults({ results }: { results: VoteResult[] }) {
  const { t } = useTranslation()
  if (results.length === 0) return <p className="muted">{t('facilitation.voteNoResults')}</p>
  return (
    <div className="vote-results" data-testid="vote-results">
      {[...results].reverse().map((r) => (
        <div key={r.roundId}>
          <ol>
            {r.totals.map((total) => (
              <li key={total.id} data-testid="vote-total">
                <strong>{total.label}</strong> — {t('facilitation.voteDotsOn', { count: total.dots })}
                {r.byPerson ? (
                  <span className="muted">
                    {' '}
                    (
                    {r.byPerson
                      .filter((p) => p.target === total.id)
                      .map((p) => `${p.name} ×${p.dots}`)
                      .join(', ')}
                    )
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  )
}
