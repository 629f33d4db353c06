/** The shared countdown of a session timer: server time minus the measured skew, with a gentle signal at zero. */
import { useTranslation } from 'react-i18next'
import type { Timer } from '../../collab/features/facilitation.server'
import { formatCountdown, serverNow, shownTimer, timerRemainingMs, useTick } from './useSession'

/**
 * Shows m:ss left on the timer (ticking while it runs); at zero it pulses softly and says so.
 * With `yieldTo` (a group's page: the timer for all), an expired group timer gives way to it.
 */
export function Countdown({ timer: own, skewMs, yieldTo }: { timer: Timer | null; skewMs: number; yieldTo?: Timer | null }) {
  const { t } = useTranslation()
  useTick(250)
  const timer = yieldTo === undefined ? own : shownTimer(own, yieldTo, serverNow(skewMs))
  if (!timer) return <span className="countdown countdown-none">{t('facilitation.noTimer')}</span>
  const left = timerRemainingMs(timer, serverNow(skewMs))
  const over = left <= 0
  return (
    <span
      className={`countdown${over ? ' countdown-over' : ''}${timer.running ? '' : ' countdown-paused'}`}
      role="timer"
      data-testid="session-countdown"
      aria-label={`${t('facilitation.countdown')}: ${formatCountdown(left)}`}
      title={over ? t('facilitation.timeUp') : undefined}
    >
      {formatCountdown(left)}
      {over ? (
        <span className="visually-hidden" role="status">
          {t('facilitation.timeUp')}
        </span>
      ) : null}
    </span>
  )
}
