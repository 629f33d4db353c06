/**
 * Comment threads of one board or of the Systemdesign document: the open ones (or all),
 * replies, @-mentions of team members, resolve/reopen, and a form for a new thread on the
 * current anchor (the selected shape, a section …). Live: joins the board's socket.io room and
 * reloads on `comments:changed`. Readers (guests) see everything and get no forms.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CommentEvent } from '../../collab/live-events'
import { connectLive } from '../facilitation/useSession'

export type Anchor = { kind: 'board' | 'shape' | 'entry' | 'section'; id: string; label: string }
type Comment = { id: string; authorName: string; body: string; mentions: { id: string; name: string }[]; createdAt: string }
/** A thread as the API returns it. */
export type Thread = { id: string; anchor: Anchor; status: 'open' | 'resolved'; comments: Comment[] }
type Person = { id: string; name: string }

type Props = {
  boardId: string
  readOnly: boolean
  /** Anchors offered for a new thread (first is the default); board pages pass the selection. */
  anchors: Anchor[]
  /** Called when someone clicks a thread's anchor (e.g. to select the shape). */
  onShowAnchor?: (anchor: Anchor) => void
  /** Shows only this anchor's threads and starts new ones on it (the Systemdesign's comment buttons). */
  filter?: Anchor | null
  onClearFilter?: () => void
  /** Changes each time the panel is (re)opened: reloads whom one can mention and moves focus into the panel. */
  openKey?: number
  /** Told the threads after every reload (e.g. to count open threads per anchor). */
  onThreads?: (threads: Thread[]) => void
}

