/** One line of a Leitstand group card: when the group's board last changed and what it did in the current phase. */
import { useTranslation } from 'react-i18next'
import type { GroupActivity as Activity } from './group-activity.server'

/** "vor 2 Min." style age of `at`, both in server time. */
function useAgo() {
  const { t } = useTranslation()
  return (at: number, now: number) => {
    const minutes = Math.floor(Math.max(0, now - at) / 60_000)
    if (minutes < 1) return t('liveActivity.justNow')
    if (minutes < 90) return t('liveActivity.minutesAgo', { count: minutes })
    return t('liveActivity.hoursAgo', { count: Math.round(minutes / 60) })
  }
}

/** Last activity and progress in the current phase of a group's board (`now` is the server's time when the page data was read). */
export function GroupActivity({ activity, now }: { activity: Activity | null; now: number }) {
  const { t } = useTranslation()
  const ago = useAgo()
  return (
    <p className="muted group-activity" data-testid="group-activity">
      <span data-testid="group-last-activity">{t('liveActivity.lastActivity', { when: activity ? ago(activity.lastActivityAt, now) : t('liveActivity.never') })}</span>
      {activity?.progress ? (
        <>
          {' · '}
          <span data-testid="group-progress" title={t('liveActivity.progressHint')}>
            {t('liveActivity.progress', activity.progress)}
          </span>
        </>
      ) : null}
    </p>
  )
}
