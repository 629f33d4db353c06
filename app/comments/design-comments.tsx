/** Comment buttons on the Systemdesign's entries and sections: open-thread counts and opening the page's comments panel on one anchor. */
import { createContext, useContext } from 'react'
import { useTranslation } from 'react-i18next'
import type { Anchor } from './CommentsPanel'

type DesignComments = {
  /** Open threads per anchor, keyed `kind:id`. */
  counts: ReadonlyMap<string, number>
  /** Opens the page's comments panel filtered to `anchor`. */
  open(anchor: Anchor): void
}

const Context = createContext<DesignComments | null>(null)

/** Provides counts and the opener to the design editor's rows and sections. */
export const DesignCommentsProvider = Context.Provider

/** The key of an anchor in the counts map. */
export function anchorKey(anchor: Pick<Anchor, 'kind' | 'id'>): string {
  return `${anchor.kind}:${anchor.id}`
}

/** A small button „Kommentare (n)“ for one entry or section; nothing outside a provider. */
export function CommentButton({ anchor }: { anchor: Anchor }) {
  const { t } = useTranslation()
  const comments = useContext(Context)
  if (!comments) return null
  const count = comments.counts.get(anchorKey(anchor)) ?? 0
  const text = t('comments.count', { count })
  return (
    <button
      type="button"
      className={`comment-count${count > 0 ? ' has-comments' : ''}`}
      aria-label={`${text}: ${anchor.label}`}
      data-testid={`comments-${anchor.kind}-${anchor.id}`}
      onClick={() => comments.open(anchor)}
    >
      {text}
    </button>
  )
}

/** Whether the comment buttons are shown (inside a provider). */
export function useHasDesignComments(): boolean {
  return useContext(Context) !== null
}
