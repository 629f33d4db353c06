/**
 * The board's template menu: insert a template (built-in or a course template) at the
 * viewport, and — for those who manage one of the board's courses — save the selected frame as
 * a course template.
 */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor, TLShapeId, TLShapePartial } from 'tldraw'
import { buildTemplate, isTemplateId } from '../../domain/templates/catalogue'
import { instantiate } from '../../domain/templates/instantiate'
import type { ShapeRecord, TemplateLocale } from '../../domain/templates/records'

type Choice = { value: string; title: string; course: string | null }
type Props = {
  editor: Editor | null
  templates: Choice[]
  /** Courses the person may save templates into (empty: no save form). */
  targets: { id: string; name: string }[]
}

async function loadRecords(choice: string, locale: TemplateLocale): Promise<ShapeRecord[]> {
  const idPrefix = crypto.randomUUID().slice(0, 8)
  if (choice.startsWith('builtin:')) {
    const id = choice.slice('builtin:'.length)
    if (!isTemplateId(id)) throw new Error(id)
    return buildTemplate(id, { locale, idPrefix })
  }
  const res = await fetch(`/api/v1/course-templates/${encodeURIComponent(choice.slice('course:'.length))}`, { headers: { 'accept-language': locale } })
  const body = (await res.json()) as { records?: ShapeRecord[]; error?: { message: string } }
  if (!res.ok || !body.records) throw new Error(body.error?.message ?? String(res.status))
  return body.records
}

/** Puts a copy of `records` in the middle of the editor's viewport, selected; returns the new frame's id. */
export function insertAtViewport(editor: Editor, records: ShapeRecord[]): TLShapeId {
  const root = records[0]
  const viewport = editor.getViewportPageBounds()
  const w = Number(root.props.w ?? 0)
  const h = Number(root.props.h ?? 0)
  const copy = instantiate(records, {
    idPrefix: crypto.randomUUID().slice(0, 8),
    pageId: editor.getCurrentPageId(),
    origin: { x: Math.round(viewport.center.x - w / 2), y: Math.round(viewport.center.y - h / 2) },
  })
  const topIds = new Set(copy.filter((r) => r.parentId === editor.getCurrentPageId()).map((r) => r.id))
  // Top-level shapes get their index from the editor (above everything on the page).
  const partials = copy.map(({ typeName: _typeName, index, ...rest }) => (topIds.has(rest.id) ? rest : { ...rest, index })) as unknown as TLShapePartial[]
  editor.run(() => {
    editor.createShapes(partials)
    editor.select(copy[0].id as TLShapeId)
  })
  editor.zoomToSelection({ animation: { duration: 200 } })
  return copy[0].id as TLShapeId
}

export default function TemplateTools({ editor, templates, targets }: Props) {
  const { t, i18n } = useTranslation()
  const locale: TemplateLocale = i18n.language === 'en' ? 'en' : 'de'
  const [choice, setChoice] = useState(templates[0]?.value ?? '')
  const [name, setName] = useState('')
  const [course, setCourse] = useState(targets[0]?.id ?? '')
  const [message, setMessage] = useState<string | null>(null)

  const insert = async (event: FormEvent) => {
    event.preventDefault()
    if (!editor || !choice) return
    const title = templates.find((c) => c.value === choice)?.title ?? ''
    // Say what really happened: a locked (read-only) editor creates nothing, silently.
    if (editor.getIsReadonly()) return setMessage(t('templates.notInserted', { title }))
    try {
      const frame = insertAtViewport(editor, await loadRecords(choice, locale))
      setMessage(editor.getShape(frame) ? t('templates.inserted', { title }) : t('templates.notInserted', { title }))
    } catch (error) {
      setMessage(t('templates.failed', { message: error instanceof Error ? error.message : String(error) }))
    }
  }

  const save = async (event: FormEvent) => {
    event.preventDefault()
    if (!editor) return
    const selected = editor.getSelectedShapes()
    if (selected.length !== 1 || selected[0].type !== 'frame') return setMessage(t('templates.selectFrame'))
    const ids = [...editor.getShapeAndDescendantIds([selected[0].id])]
    const records = ids.map((id) => editor.getShape(id)).filter(Boolean)
    const res = await fetch(`/api/v1/courses/${course}/templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': locale },
      body: JSON.stringify({ name: name.trim(), records }),
    })
    const body = (await res.json()) as { error?: { message: string; details?: string[] } }
    if (!res.ok) return setMessage(t('templates.failed', { message: [body.error?.message, ...(body.error?.details ?? [])].join(' ') }))
    setMessage(t('templates.saved', { name: name.trim() }))
    setName('')
  }

  return (
    <details className="template-tools" data-testid="template-tools">
      <summary>{t('templates.insert')}</summary>
      <div className="template-tools-panel">
        <form onSubmit={insert} className="inline-form">
          <label htmlFor="insert-template">{t('templates.choice')}</label>
          <select id="insert-template" value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="insert-template-choice">
            {templates.map((c) => (
              <option key={c.value} value={c.value}>
                {c.course ? `${c.title} (${c.course})` : c.title}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!editor}>
            {t('templates.insertButton')}
          </button>
        </form>
        {targets.length > 0 ? (
          <form onSubmit={save} className="inline-form" aria-label={t('templates.saveAsCourseTemplate')}>
            <label htmlFor="template-name">{t('templates.saveName')}</label>
            <input id="template-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-testid="template-name" />
            {targets.length > 1 ? (
              <>
                <label htmlFor="template-course">{t('templates.saveCourse')}</label>
                <select id="template-course" value={course} onChange={(e) => setCourse(e.target.value)}>
                  {targets.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
            <button type="submit" disabled={!editor}>
              {t('templates.saveButton')}
            </button>
          </form>
        ) : null}
        {message ? (
          <p role="status" data-testid="template-message">
            {message}
          </p>
        ) : null}
      </div>
    </details>
  )
}
