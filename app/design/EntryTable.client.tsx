/**
 * A typed list of the design document as an accessible table: one row per entry, every field a
 * labelled control, move up/down and remove buttons, and a form to add an entry. Changes go
 * straight into the Y.Doc, so everyone connected sees them live. Readers get plain text.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { CommentButton, useHasDesignComments } from '~/comments/design-comments'
import { addEntry, listMap, moveEntry, readList, removeEntry, updateEntry, type Entry, type EntryFields, type ListKind } from '../../domain/design/model'

type Option = { value: string | number | boolean | null; label: string }
/** How one field of an entry is shown and edited. */
export type Column =
  | { field: string; label: string; type: 'text' | 'date' }
  | { field: string; label: string; type: 'select' | 'multiselect'; options: Option[] }
  | { field: string; label: string; type: 'checkbox' }

/** The valid entries of a list, re-read whenever the list changes. */
export function useList<K extends ListKind>(doc: Y.Doc, kind: K): Entry<K>[] {
  const [entries, setEntries] = useState(() => readList(doc, kind))
  useEffect(() => {
    const map = listMap(doc, kind)
    const update = () => setEntries(readList(doc, kind))
    map.observeDeep(update)
    update()
    return () => map.unobserveDeep(update)
  }, [doc, kind])
  return entries
}

type Props<K extends ListKind> = {
  doc: Y.Doc
  kind: K
  entries: Entry<K>[]
  columns: Column[]
  /** The field a new entry is created with (its name or title). */
  nameField: 'name' | 'title'
  caption: string
  addLabel: string
  readOnly: boolean
  /** Extra ways to add an entry (e.g. from the procedure catalogue), shown beside the form. */
  extraAdd?: React.ReactNode
}

/** A typed list as a table with labelled controls. */
export function EntryTable<K extends ListKind>({ doc, kind, entries, columns, nameField, caption, addLabel, readOnly, extraAdd }: Props<K>) {
  const { t } = useTranslation()
  const formId = useId()
  const withComments = useHasDesignComments()
  const [draft, setDraft] = useState('')
  const tableRef = useRef<HTMLTableElement>(null)
  const addRef = useRef<HTMLInputElement>(null)
  /** After a change, puts keyboard focus on a control that still exists (a focused button that vanishes or is disabled drops focus to the page). */
  const refocus = (pick: (table: HTMLTableElement) => HTMLElement | null | undefined) =>
    requestAnimationFrame(() => {
      const target = tableRef.current ? pick(tableRef.current) : null
      ;(target ?? addRef.current)?.focus()
    })
  const move = (id: string, direction: -1 | 1) => {
    if (!moveEntry(doc, kind, id, direction)) return
    refocus((table) => {
      const row = table.querySelector(`tr[data-entry-id="${CSS.escape(id)}"]`)
      const same = row?.querySelector<HTMLButtonElement>(`button[data-move="${direction}"]`)
      return same && !same.disabled ? same : row?.querySelector<HTMLButtonElement>(`button[data-move="${-direction}"]`)
    })
  }
  const remove = (id: string, index: number) => {
    if (!removeEntry(doc, kind, id)) return
    // Focus the row that took its place (or the one before it), else the add field.
    refocus((table) => {
      const rows = table.querySelectorAll<HTMLElement>('tbody tr[data-entry-id]')
      const row = rows[Math.min(index, rows.length - 1)]
      return row?.querySelector<HTMLElement>('input, select, button:not([disabled])')
    })
  }
  const rowName = (entry: Entry<K>, index: number) => String((entry as Record<string, unknown>)[nameField] ?? '') || t('design.row', { n: index + 1 })

  const add = (event: FormEvent) => {
    event.preventDefault()
    const value = draft.trim()
    if (!value) return
    addEntry(doc, kind, { [nameField]: value } as Partial<EntryFields<K>>)
    setDraft('')
  }

  return (
    <div className="entry-list" data-testid={`list-${kind}`}>
      <table className="entry-table" ref={tableRef}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.field} scope="col">
                {c.label}
              </th>
            ))}
            {readOnly ? null : <th scope="col">{t('design.actions')}</th>}
            {withComments ? <th scope="col">{t('comments.column')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={columns.length + (readOnly ? 0 : 1) + (withComments ? 1 : 0)} className="muted">
                {t('design.empty')}
              </td>
            </tr>
          ) : null}
          {entries.map((entry, index) => {
            const name = rowName(entry, index)
            return (
              <tr key={entry.id} data-entry-id={entry.id} tabIndex={-1}>
                {columns.map((c) => (
                  <td key={c.field}>
                    <Cell
                      column={c}
                      value={(entry as Record<string, unknown>)[c.field]}
                      label={`${c.label}: ${name}`}
                      readOnly={readOnly}
                      onChange={(value) => updateEntry(doc, kind, entry.id, { [c.field]: value } as Partial<EntryFields<K>>)}
                    />
                  </td>
                ))}
                {readOnly ? null : (
                  <td className="entry-actions">
                    <button type="button" data-move="-1" onClick={() => move(entry.id, -1)} disabled={index === 0} aria-label={t('design.moveUp', { name })}>
                      ↑
                    </button>
                    <button type="button" data-move="1" onClick={() => move(entry.id, 1)} disabled={index === entries.length - 1} aria-label={t('design.moveDown', { name })}>
                      ↓
                    </button>
                    <button type="button" onClick={() => remove(entry.id, index)} aria-label={t('design.remove', { name })}>
                      {t('design.removeShort')}
                    </button>
                  </td>
                )}
                {withComments ? (
                  <td className="entry-comments">
                    <CommentButton anchor={{ kind: 'entry', id: entry.id, label: name.slice(0, 200) }} />
                  </td>
                ) : null}
              </tr>
            )
          })}
        </tbody>
      </table>
      {readOnly ? null : (
        <div className="entry-add">
          <form onSubmit={add} className="inline-form">
            <label htmlFor={formId}>{addLabel}</label>
            <input id={formId} ref={addRef} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={200} required />
            <button type="submit">{t('design.add')}</button>
          </form>
          {extraAdd}
        </div>
      )}
    </div>
  )
}

