/**
 * The plenary view: the lecturer shows one group's board to everyone, and the people of the
 * other groups — who may not open that board — see a live picture of it (shapes and their text,
 * drawn by the server, refreshed every few seconds) until they close it or the summon ends.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** How often the picture is drawn anew while it is shown. */
const REFRESH_MS = 3000

/** A picture of the shown board with its title and a close button; `src` is the session's plenary picture. */
export function PlenaryView({ src, title, onClose }: { src: string; title: string; onClose: () => void }) {
  const { t } = useTranslation()
  const [round, setRound] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setRound((n) => n + 1)
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [])
  return (
    <section className="plenary-view" role="dialog" aria-modal="false" aria-labelledby="plenary-heading" data-testid="plenary-view">
      <header>
        <h2 id="plenary-heading">{t('facilitation.plenaryHeading', { title })}</h2>
        <button type="button" onClick={onClose}>
          {t('facilitation.plenaryClose')}
        </button>
      </header>
      <img src={`${src}?v=${round}`} alt={t('facilitation.plenaryAlt', { title })} data-testid="plenary-picture" />
    </section>
  )
}
