/** The board's comment side panel: threads on the selected shape (or the whole board), opened from the bar. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { richTextToPlain } from '../../domain/board/text'
import { CommentsPanel, type Anchor } from './CommentsPanel'

export default function BoardComments({ editor, boardId, readOnly }: { editor: Editor | null; boardId: string; readOnly: boolean }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const selected = useValue('selected shape', () => editor?.getOnlySelectedShape() ?? null, [editor])
  const anchors: Anchor[] = []
  if (selected) {
    const props = selected.props as { richText?: unknown; name?: string }
    const label = (richTextToPlain(props.richText) || props.name || selected.type).slice(0, 200)
    anchors.push({ kind: 'shape', id: selected.id, label })
  }
  anchors.push({ kind: 'board', id: '', label: t('comments.anchor.board') })
  const show = (anchor: Anchor) => {
    if (!editor || anchor.kind !== 'shape') return
    const id = anchor.id as TLShapeId
    if (!editor.getShape(id)) return
    editor.select(id)
    editor.zoomToSelection({ animation: { duration: 200 } })
  }
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="comments-toggle">
        {t('comments.toggle')}
      </button>
      {open ? (
        <div className="board-comments">
          <CommentsPanel boardId={boardId} readOnly={readOnly} anchors={anchors} onShowAnchor={show} />
        </div>
      ) : null}
    </>
  )
}