function displayValue(column: Column, value: unknown): string {
  if (column.type === 'checkbox') return value ? '✓' : '–'
  if (column.type === 'select') return column.options.find((o) => o.value === value)?.label ?? ''
  if (column.type === 'multiselect') {
    const chosen = Array.isArray(value) ? value : []
    return column.options
      .filter((o) => chosen.includes(o.value))
      .map((o) => o.label)
      .join(', ')
  }
  return typeof value === 'string' ? value : ''
}

/** One field: a labelled control for writers, text for readers. */
function Cell({ column, value, label, readOnly, onChange }: { column: Column; value: unknown; label: string; readOnly: boolean; onChange: (value: unknown) => boolean }) {
  if (readOnly) return <span>{displayValue(column, value)}</span>
  switch (column.type) {
    case 'text':
    case 'date':
      return <TextCell type={column.type} value={typeof value === 'string' ? value : ''} label={label} onChange={onChange} />
    case 'checkbox':
      return <input type="checkbox" checked={value === true} aria-label={label} onChange={(e) => onChange(e.target.checked)} />
    case 'select':
      return (
        <select aria-label={label} value={String(column.options.findIndex((o) => o.value === value))} onChange={(e) => onChange(column.options[Number(e.target.value)]?.value)}>
          {column.options.map((o, i) => (
            <option key={i} value={String(i)}>
              {o.label}
            </option>
          ))}
        </select>
      )
    case 'multiselect': {
      // A group of checkboxes rather than <select multiple>: each choice is one Tab stop and one Space, and says whether it is chosen.
      const chosen = Array.isArray(value) ? value : []
      return (
        <fieldset className="entry-choices" aria-label={label}>
          {column.options.length === 0 ? <span className="muted">–</span> : null}
          {column.options.map((o, i) => (
            <label key={i}>
              <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))} />
              {o.label}
            </label>
          ))}
        </fieldset>
      )
    }
  }
}

/**
 * A text field that keeps the person's draft while they type: a value the model refuses (an
 * empty name) stays visible and marked invalid instead of snapping back, until they leave the field.
 */
function TextCell({ type, value, label, onChange }: { type: 'text' | 'date'; value: string; label: string; onChange: (value: string) => boolean }) {
  const [draft, setDraft] = useState<string | null>(null)
  const [invalid, setInvalid] = useState(false)
  return (
    <input
      type={type}
      aria-label={label}
      aria-invalid={invalid}
      value={draft ?? value}
      maxLength={2000}
      onChange={(e) => {
        setDraft(e.target.value)
        setInvalid(!onChange(e.target.value))
      }}
      onBlur={() => {
        setDraft(null)
        setInvalid(false)
      }}
    />
  )
}
