/** The lecturer's private-mode control for one board (session bar, Leitstand group card): start it, or reveal and end it. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LiveEmit } from './useSession'

type Props = {
  sessionId: string
  boardId: string
  /** The board is in private mode now. */
  on: boolean
  emit: LiveEmit
}

/** „Privatmodus starten“ while off; „Aufdecken“ while on, then how many notes the reveal moved. */
export function PrivateModeButton({ sessionId, boardId, on, emit }: Props) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const run = async (event: 'private:start' | 'private:reveal') => {
    setBusy(true)
    const answer = await emit(event, { sessionId, boardId })
    setBusy(false)
    if (!answer.ok) return setMessage(t('facilitation.private.refused', { error: answer.error ?? 'unavailable' }))
    setMessage(event === 'private:reveal' ? t('facilitation.private.revealed', { count: 'revealed' in answer ? answer.revealed : 0 }) : null)
  }
  return (
    <span className="private-mode" data-testid="private-mode">
      {on ? (
        <>
          <span className="badge-private" data-testid="private-on">
            {t('facilitation.private.on')}
          </span>{' '}
          <button type="button" data-testid="private-reveal" disabled={busy} onClick={() => void run('private:reveal')}>
            {t('facilitation.private.reveal')}
          </button>
        </>
      ) : (
        <button type="button" data-testid="private-start" disabled={busy} onClick={() => void run('private:start')}>
          {t('facilitation.private.start')}
        </button>
      )}
      {message ? (
        <span role="status" data-testid="private-message">
          {' '}
          {message}
        </span>
      ) : null}
    </span>
  )
}
