/**
 * The side panel "Prüfungen": the findings of the model checks, updated live as anyone edits the
 * document, each a button that takes the person to the place to fix it (the entry's first
 * control, the list's add field, or the section's text). Shared by the design page and boards.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { checkDesign, listSection, readModel, type Finding, type FindingTarget } from '../../domain/design/checks'

/** The current findings of a design document, recomputed (at most once a frame) after every change. */
export function useFindings(doc: Y.Doc, status?: string): Finding[] {
  const [findings, setFindings] = useState(() => checkDesign(readModel(doc), { status }))
  useEffect(() => {
    let frame = 0
    const recompute = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => setFindings(checkDesign(readModel(doc), { status })))
    }
    doc.on('update', recompute)
    recompute()
    return () => {
      cancelAnimationFrame(frame)
      doc.off('update', recompute)
    }
  }, [doc, status])
  return findings
}

function sectionOf(target: FindingTarget) {
  return target.type === 'section' ? target.section : listSection[target.list]
}

/** Opens the target's section if it is collapsed, then focuses and shows the place to fix the finding. */
export function focusTarget(target: FindingTarget): boolean {
  const section = document.querySelector<HTMLElement>(`[data-testid="section-${sectionOf(target)}"]`)
  const toggle = section?.querySelector<HTMLButtonElement>('.section-toggle[aria-expanded="false"]')
  toggle?.click()
  const find = (): HTMLElement | null => {
    if (target.type === 'section') return document.querySelector(`[data-testid="section-editor-${target.section}"]`)
    const list = document.querySelector(`[data-testid="list-${target.list}"]`)
    if (target.type === 'list') return list?.querySelector<HTMLElement>('.entry-add input, .entry-add select') ?? section?.querySelector('h2 button') ?? null
    const row = list?.querySelector<HTMLElement>(`tr[data-entry-id="${CSS.escape(target.entryId)}"]`)
    return row?.querySelector<HTMLElement>('input, select, button') ?? row ?? null
  }
  const focus = () => {
    const element = find()
    element?.focus()
    element?.scrollIntoView({ block: 'center' })
    return Boolean(element)
  }
  if (!toggle) return focus()
  // The section renders its body on the next frame after opening.
  requestAnimationFrame(() => focus())
  return true
}

type Props = { findings: Finding[]; onSelect?: (finding: Finding) => void }

/** The list of findings with a live count; selecting one focuses its target (or calls `onSelect`). */
export function ChecksPanel({ findings, onSelect }: Props) {
  const { t } = useTranslation()
  return (
    <aside className="checks-panel" aria-labelledby="checks-heading" data-testid="checks-panel">
      <h2 id="checks-heading">{t('design.checks.title')}</h2>
      <p role="status" className="muted" data-testid="checks-count">
        {findings.length === 0 ? t('design.checks.none') : t('design.checks.count', { count: findings.length })}
      </p>
      <ul className="checks-list">
        {findings.map((finding) => (
          <li key={finding.key} className={`finding finding-${finding.severity}`} data-finding={finding.key}>
            <button type="button" onClick={() => (onSelect ? onSelect(finding) : focusTarget(finding.target))}>
              <span className="finding-severity">{t(`design.checks.severity.${finding.severity}`)}: </span>
              {t(`design.checks.codes.${finding.code}`, finding.params)}
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
