/**
 * The board's link to the municipality's Systemdesign: connects to the design document's room
 * (beside the board's own), keeps KMS shapes and document entries in step both ways, and shows a
 * panel to create KMS shapes (creating their entries), place existing entries, edit the selected
 * one, and see the checks. Deleting a linked shape asks whether to delete the entry too.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import './design-link.css'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId, type TLShape } from 'tldraw'
import type * as Y from 'yjs'
import { entriesNotOnBoard, entryPatchFromShape, kmsKinds, kmsShapeId, nameField, planShapeUpdates, type KmsKind, type KmsShapeLike } from '../../domain/design/board-link'
import { readModel } from '../../domain/design/checks'
import { ChecksPanel, useFindings } from './ChecksPanel.client'
import { useList } from './EntryTable.client'
import { KMS_SHAPE_TYPE, type KmsShape } from '../../domain/board/kms-shape'
import { addEntry, glaslLabel, glaslStages, listMap, readList, removeEntry, updateEntry, type Entry, type EntryFields } from '../../domain/design/model'
import { useDesignConnection } from './useDesignConnection.client'

type Props = {
  editor: Editor | null
  designId: string
  municipalityId: string
  /** The person may only read the design (and the board): no creating, editing or mirroring. */
  readOnly: boolean
  person: { id: string; name: string }
}

const isKms = (record: unknown): record is KmsShape => Boolean(record && typeof record === 'object' && (record as TLShape).typeName === 'shape' && (record as TLShape).type === KMS_SHAPE_TYPE)

function kmsShapes(editor: Editor): KmsShape[] {
  return editor.store.allRecords().filter(isKms)
}

type PendingDelete = { kind: KmsKind; entryId: string; label: string }

/** Keeps the board's KMS shapes and the design entries in step while both are open. */
function useLinkSync(editor: Editor | null, doc: Y.Doc | null, designId: string, readOnly: boolean, onDeleted: (pending: PendingDelete) => void) {
  const onDeletedRef = useRef(onDeleted)
  onDeletedRef.current = onDeleted
  useEffect(() => {
    if (!editor || !doc || readOnly) return
    let mirroring = false
    // Entry → shape: every linked shape shows its entry as the document holds it.
    const mirror = () => {
      const updates = planShapeUpdates(kmsShapes(editor) as KmsShapeLike[], readModel(doc), designId)
      if (updates.length === 0) return
      mirroring = true
      try {
        editor.run(() => editor.updateShapes(updates.map((u) => ({ id: u.id as TLShapeId, type: KMS_SHAPE_TYPE, props: u.props }))), { history: 'ignore' })
      } finally {
        mirroring = false
      }
    }
    let frame = 0
    const schedule = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(mirror)
    }
    // Shape → entry: only this person's own edits of a shape, never the mirror's or remote ones.
    const offChange = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
      if (mirroring || source !== 'user' || !isKms(next) || !isKms(prev) || next.props.designId !== designId) return
      if (prev.props.label === next.props.label && prev.props.glaslStage === next.props.glaslStage) return
      const entry = (readList(doc, next.props.kind) as Entry<KmsKind>[]).find((e) => e.id === next.props.entryId)
      const patch = entry ? entryPatchFromShape(next.props.kind, next.props, entry) : null
      if (patch) updateEntry(doc, next.props.kind, entry!.id, patch as Partial<EntryFields<KmsKind>>)
      schedule()
    })
    const offDelete = editor.sideEffects.registerAfterDeleteHandler('shape', (shape, source) => {
      if (mirroring || source !== 'user' || !isKms(shape) || shape.props.designId !== designId) return
      if (!listMap(doc, shape.props.kind).has(shape.props.entryId)) return
      // Another shape on this board still shows the entry: nothing to ask.
      if (kmsShapes(editor).some((s) => s.props.entryId === shape.props.entryId)) return
      onDeletedRef.current({ kind: shape.props.kind, entryId: shape.props.entryId, label: shape.props.label })
    })
    const offStore = editor.store.listen(schedule, { scope: 'document' })
    doc.on('update', schedule)
    schedule()
    return () => {
      cancelAnimationFrame(frame)
      offChange()
      offDelete()
      offStore()
      doc.off('update', schedule)
    }
  }, [editor, doc, designId, readOnly])
}

/**
 * The design link on a board page (nothing until the editor is mounted). The design room is only
 * joined once the board holds a KMS shape or the person opens the panel, so plain boards cost no
 * second connection; once joined it stays, so a pending question about a deletion is not lost.
 */
