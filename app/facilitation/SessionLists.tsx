/** Session links for the dashboard and the course page, and the course page's form that opens a session. */
import { Link, useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

type SessionLink = { id: string; title: string; moduleNumber: number | null; href: string; facilitator: boolean; courseName?: string }

/** The open live sessions as a card (nothing when there are none and `hideWhenEmpty`). */
export function OpenSessions({ sessions, hideWhenEmpty = false }: { sessions: SessionLink[]; hideWhenEmpty?: boolean }) {
  const { t } = useTranslation()
  if (hideWhenEmpty && sessions.length === 0) return null
  return (
    <section aria-labelledby="sessions-heading" className="card session-card">
      <h2 id="sessions-heading">{t('facilitation.sessions')}</h2>
      {sessions.length === 0 ? (
        <p className="muted">{t('facilitation.noSessions')}</p>
      ) : (
        <ul className="link-list">
          {sessions.map((s) => (
            <li key={s.id} data-testid="open-session">
              <strong>{s.title}</strong>
              {s.moduleNumber ? <span className="muted"> · {t('facilitation.module', { number: s.moduleNumber })}</span> : null}
              {s.courseName ? <span className="muted"> · {s.courseName}</span> : null}{' '}
              <Link to={s.href} className="button-link">
                {s.facilitator ? t('facilitation.openLeitstand') : t('facilitation.join')}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The course's planned sessions (prepared, not yet open), each leading to its script page. */
export function PlannedSessions({ sessions }: { sessions: { id: string; title: string; moduleNumber: number | null; href: string }[] }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="planned-heading" className="card">
      <h2 id="planned-heading">{t('script.planned')}</h2>
      {sessions.length === 0 ? (
        <p className="muted">{t('script.noPlanned')}</p>
      ) : (
        <ul className="link-list">
          {sessions.map((s) => (
            <li key={s.id} data-testid="planned-session">
              <strong>{s.title}</strong>
              {s.moduleNumber ? <span className="muted"> · {t('facilitation.module', { number: s.moduleNumber })}</span> : null}{' '}
              <Link to={s.href} className="button-link">
                {t('script.edit')}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

const PHASE_ROWS = 4

/** Title, module and a few phase rows (title, task, minutes); opening leads to the Leitstand, planning to the script page. */
export function OpenSessionForm({ courseId }: { courseId: string }) {
  const { t } = useTranslation()
  const fetcher = useFetcher<{ error?: string }>()
  return (
    <section aria-labelledby="open-session-heading" className="card">
      <h2 id="open-session-heading">{t('facilitation.openTitle')}</h2>
      <fetcher.Form method="post" action={`/kurse/${courseId}/sitzungen`} className="stack-form" aria-labelledby="open-session-heading">
        <label htmlFor="session-title">{t('facilitation.title')}</label>
        <input id="session-title" name="title" required maxLength={200} placeholder={t('facilitation.titlePlaceholder')} />
        <label htmlFor="session-module">{t('facilitation.moduleLabel')}</label>
        <select id="session-module" name="moduleNumber" defaultValue="">
          <option value="">{t('facilitation.noModule')}</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {t('facilitation.module', { number: n })}
            </option>
          ))}
        </select>
        <fieldset className="phase-rows">
          <legend>{t('facilitation.phases')}</legend>
          {Array.from({ length: PHASE_ROWS }, (_, i) => (
            <div className="inline-form phase-row" key={i}>
              <span className="field">
                <label htmlFor={`phase-title-${i}`}>{t('facilitation.phaseTitle', { number: i + 1 })}</label>
                <input id={`phase-title-${i}`} name="phaseTitle" maxLength={200} />
              </span>
              <span className="field phase-prompt">
                <label htmlFor={`phase-prompt-${i}`}>{t('facilitation.phasePrompt')}</label>
                <input id={`phase-prompt-${i}`} name="phasePrompt" maxLength={4000} />
              </span>
              <span className="field">
                <label htmlFor={`phase-minutes-${i}`}>{t('facilitation.phaseMinutes')}</label>
                <input id={`phase-minutes-${i}`} name="phaseMinutes" type="number" min={1} max={480} inputMode="numeric" className="minutes" />
              </span>
            </div>
          ))}
        </fieldset>
        {fetcher.data?.error ? (
          <p role="alert" className="error">
            {t(fetcher.data.error)}
          </p>
        ) : null}
        <p className="actions">
          <button type="submit" name="intent" value="open" disabled={fetcher.state !== 'idle'}>
            {t('facilitation.open')}
          </button>
          <button type="submit" name="intent" value="plan" disabled={fetcher.state !== 'idle'}>
            {t('script.plan')}
          </button>
        </p>
      </fetcher.Form>
    </section>
  )
}
