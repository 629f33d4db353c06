/**
 * Board tools in the board bar: export (PNG and SVG with tldraw's exporter, JSON as a .tldr
 * file that can be imported again, PDF with one page per frame), import of a .tldr file through
 * the server's board import (which adds its shapes), and the presentation that steps through
 * the frames full-screen with the keyboard.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { exportAs, serializeTldrawJsonBlob, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { framesInReadingOrder } from '../../domain/board/frames'

type Props = { editor: Editor | null; boardId: string; title: string; readOnly: boolean }

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const fileName = (title: string) => title.replace(/[^\p{L}\p{N}-]+/gu, '_').slice(0, 80) || 'board'

/** The export/import menu and the presentation button. */
export function BoardTools({ editor, boardId, title, readOnly }: Props) {
  const { t, i18n } = useTranslation()
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [presenting, setPresenting] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const menu = useRef<HTMLDetailsElement>(null)

  const run = async (job: () => Promise<void>) => {
    if (!editor) return
    if (menu.current) menu.current.open = false
    setBusy(true)
    setMessage(null)
    try {
      await job()
    } catch (error) {
      setMessage({ kind: 'error', text: t('boardTools.failed', { reason: (error as Error).message }) })
    } finally {
      setBusy(false)
    }
  }
  const allShapes = () => [...editor!.getCurrentPageShapeIds()]

  const exportImage = (format: 'png' | 'svg') =>
    run(async () => {
      const ids = allShapes()
      if (ids.length === 0) throw new Error(t('boardTools.empty'))
      await exportAs(editor!, ids, { format, name: fileName(title), background: true, padding: 32 })
    })

  const exportJson = () => run(async () => download(await serializeTldrawJsonBlob(editor!), `${fileName(title)}.tldr`))

  const exportPdf = () =>
    run(async () => {
      const frames = framesInReadingOrder(editor!.getCurrentPageShapesSorted(), editor!.getCurrentPageId())
      const groups: TLShapeId[][] = frames.length > 0 ? frames.map((f) => [f.id]) : [allShapes()]
      if (groups[0]!.length === 0) throw new Error(t('boardTools.empty'))
      const pages: { title: string; svg: string }[] = []
      for (const [i, ids] of groups.entries()) {
        const result = await editor!.getSvgString(ids, { background: true, padding: frames.length > 0 ? 0 : 32 })
        if (result) pages.push({ title: frames[i] ? frameName(frames[i]!, i) : title, svg: result.svg })
      }
      const response = await fetch(`/boards/${boardId}/export.pdf`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pages }) })
      if (!response.ok) throw new Error((await response.text()) || String(response.status))
      download(await response.blob(), `${fileName(title)}.pdf`)
    })

  // The server checks the file against the board's schema, keeps a "vor Import" Stand, and adds
  // the shapes; they arrive here live through Yjs like anyone's edit (docs/decisions/0024).
  const importFile = (file: File) =>
    run(async () => {
      let content: Record<string, unknown>
      try {
        content = JSON.parse(await file.text()) as Record<string, unknown>
      } catch {
        throw new Error(t('boardTools.importInvalid'))
      }
      if (!content || typeof content !== 'object' || Array.isArray(content)) throw new Error(t('boardTools.importInvalid'))
      const response = await fetch(`/api/v1/boards/${boardId}/import`, {
        method: 'POST',
        // The server's refusal comes in the page's language.
        headers: { 'Content-Type': 'application/json', 'Accept-Language': i18n.language },
        body: JSON.stringify({ schema: content.schema, records: content.records, mode: 'add' }),
      })
      const answer = (await response.json().catch(() => null)) as { shapes?: number; error?: { message?: string } } | null
      if (!response.ok) throw new Error(answer?.error?.message ?? String(response.status))
      if (!answer?.shapes) throw new Error(t('boardTools.empty'))
      setMessage({ kind: 'info', text: t('boardTools.imported', { count: answer.shapes }) })
    })

  return (
    <div className="board-tools" role="group" aria-label={t('boardTools.label')}>
      <details className="board-tools-menu" ref={menu}>
        <summary data-testid="board-export">{t('boardTools.export')}</summary>
        <div className="board-tools-items">
          <button type="button" disabled={!editor || busy} onClick={() => exportImage('png')} data-testid="export-png">
            PNG
          </button>
          <button type="button" disabled={!editor || busy} onClick={() => exportImage('svg')} data-testid="export-svg">
            SVG
          </button>
          <button type="button" disabled={!editor || busy} onClick={exportPdf} data-testid="export-pdf">
            {t('boardTools.pdf')}
          </button>
          <button type="button" disabled={!editor || busy} onClick={exportJson} data-testid="export-json">
            {t('boardTools.json')}
          </button>
          {readOnly ? null : (
            <>
              <button type="button" disabled={!editor || busy} onClick={() => fileInput.current?.click()} data-testid="import-json">
                {t('boardTools.import')}
              </button>
              <input
                ref={fileInput}
                type="file"
                accept=".tldr,application/json"
                hidden
                data-testid="import-file"
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (file) void importFile(file)
                }}
              />
            </>
          )}
        </div>
      </details>
      <button type="button" disabled={!editor} onClick={() => setPresenting(true)} data-testid="present">
        {t('boardTools.present')}
      </button>
      {busy ? <span className="muted">{t('boardTools.working')}</span> : null}
      {message ? (
        <span className={message.kind === 'error' ? 'error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="board-tools-message">
          {message.text}
        </span>
      ) : null}
      {presenting && editor ? <Presentation editor={editor} onEnd={() => setPresenting(false)} /> : null}
    </div>
  )
}