/**
 * The panel sits on the canvas (top left, below tldraw's menu), not over the bars above it: a
 * session bar that wraps onto more lines must never slide under it.
 */
export default function DesignLink(props: Props) {
  const [host, setHost] = useState<HTMLElement | null>(null)
  useEffect(() => setHost(document.querySelector<HTMLElement>('.board-canvas')), [])
  const panel = <DesignLinkPanel {...props} />
  return host ? createPortal(panel, host) : panel
}

function DesignLinkPanel(props: Props) {
  const { t } = useTranslation()
  const { editor } = props
  const hasKms = useValue('board has kms shapes', () => Boolean(editor?.getCurrentPageShapes().some((s) => s.type === KMS_SHAPE_TYPE)), [editor])
  const [activatedBy, setActivatedBy] = useState<'shape' | 'person' | null>(null)
  useEffect(() => {
    if (hasKms) setActivatedBy((current) => current ?? 'shape')
  }, [hasKms])
  if (!editor) return null
  if (activatedBy) return <ConnectedDesignLink {...props} editor={editor} initiallyOpen={activatedBy === 'person'} />
  return (
    <aside className="design-link" aria-label={t('board.kms.panel')} data-testid="design-link-panel">
      <button type="button" className="design-link-toggle" aria-expanded={false} onClick={() => setActivatedBy('person')} data-testid="design-link-toggle">
        {t('board.kms.panel')}
      </button>
    </aside>
  )
}

function ConnectedDesignLink({ editor, designId, municipalityId, readOnly, person, initiallyOpen }: Props & { editor: Editor; initiallyOpen: boolean }) {
  const { t } = useTranslation()
  const user = useMemo(() => ({ id: person.id, name: person.name, color: '#868e96' }), [person.id, person.name])
  const connection = useDesignConnection(designId, user, readOnly)
  const doc = connection?.synced ? connection.doc : null
  const [pending, setPending] = useState<PendingDelete[]>([])
  useLinkSync(editor, doc, designId, readOnly, (p) => setPending((list) => [...list.filter((x) => x.entryId !== p.entryId), p]))
  // Joined by opening the panel: it is open; joined because of a KMS shape: it stays folded.
  const [open, setOpen] = useState(initiallyOpen)
  useEffect(() => {
    if (initiallyOpen) setOpen(true)
  }, [initiallyOpen])

  return (
    <aside className="design-link" aria-label={t('board.kms.panel')} data-testid="design-link-panel">
      <button type="button" className="design-link-toggle" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="design-link-toggle">
        {t('board.kms.panel')}
      </button>
      {pending.map((p) => (
        <div key={p.entryId} role="alertdialog" aria-labelledby={`delete-${p.entryId}`} className="design-link-confirm" data-testid="kms-delete-confirm">
          <p id={`delete-${p.entryId}`}>{t('board.kms.deleteAsk', { name: p.label || '–' })}</p>
          <button
            type="button"
            onClick={() => {
              if (doc) removeEntry(doc, p.kind, p.entryId)
              setPending((list) => list.filter((x) => x.entryId !== p.entryId))
            }}
          >
            {t('board.kms.deleteEntry')}
          </button>
          <button type="button" onClick={() => setPending((list) => list.filter((x) => x.entryId !== p.entryId))}>
            {t('board.kms.keepEntry')}
          </button>
        </div>
      ))}
      {open ? doc ? <DesignLinkBody editor={editor} doc={doc} designId={designId} municipalityId={municipalityId} readOnly={readOnly} /> : <p>{t('design.loading')}</p> : null}
    </aside>
  )
}

