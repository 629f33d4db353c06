/**
 * The live Systemdesign: the 17 sections and the Anhang as collapsible rich-text editors, the
 * typed lists as tables inside the sections they belong to, the connection state and the
 * person's name for the carets. Everything is read-only for readers.
 */
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { EntryTable, useList, type Column } from './EntryTable.client'
import {
  addEntry,
  bearbeiterRollen,
  glaslLabel,
  glaslStages,
  konfliktStatuses,
  massnahmeStatuses,
  procedureCatalogue,
  procedureTypes,
  sections,
  sectors,
  type ListKind,
  type SectionKey,
} from '../../domain/design/model'
import { ChecksPanel, useFindings } from './ChecksPanel.client'
import { SectionEditor } from './SectionEditor.client'
import { CommentButton } from '~/comments/design-comments'
import { useDesignConnection, type DesignUser } from './useDesignConnection.client'

type Props = { documentId: string; readOnly: boolean; personName: string /** The design status (Entwurf … Evaluiert), for the checks. */; status?: string }

const USER_KEY = 'werkraum:user'
const COLORS = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#5c940d']

/** The person at this browser (shared with the board page): a stable id, a chosen name, a colour. */
function loadLocalUser(defaultName: string): DesignUser {
  try {
    const stored = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null')
    if (stored && typeof stored.id === 'string' && typeof stored.name === 'string' && typeof stored.color === 'string') {
      return stored.name ? stored : { ...stored, name: defaultName.slice(0, 60) }
    }
  } catch {
    // an unreadable entry is replaced below
  }
  const user = { id: crypto.randomUUID?.() ?? String(Math.random()), name: defaultName.slice(0, 60), color: COLORS[Math.floor(Math.random() * COLORS.length)] }
  localStorage.setItem(USER_KEY, JSON.stringify(user))
  return user
}

export default function DesignEditor({ documentId, readOnly, personName, status }: Props) {
  const { t } = useTranslation()
  const [user, setUser] = useState(() => loadLocalUser(personName))
  const connection = useDesignConnection(documentId, user, readOnly)
  const rename = (name: string) => {
    const next = { ...user, name: name.slice(0, 60) }
    localStorage.setItem(USER_KEY, JSON.stringify(next))
    setUser(next)
  }
  const state = connection?.connection ?? 'connecting'

  return (
    <div className="design-editor">
      <div className="design-bar">
        {readOnly ? (
          <span className="badge-readonly" data-testid="read-only">
            {t('design.readOnly')}
          </span>
        ) : null}
        <span className={`connection connection-${state}`} role="status" data-testid="connection-state">
          {t(`board.${state}`)}
        </span>
        <label className="name-field">
          {t('board.yourName')}
          <input value={user.name} onChange={(e) => rename(e.target.value)} placeholder={t('board.namePlaceholder')} data-testid="user-name" />
        </label>
      </div>
      {connection?.synced ? (
        <div className="design-layout">
          <DesignSections doc={connection.doc} provider={connection.provider} readOnly={readOnly} />
          <DesignChecks doc={connection.doc} status={status} />
        </div>
      ) : (
        <p>{t('design.loading')}</p>
      )}
    </div>
  )
}

function DesignChecks({ doc, status }: { doc: Y.Doc; status?: string }) {
  return <ChecksPanel findings={useFindings(doc, status)} />
}

type Connected = { doc: Y.Doc; provider: NonNullable<ReturnType<typeof useDesignConnection>>['provider']; readOnly: boolean }

function DesignSections({ doc, provider, readOnly }: Connected) {
  const { t } = useTranslation()
  const lists = useTypedLists(doc, readOnly)
  return (
    <div className="design-sections">
      {sections.map((section) => (
        <DesignSection key={section.key} sectionKey={section.key} title={t(`design.sections.${section.key}`)} number={section.number}>
          <SectionEditor doc={doc} provider={provider} sectionKey={section.key} label={t('design.sectionText', { title: t(`design.sections.${section.key}`) })} readOnly={readOnly} />
          {lists[section.key]}
        </DesignSection>
      ))}
    </div>
  )
}

/** A section with a heading that expands and collapses it. */
function DesignSection({ sectionKey, title, number, children }: { sectionKey: SectionKey; title: string; number: number | null; children: ReactNode }) {
  const [open, setOpen] = useState(true)
  const bodyId = `section-body-${sectionKey}`
  return (
    <section className="card design-section" aria-labelledby={`section-heading-${sectionKey}`} data-testid={`section-${sectionKey}`}>
      <div className="section-head">
        <h2 id={`section-heading-${sectionKey}`}>
          <button type="button" className="section-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
            {number === null ? title : `${number} ${title}`}
          </button>
        </h2>
        <CommentButton anchor={{ kind: 'section', id: sectionKey, label: number === null ? title : `${number} ${title}` }} />
      </div>
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  )
}