async function api<T>(path: string, init?: { method: string; body: unknown }): Promise<T> {
  const res = await fetch(`/api/v1${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined)
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error((body as { error?: { message?: string } }).error?.message ?? String(res.status))
  return body as T
}

function MentionPicker({ people, value, onChange, id }: { people: Person[]; value: string[]; onChange: (ids: string[]) => void; id: string }) {
  const { t } = useTranslation()
  if (people.length === 0) return null
  return (
    <label htmlFor={id} className="comment-mentions">
      {t('comments.mention')}
      <select id={id} multiple value={value} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))} size={Math.min(4, people.length)}>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            @{p.name}
          </option>
        ))}
      </select>
    </label>
  )
}

export function CommentsPanel({ boardId, readOnly, anchors: offered, onShowAnchor, filter, onClearFilter, openKey, onThreads }: Props) {
  const { t } = useTranslation()
  const [threads, setThreads] = useState<Thread[]>([])
  const [showAll, setShowAll] = useState(false)
  const [people, setPeople] = useState<Person[]>([])
  const [anchorIndex, setAnchorIndex] = useState(0)
  const [body, setBody] = useState('')
  const [mentions, setMentions] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const panelRef = useRef<HTMLElement>(null)
  const onThreadsRef = useRef(onThreads)
  onThreadsRef.current = onThreads
  const anchors = filter ? [filter] : offered

  const reload = useCallback(async () => {
    try {
      const loaded = (await api<{ threads: Thread[] }>(`/boards/${boardId}/comments${showAll ? '?status=all' : ''}`)).threads
      setThreads(loaded)
      onThreadsRef.current?.(loaded)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }, [boardId, showAll])

  useEffect(() => {
    void reload()
  }, [reload])
  // biome-ignore lint/correctness/useExhaustiveDependencies: openKey is a trigger: the mention list reloads on each opening
  useEffect(() => {
    void api<{ people: Person[] }>(`/boards/${boardId}/mentionable`).then(
      (r) => setPeople(r.people),
      () => setPeople([]),
    )
  }, [boardId, openKey])
  useEffect(() => {
    if (openKey === undefined || openKey === 0) return
    const panel = panelRef.current
    panel?.scrollIntoView({ block: 'nearest' })
    ;(panel?.querySelector<HTMLElement>('[data-testid="comment-body"]') ?? panel?.querySelector<HTMLElement>('h2'))?.focus()
  }, [openKey])
  useEffect(() => {
    const socket = connectLive()
    const join = () => void socket.emit('board:join', { boardId }, () => void reload())
    const onChanged = (event: CommentEvent) => {
      if (event.boardId === boardId) void reload()
    }
    socket.on('connect', join)
    socket.on('comments:changed', onChanged)
    return () => {
      socket.off('connect', join)
      socket.off('comments:changed', onChanged)
      socket.disconnect()
    }
  }, [boardId, reload])

  const shown = filter ? threads.filter((th) => th.anchor.kind === filter.kind && th.anchor.id === filter.id) : threads
  const anchor = anchors[Math.min(anchorIndex, anchors.length - 1)] ?? { kind: 'board', id: '', label: '' }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api(`/boards/${boardId}/comments`, { method: 'POST', body: { anchor, body, mentions } })
      setBody('')
      setMentions([])
      setError(null)
      await reload()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <section className="comments-panel" ref={panelRef} aria-label={t('comments.title')} data-testid="comments-panel">
      <h2 tabIndex={-1}>{t('comments.title')}</h2>
      {filter ? (
        <p className="comments-filtered" data-testid="comments-filter">
          {t('comments.filtered', { label: filter.label || t(`comments.anchor.${filter.kind}`) })}{' '}
          {onClearFilter ? (
            <button type="button" className="link-button" onClick={onClearFilter}>
              {t('comments.showEverything')}
            </button>
          ) : null}
        </p>
      ) : null}
      <label className="comments-filter">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> {t('comments.showResolved')}
      </label>
      {shown.length === 0 ? <p className="muted">{showAll ? t('comments.none') : t('comments.noneOpen')}</p> : null}
      <ul className="comment-threads">
        {shown.map((thread) => (
          <ThreadView key={thread.id} thread={thread} readOnly={readOnly} people={people} onChange={reload} onShowAnchor={onShowAnchor} />
        ))}
      </ul>
      {readOnly ? null : (
        <form onSubmit={submit} className="stack-form comment-new">
          {anchors.length > 1 ? (
            <label>
              {t('comments.on')}
              <select value={anchorIndex} onChange={(e) => setAnchorIndex(Number(e.target.value))}>
                {anchors.map((a, i) => (
                  <option key={`${a.kind}:${a.id}`} value={i}>
                    {a.label || t(`comments.anchor.${a.kind}`)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="muted">
              {t('comments.on')}: {anchor.label || t(`comments.anchor.${anchor.kind}`)}
            </p>
          )}
          <label>
            {t('comments.newThread')}
            <textarea value={body} onChange={(e) => setBody(e.target.value)} required maxLength={5000} rows={3} data-testid="comment-body" />
          </label>
          <MentionPicker people={people} value={mentions} onChange={setMentions} id={`mention-new-${boardId}`} />
          <button type="submit">{t('comments.post')}</button>
        </form>
      )}
      {error ? <p role="alert">{t('comments.failed', { message: error })}</p> : null}
    </section>
  )
}

function ThreadView({ thread, readOnly, people, onChange, onShowAnchor }: { thread: Thread; readOnly: boolean; people: Person[]; onChange: () => Promise<void>; onShowAnchor?: (a: Anchor) => void }) {
  const { t, i18n } = useTranslation()
  const [reply, setReply] = useState('')
  const [mentions, setMentions] = useState<string[]>([])
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' })
  const send = async (event: FormEvent) => {
    event.preventDefault()
    await api(`/comment-threads/${thread.id}/replies`, { method: 'POST', body: { body: reply, mentions } })
    setReply('')
    setMentions([])
    await onChange()
  }
  const toggle = async () => {
    await api(`/comment-threads/${thread.id}/status`, { method: 'PUT', body: { status: thread.status === 'open' ? 'resolved' : 'open' } })
    await onChange()
  }
  const anchorText = thread.anchor.label || t(`comments.anchor.${thread.anchor.kind}`)
  return (
    <li className={`comment-thread comment-${thread.status}`} data-testid="comment-thread">
      <p className="comment-anchor">
        {onShowAnchor && thread.anchor.kind !== 'board' ? (
          <button type="button" className="link-button" onClick={() => onShowAnchor(thread.anchor)}>
            {anchorText}
          </button>
        ) : (
          anchorText
        )}
        {thread.status === 'resolved' ? <span className="muted"> · {t('comments.resolved')}</span> : null}
      </p>
      {thread.comments.map((c) => (
        <div key={c.id} className="comment">
          <strong>{c.authorName}</strong> <span className="muted">{date.format(new Date(c.createdAt))}</span>
          <p>{c.body}</p>
          {c.mentions.length > 0 ? <p className="muted">{c.mentions.map((m) => `@${m.name}`).join(', ')}</p> : null}
        </div>
      ))}
      {readOnly ? null : (
        <>
          <form onSubmit={send} className="stack-form">
            <label>
              {t('comments.reply')}
              <textarea value={reply} onChange={(e) => setReply(e.target.value)} required maxLength={5000} rows={2} />
            </label>
            <MentionPicker people={people} value={mentions} onChange={setMentions} id={`mention-${thread.id}`} />
            <button type="submit">{t('comments.send')}</button>
          </form>
          <button type="button" onClick={toggle}>
            {thread.status === 'open' ? t('comments.resolve') : t('comments.reopen')}
          </button>
        </>
      )}
    </li>
  )
}