function DesignLinkBody({ editor, doc, designId, municipalityId, readOnly }: { editor: Editor; doc: Y.Doc; designId: string; municipalityId: string; readOnly: boolean }) {
  const { t } = useTranslation()
  const lists = { akteure: useList(doc, 'akteure'), anlaufstellen: useList(doc, 'anlaufstellen'), verfahren: useList(doc, 'verfahren'), konflikte: useList(doc, 'konflikte') }
  const shapes = useValue('kms shapes', () => kmsShapes(editor), [editor])
  const selected = useValue('selected kms', () => {
    const shape = editor.getOnlySelectedShape()
    return isKms(shape) ? shape : null
  }, [editor])
  const findings = useFindings(doc)

  /** Puts a linked shape for the entry at the centre of the view and selects it. */
  const place = (kind: KmsKind, entry: Entry<KmsKind>) => {
    const id = kmsShapeId(entry.id) as TLShapeId
    if (!editor.getShape(id)) {
      const center = editor.getViewportPageBounds().center
      const label = String((entry as Record<string, unknown>)[nameField(kind)] ?? '')
      const glaslStage = kind === 'konflikte' ? (entry as Entry<'konflikte'>).glaslStage : 0
      editor.createShape({ id, type: KMS_SHAPE_TYPE, x: center.x - 100, y: center.y - 55, props: { kind, entryId: entry.id, designId, label, glaslStage, linked: true } })
    }
    editor.select(id)
  }
  const create = (kind: KmsKind) => {
    const entryId = addEntry(doc, kind, { [nameField(kind)]: t(`board.kms.newName.${kind}`) } as Partial<EntryFields<KmsKind>>)
    place(kind, (readList(doc, kind) as Entry<KmsKind>[]).find((e) => e.id === entryId)!)
  }
  const notOnBoard = entriesNotOnBoard(shapes as KmsShapeLike[], lists)
  const selectedEntry = selected ? (lists[selected.props.kind] as Entry<KmsKind>[]).find((e) => e.id === selected.props.entryId) : undefined

  return (
    <div className="design-link-body">
      <p>
        <a href={`/kommunen/${municipalityId}/systemdesign`}>{t('board.kms.openDesign')}</a>
      </p>
      {readOnly ? null : (
        <section aria-labelledby="kms-create-heading">
          <h3 id="kms-create-heading">{t('board.kms.create')}</h3>
          <div className="design-link-buttons">
            {kmsKinds.map((kind) => (
              <button key={kind} type="button" onClick={() => create(kind)} data-testid={`kms-create-${kind}`}>
                {t(`board.kms.kinds.${kind}`)}
              </button>
            ))}
          </div>
        </section>
      )}
      {selected && selectedEntry && !readOnly ? <SelectedEntry doc={doc} shape={selected} entry={selectedEntry} /> : null}
      {readOnly || notOnBoard.length === 0 ? null : (
        <section aria-labelledby="kms-place-heading">
          <h3 id="kms-place-heading">{t('board.kms.notOnBoard')}</h3>
          <ul className="design-link-entries">
            {notOnBoard.map(({ kind, entry }) => {
              const name = String((entry as Record<string, unknown>)[nameField(kind)] ?? '')
              return (
                <li key={entry.id}>
                  <button type="button" onClick={() => place(kind, entry)} aria-label={t('board.kms.place', { name, kind: t(`board.kms.kinds.${kind}`) })}>
                    {t(`board.kms.kinds.${kind}`)}: {name}
                  </button>
                </li>
              )
            })}
          </ul>
        </section>
      )}
      <ChecksPanel
        findings={findings}
        onSelect={(finding) => {
          const target = finding.target
          const shape = target.type === 'entry' ? editor.getShape(kmsShapeId(target.entryId) as TLShapeId) : undefined
          if (shape) {
            editor.select(shape.id)
            editor.zoomToSelection()
          } else {
            window.open(`/kommunen/${municipalityId}/systemdesign`, '_blank', 'noopener')
          }
        }}
      />
    </div>
  )
}

/** The selected KMS shape's entry: its name (and a Konflikt's Glasl stage), edited in the document. */
function SelectedEntry({ doc, shape, entry }: { doc: Y.Doc; shape: KmsShape; entry: Entry<KmsKind> }) {
  const { t } = useTranslation()
  const kind = shape.props.kind
  const field = nameField(kind)
  const [draft, setDraft] = useState<string | null>(null)
  const value = String((entry as Record<string, unknown>)[field] ?? '')
  return (
    <section aria-labelledby="kms-selected-heading" data-testid="kms-selected">
      <h3 id="kms-selected-heading">{t('board.kms.selected', { kind: t(`board.kms.kinds.${kind}`) })}</h3>
      <label>
        {t(`design.fields.${field}`)}
        <input
          value={draft ?? value}
          maxLength={200}
          aria-invalid={draft !== null && !draft.trim()}
          onChange={(e) => {
            setDraft(e.target.value)
            updateEntry(doc, kind, entry.id, { [field]: e.target.value } as Partial<EntryFields<KmsKind>>)
          }}
          onBlur={() => setDraft(null)}
        />
      </label>
      {kind === 'konflikte' ? (
        <label>
          {t('design.fields.glaslStage')}
          <select value={(entry as Entry<'konflikte'>).glaslStage} onChange={(e) => updateEntry(doc, 'konflikte', entry.id, { glaslStage: Number(e.target.value) })}>
            {glaslStages.map((s) => (
              <option key={s.stage} value={s.stage}>
                {glaslLabel(s.stage)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </section>
  )
}