/** The typed lists, each rendered inside the section it belongs to. */
function useTypedLists(doc: Y.Doc, readOnly: boolean): Partial<Record<SectionKey, ReactNode>> {
  const { t } = useTranslation()
  const akteure = useList(doc, 'akteure')
  const konfliktfelder = useList(doc, 'konfliktfelder')
  const konflikte = useList(doc, 'konflikte')
  const verfahren = useList(doc, 'verfahren')
  const massnahmen = useList(doc, 'massnahmen')
  const anlaufstellen = useList(doc, 'anlaufstellen')
  const bearbeiter = useList(doc, 'bearbeiter')
  const steuerungsgruppe = useList(doc, 'steuerungsgruppe')
  const beschluesse = useList(doc, 'beschluesse')
  const [catalogueIndex, setCatalogueIndex] = useState(0)
  const f = (key: string) => t(`design.fields.${key}`)
  const stageOptions = glaslStages.map((s) => ({ value: s.stage, label: glaslLabel(s.stage) }))
  const optionalStage = [{ value: null, label: '–' }, ...stageOptions]

  const fieldOptions = konfliktfelder.map((k) => ({ value: k.id, label: k.name }))
  const columns: Record<ListKind, Column[]> = {
    akteure: [
      { field: 'name', label: f('name'), type: 'text' },
      { field: 'sector', label: f('sector'), type: 'select', options: sectors.map((s) => ({ value: s, label: t(`design.sectors.${s}`) })) },
      { field: 'influence', label: f('influence'), type: 'select', options: [1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) })) },
      { field: 'concern', label: f('concern'), type: 'text' },
    ],
    konfliktfelder: [{ field: 'name', label: f('name'), type: 'text' }],
    konflikte: [
      { field: 'title', label: f('title'), type: 'text' },
      { field: 'fieldId', label: f('field'), type: 'select', options: [{ value: '', label: '–' }, ...fieldOptions] },
      { field: 'actorIds', label: f('actors'), type: 'multiselect', options: akteure.map((a) => ({ value: a.id, label: a.name })) },
      { field: 'glaslStage', label: f('glaslStage'), type: 'select', options: stageOptions },
      { field: 'status', label: f('status'), type: 'select', options: konfliktStatuses.map((s) => ({ value: s, label: t(`design.konfliktStatus.${s}`) })) },
      { field: 'anonymisiert', label: f('anonymisiert'), type: 'checkbox' },
    ],
    verfahren: [
      { field: 'name', label: f('name'), type: 'text' },
      { field: 'type', label: f('type'), type: 'select', options: procedureTypes.map((p) => ({ value: p, label: t(`design.procedureTypes.${p}`) })) },
      { field: 'glaslFrom', label: f('glaslFrom'), type: 'select', options: optionalStage },
      { field: 'glaslTo', label: f('glaslTo'), type: 'select', options: optionalStage },
    ],
    massnahmen: [
      { field: 'title', label: f('title'), type: 'text' },
      { field: 'owner', label: f('owner'), type: 'text' },
      { field: 'due', label: f('due'), type: 'date' },
      { field: 'status', label: f('status'), type: 'select', options: massnahmeStatuses.map((s) => ({ value: s, label: t(`design.massnahmeStatus.${s}`) })) },
    ],
    anlaufstellen: [
      { field: 'name', label: f('name'), type: 'text' },
      { field: 'traeger', label: f('traeger'), type: 'text' },
      { field: 'kontakt', label: f('kontakt'), type: 'text' },
      { field: 'fieldIds', label: f('fields'), type: 'multiselect', options: fieldOptions },
    ],
    bearbeiter: [
      { field: 'name', label: f('name'), type: 'text' },
      { field: 'rolle', label: f('rolle'), type: 'select', options: bearbeiterRollen.map((r) => ({ value: r, label: t(`design.bearbeiterRollen.${r}`) })) },
      { field: 'organisation', label: f('organisation'), type: 'text' },
      { field: 'verfahrenIds', label: f('verfahren'), type: 'multiselect', options: verfahren.map((v) => ({ value: v.id, label: v.name })) },
    ],
    steuerungsgruppe: [
      { field: 'name', label: f('name'), type: 'text' },
      { field: 'funktion', label: f('funktion'), type: 'text' },
      { field: 'organisation', label: f('organisation'), type: 'text' },
    ],
    beschluesse: [
      { field: 'title', label: f('title'), type: 'text' },
      { field: 'gremium', label: f('gremium'), type: 'text' },
      { field: 'date', label: f('date'), type: 'date' },
    ],
  }
  const common = { doc, readOnly }
  const fromCatalogue = (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault()
        const item = procedureCatalogue[catalogueIndex]
        if (item) addEntry(doc, 'verfahren', { name: item.name, type: item.type, glaslFrom: item.glaslFrom, glaslTo: item.glaslTo })
      }}
    >
      <label htmlFor="verfahren-catalogue">{t('design.lists.verfahren.fromCatalogue')}</label>
      <select id="verfahren-catalogue" value={catalogueIndex} onChange={(e) => setCatalogueIndex(Number(e.target.value))}>
        {procedureCatalogue.map((p, i) => (
          <option key={p.name} value={i}>
            {p.name}
            {p.glaslFrom !== null ? ` (${p.glaslFrom}–${p.glaslTo})` : ''}
          </option>
        ))}
      </select>
      <button type="submit">{t('design.add')}</button>
    </form>
  )
  const table = (kind: keyof typeof columns, entries: Parameters<typeof EntryTable>[0]['entries'], nameField: 'name' | 'title', extraAdd?: ReactNode) => (
    <EntryTable
      {...common}
      kind={kind}
      entries={entries}
      columns={columns[kind]}
      nameField={nameField}
      caption={t(`design.lists.${kind}.caption`)}
      addLabel={t(`design.lists.${kind}.add`)}
      extraAdd={extraAdd}
    />
  )
  return {
    konfliktlandkarte: (
      <>
        {table('konfliktfelder', konfliktfelder, 'name')}
        {table('konflikte', konflikte, 'title')}
      </>
    ),
    akteursanalyse: table('akteure', akteure, 'name'),
    verfahrensangebot: table('verfahren', verfahren, 'name', fromCatalogue),
    anlaufstellen: table('anlaufstellen', anlaufstellen, 'name'),
    bearbeiter: table('bearbeiter', bearbeiter, 'name'),
    steuerung: table('steuerungsgruppe', steuerungsgruppe, 'name'),
    umsetzungsplan: table('massnahmen', massnahmen, 'title'),
    ressourcen: table('beschluesse', beschluesse, 'title'),
  }
}