function frameName(frame: TLShape, index: number): string {
  const name = (frame.props as { name?: unknown }).name
  return typeof name === 'string' && name.trim() ? name : `Frame ${index + 1}`
}

/**
 * Steps through the page's frames in reading order (the whole page when it has none): the
 * camera fits each frame, the browser goes full-screen, and →/PageDown/Space go on, ←/PageUp
 * back, Home/End to the ends, Esc ends. The editor is read-only while presenting.
 */
export function Presentation({ editor, onEnd }: { editor: Editor; onEnd: () => void }) {
  const { t } = useTranslation()
  const [frames] = useState(() => framesInReadingOrder(editor.getCurrentPageShapesSorted(), editor.getCurrentPageId()))
  const [index, setIndex] = useState(0)
  const count = Math.max(1, frames.length)

  useEffect(() => {
    const wasReadonly = editor.getInstanceState().isReadonly
    const camera = editor.getCamera()
    editor.updateInstanceState({ isReadonly: true })
    editor.selectNone()
    document.documentElement.requestFullscreen?.().catch(() => {})
    return () => {
      editor.updateInstanceState({ isReadonly: wasReadonly })
      editor.setCamera(camera)
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
    }
  }, [editor])

  useEffect(() => {
    const frame = frames[index]
    const bounds = frame ? editor.getShapePageBounds(frame.id) : editor.getCurrentPageBounds()
    if (bounds) editor.zoomToBounds(bounds, { inset: 24, animation: { duration: 250 } })
  }, [editor, frames, index])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const step: Record<string, number> = { ArrowRight: 1, PageDown: 1, ' ': 1, ArrowDown: 1, ArrowLeft: -1, PageUp: -1, ArrowUp: -1 }
      if (event.key === 'Escape') onEnd()
      else if (event.key === 'Home') setIndex(0)
      else if (event.key === 'End') setIndex(count - 1)
      else if (event.key in step) setIndex((i) => Math.min(count - 1, Math.max(0, i + step[event.key]!)))
      else return
      event.preventDefault()
      event.stopPropagation()
    }
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [count, onEnd])

  const frame = frames[index]
  return (
    <div className="presentation-bar" role="region" aria-label={t('boardTools.presentation')} data-testid="presentation">
      <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0} aria-label={t('boardTools.previous')}>
        ←
      </button>
      <span aria-live="polite" data-testid="presentation-position">
        {t('boardTools.slide', { current: index + 1, count })}
        {frame ? ` – ${frameName(frame, index)}` : ''}
      </span>
      <button type="button" onClick={() => setIndex((i) => Math.min(count - 1, i + 1))} disabled={index >= count - 1} aria-label={t('boardTools.next')}>
        →
      </button>
      <button type="button" onClick={onEnd}>
        {t('boardTools.endPresentation')}
      </button>
    </div>
  )
}
