/** What advancing to a phase will apply to every group board, in one short line (template, lock, private mode, voting). */
import { useTranslation } from 'react-i18next'
import { isTemplateId, templateTitles } from '../../domain/templates/catalogue'

type Phase = { template: string | null; lock: 'keep' | 'lock' | 'unlock'; privateMode: boolean; voteDots: number | null }

/** The phase's script in words, or nothing when the phase applies nothing to the boards. */
export function PhaseSummary({ phase }: { phase: Phase }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language?.startsWith('en') ? 'en' : 'de'
  const parts = [
    phase.template ? (isTemplateId(phase.template) ? templateTitles[phase.template][locale] : t('script.summaryCourseTemplate')) : null,
    phase.lock === 'lock' ? t('script.lockLock') : phase.lock === 'unlock' ? t('script.lockUnlock') : null,
    phase.privateMode ? t('script.privateMode') : null,
    phase.voteDots ? t('script.summaryVote', { count: phase.voteDots }) : null,
  ].filter((p): p is string => !!p)
  if (parts.length === 0) return null
  return (
    <span className="muted phase-summary" data-testid="phase-summary">
      {' '}
      · {parts.join(' · ')}
    </span>
  )
}
