/**
 * The session script editor (Ablaufplan): title, module and the phases of a planned session —
 * add, remove, move up or down, and per phase its task, minutes, template, lock, private mode
 * and dot voting. Every control is a native field or button (keyboard-usable; focus follows a
 * moved phase), laid out large enough for a projector. Saving sends the whole script; the
 * server checks it and says in German what is wrong.
 */
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'

export type ScriptPhase = {
  title: string
  prompt: string
  durationSeconds: number | null
  template: string | null
  lock: 'keep' | 'lock' | 'unlock'
  privateMode: boolean
  voteDots: number | null
  voteAnonymous: boolean
}
type Props = {
  course: { id: string; name: string }
  session: { id: string; title: string; moduleNumber: number | null; status: 'planned' | 'open' | 'ended' }
  phases: ScriptPhase[]
  templates: { value: string; de: string; en: string; course: boolean }[]
  leitstand: string
}
type Row = ScriptPhase & { key: number }
type ActionAnswer = { ok: boolean; error: { key: string; phase: number | null } | null } | undefined

const blank = (): ScriptPhase => ({ title: '', prompt: '', durationSeconds: null, template: null, lock: 'keep', privateMode: false, voteDots: null, voteAnonymous: true })

let nextKey = 0

/** The script page's body. */
export function ScriptEditor({ course, session, phases, templates, leitstand }: Props) {
  const { t, i18n } = useTranslation()
  const answer = useActionData<ActionAnswer>()
  const busy = useNavigation().state !== 'idle'
  const [rows, setRows] = useState<Row[]>(() => (phases.length ? phases : [blank()]).map((p) => ({ ...p, key: nextKey++ })))
  const planned = session.status === 'planned'
  const en = i18n.language?.startsWith('en')

  const focusLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus())
  const move = (index: number, by: -1 | 1) => {
    const to = index + by
    if (to < 0 || to >= rows.length) return
    const next = [...rows]
    ;[next[index], next[to]] = [next[to], next[index]]
    setRows(next)
    focusLater(`${by < 0 ? 'up' : 'down'}-${next[to].key}`)
  }
  const remove = (index: number) => {
    const next = rows.filter((_, i) => i !== index)
    setRows(next)
    focusLater(next[Math.min(index, next.length - 1)] ? `title-${next[Math.min(index, next.length - 1)].key}` : 'add-phase')
  }
  const add = () => {
    const row = { ...blank(), key: nextKey++ }
    setRows([...rows, row])
    focusLater(`title-${row.key}`)
  }
  const change = (index: number, patch: Partial<ScriptPhase>) => setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)))

  return (
    <main className="page script-page" aria-labelledby="script-heading">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link to={`/kurse/${course.id}`}>{course.name}</Link> · {t('script.heading')}
          </p>
          <h1 id="script-heading">{session.title}</h1>
        </div>
        {!planned ? (
          <Link to={leitstand} className="button-link">
            {t('facilitation.leitstand')}
          </Link>
        ) : null}
      </div>
      <p className="notice" role="status">
        {planned ? t('script.plannedNotice') : t('script.runningNotice')}
      </p>
      {answer?.error ? (
        <p role="alert" className="error" data-testid="script-error">
          {t(answer.error.key, { phase: answer.error.phase ?? '' })}
        </p>
      ) : answer?.ok ? (
        <p role="status" className="notice">
          {t('script.saved')}
        </p>
      ) : null}

      <Form method="post" className="stack-form script-form" aria-labelledby="script-heading">
        <fieldset disabled={!planned || busy} className="script-fieldset">
          <div className="script-grid script-head">
            <span className="field">
              <label htmlFor="script-title">{t('facilitation.title')}</label>
              <input id="script-title" name="title" required maxLength={200} defaultValue={session.title} />
            </span>
            <span className="field">
              <label htmlFor="script-module">{t('facilitation.moduleLabel')}</label>
              <select id="script-module" name="moduleNumber" defaultValue={session.moduleNumber ?? ''}>
                <option value="">{t('facilitation.noModule')}</option>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {t('facilitation.module', { number: n })}
                  </option>
                ))}
              </select>
            </span>
          </div>

          <ol className="script-phases" data-testid="script-phases">
            {rows.map((row, i) => {
              const id = (name: string) => `${name}-${row.key}`
              const number = i + 1
              return (
                <li key={row.key} className="script-phase card" data-testid="script-phase">
                  <fieldset>
                    <legend>{t('script.phase', { number })}</legend>
                    <div className="script-grid">
                      <span className="field">
                        <label htmlFor={id('title')}>{t('facilitation.phaseTitle', { number })}</label>
                        <input id={id('title')} name="phaseTitle" required maxLength={200} value={row.title} onChange={(e) => change(i, { title: e.target.value })} />
                      </span>
                      <span className="field script-wide">
                        <label htmlFor={id('prompt')}>{t('facilitation.phasePrompt')}</label>
                        <textarea id={id('prompt')} name="phasePrompt" rows={2} maxLength={4000} value={row.prompt} onChange={(e) => change(i, { prompt: e.target.value })} />
                      </span>
                      <span className="field">
                        <label htmlFor={id('minutes')}>{t('facilitation.phaseMinutes')}</label>
                        <input
                          id={id('minutes')}
                          name="phaseMinutes"
                          type="number"
                          min={1}
                          max={480}
                          inputMode="numeric"
                          value={row.durationSeconds === null ? '' : Math.round(row.durationSeconds / 60)}
                          onChange={(e) => change(i, { durationSeconds: e.target.value === '' ? null : Number(e.target.value) * 60 })}
                        />
                      </span>
                      <span className="field">
                        <label htmlFor={id('template')}>{t('script.template')}</label>
                        <select id={id('template')} name="phaseTemplate" value={row.template ?? ''} onChange={(e) => change(i, { template: e.target.value || null })}>
                          <option value="">{t('script.noTemplate')}</option>
                          {templates.map((tpl) => (
                            <option key={tpl.value} value={tpl.value}>
                              {tpl.course ? t('script.courseTemplate', { name: tpl.de }) : en ? tpl.en : tpl.de}
                            </option>
                          ))}
                        </select>
                      </span>
                      <span className="field">
                        <label htmlFor={id('lock')}>{t('script.lock')}</label>
                        <select id={id('lock')} name="phaseLock" value={row.lock} onChange={(e) => change(i, { lock: e.target.value as ScriptPhase['lock'] })}>
                          <option value="keep">{t('script.lockKeep')}</option>
                          <option value="lock">{t('script.lockLock')}</option>
                          <option value="unlock">{t('script.lockUnlock')}</option>
                        </select>
                      </span>
                      <span className="field">
                        <label htmlFor={id('private')}>{t('script.privateMode')}</label>
                        <select id={id('private')} name="phasePrivate" value={row.privateMode ? 'on' : 'off'} onChange={(e) => change(i, { privateMode: e.target.value === 'on' })}>
                          <option value="off">{t('script.off')}</option>
                          <option value="on">{t('script.on')}</option>
                        </select>
                      </span>
                      <span className="field">
                        <label htmlFor={id('dots')}>{t('script.voteDots')}</label>
                        <input
                          id={id('dots')}
                          name="phaseVoteDots"
                          type="number"
                          min={1}
                          max={20}
                          inputMode="numeric"
                          value={row.voteDots ?? ''}
                          onChange={(e) => change(i, { voteDots: e.target.value === '' ? null : Number(e.target.value) })}
                        />
                      </span>
                      <span className="field">
                        <label htmlFor={id('anonymous')}>{t('script.voteAnonymous')}</label>
                        <select id={id('anonymous')} name="phaseVoteAnonymous" value={row.voteAnonymous ? 'yes' : 'no'} onChange={(e) => change(i, { voteAnonymous: e.target.value === 'yes' })}>
                          <option value="yes">{t('script.yes')}</option>
                          <option value="no">{t('script.no')}</option>
                        </select>
                      </span>
                    </div>
                    <p className="actions">
                      <button type="button" id={id('up')} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('script.moveUp', { number })}>
                        ↑
                      </button>
                      <button type="button" id={id('down')} disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t('script.moveDown', { number })}>
                        ↓
                      </button>
                      <button type="button" className="danger" onClick={() => remove(i)}>
                        {t('script.removePhase', { number })}
                      </button>
                    </p>
                  </fieldset>
                </li>
              )
            })}
          </ol>
          <p className="actions">
            <button type="button" id="add-phase" onClick={add}>
              {t('script.addPhase')}
            </button>
            <button type="submit" name="intent" value="save">
              {t('script.save')}
            </button>
            {/* Opening saves the script as it stands first: nothing typed is lost. */}
            <button type="submit" name="intent" value="open" className="primary" onClick={(e) => !window.confirm(t('script.openConfirm')) && e.preventDefault()}>
              {t('script.openNow')}
            </button>
          </p>
        </fieldset>
      </Form>
    </main>
  )
}
