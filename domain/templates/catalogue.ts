/**
 * The whiteboard templates of domain.md as data: each is a pure function that places labelled
 * frames and shapes (German labels, English in the English locale). No DOM, no tldraw: the
 * server seeds new boards with them and the browser inserts them at the viewport.
 */
import { glaslStages, sectors, seedKonfliktfelder } from '../design/model'
import { TemplateBuilder, type Color, type Label, type ShapeRecord, type TemplateLocale } from './records'

export const templateIds = ['konfliktlandkarte', 'akteursanalyse', 'eskalationstreppe', 'bestandsaufnahme', 'kms-architektur', 'verfahrenswege', 'roadmap', 'zukunftswerkstatt'] as const
export type TemplateId = (typeof templateIds)[number]

/** The names of the templates, as offered in the template choice. */
export const templateTitles: Record<TemplateId, Label> = {
  konfliktlandkarte: { de: 'Konfliktlandkarte', en: 'Conflict map' },
  akteursanalyse: { de: 'Akteursanalyse', en: 'Stakeholder analysis' },
  eskalationstreppe: { de: 'Eskalationstreppe nach Glasl', en: 'Glasl escalation staircase' },
  bestandsaufnahme: { de: 'Bestandsaufnahme: Konfliktfelder × Anlaufstellen', en: 'Inventory: conflict fields × contact points' },
  'kms-architektur': { de: 'KMS-Architektur', en: 'CMS architecture' },
  verfahrenswege: { de: 'Verfahrenswege', en: 'Procedure pathways' },
  roadmap: { de: 'Roadmap & Steuerung', en: 'Roadmap & governance' },
  zukunftswerkstatt: { de: 'Zukunftswerkstatt (Aufwärmen)', en: 'Future workshop (warm-up)' },
}

const sectorLabels: Record<(typeof sectors)[number], string> = {
  Verwaltung: 'Administration',
  Politik: 'Politics',
  Zivilgesellschaft: 'Civil society',
  Bevölkerung: 'Residents',
  Wirtschaft: 'Business',
  'Polizei/Justiz': 'Police/justice',
}
/** English names of Glasl's stages (the German ones are in domain/design/model.ts). */
export const glaslStagesEnglish = [
  'Hardening',
  'Debates and polemics',
  'Actions, not words',
  'Images and coalitions',
  'Loss of face',
  'Strategies of threats',
  'Limited destructive blows',
  'Fragmentation of the enemy',
  'Together into the abyss',
] as const
const konfliktfeldEnglish = [
  'Neighbourhood & housing',
  'Housing refugees',
  'Public space',
  'School & education',
  'Religion (e.g. building a mosque)',
  'Internal administration',
  'Volunteers ↔ administration',
  'Immigration & neighbourhood',
  'Participation, polarisation, hostility',
]

type Build = (b: TemplateBuilder) => void

const konfliktlandkarte: Build = (b) => {
  const f = b.frame(templateTitles.konfliktlandkarte, { x: 0, y: 0, w: 1600, h: 1200 }, { templateId: 'konfliktlandkarte' })
  const cx = 700,
    cy = 620
  const rings: [number, Label][] = [
    [540, { de: 'Kontext', en: 'Context' }],
    [360, { de: 'Direkt Beteiligte', en: 'Directly involved' }],
    [180, { de: 'Kernparteien', en: 'Core parties' }],
  ]
  for (const [r, label] of rings) {
    b.geo(f, { x: cx - r, y: cy - r, w: 2 * r, h: 2 * r }, { geo: 'ellipse', dash: 'dotted', color: 'grey', label, verticalAlign: 'start', size: 's', meta: { ring: b.t(label) } })
  }
  sectors.forEach((sector, i) => {
    const angle = (i / sectors.length) * 2 * Math.PI - Math.PI / 2
    b.text(f, { x: cx + Math.cos(angle) * 600 - 60, y: cy + Math.sin(angle) * 560 - 15 }, { de: sector, en: sectorLabels[sector] }, { color: 'grey', meta: { sector } })
  })
  b.text(f, { x: 40, y: 30 }, { de: 'Perspektive von …', en: 'Perspective of …' }, { size: 'l' })
  b.geo(f, { x: cx - 170, y: cy - 60, w: 120, h: 120 }, { geo: 'ellipse', color: 'blue', fill: 'semi', label: { de: 'Akteur (großer Einfluss)', en: 'Actor (high influence)' }, size: 's' })
  b.geo(f, { x: cx + 80, y: cy - 35, w: 70, h: 70 }, { geo: 'ellipse', color: 'blue', fill: 'semi', label: { de: 'Akteur', en: 'Actor' }, size: 's' })
  b.note(f, { x: cx - 60, y: cy + 80 }, { de: 'Streitthema', en: 'Issue' })
  const legend: [Label, { dash?: 'solid' | 'dashed' | 'draw' | 'dotted'; size?: 's' | 'm' | 'l' | 'xl'; color?: Color; arrowheadEnd?: string }][] = [
    [
      { de: 'eng', en: 'close' },
      { dash: 'solid', arrowheadEnd: 'none' },
    ],
    [
      { de: 'Bündnis', en: 'alliance' },
      { dash: 'solid', size: 'xl', arrowheadEnd: 'none' },
    ],
    [
      { de: 'schwach/informell', en: 'weak/informal' },
      { dash: 'dashed', arrowheadEnd: 'none' },
    ],
    [
      { de: 'Konflikt ⚡', en: 'conflict ⚡' },
      { dash: 'draw', color: 'red', arrowheadEnd: 'none' },
    ],
    [
      { de: 'unterbrochen', en: 'broken' },
      { dash: 'dotted', color: 'grey', arrowheadEnd: 'bar' },
    ],
    [
      { de: 'Einfluss', en: 'influence' },
      { dash: 'solid', arrowheadEnd: 'arrow' },
    ],
  ]
  b.text(f, { x: 1300, y: 30 }, { de: 'Verbindungen', en: 'Connections' }, { size: 's' })
  legend.forEach(([label, style], i) => {
    const y = 90 + i * 60
    b.arrow(f, { x: 1300, y }, { x: 1400, y }, { ...style, meta: { connector: b.t(label) } })
    b.text(f, { x: 1410, y: y - 15 }, label, { size: 's' })
  })
}

const akteursanalyse: Build = (b) => {
  const f = b.frame(templateTitles.akteursanalyse, { x: 0, y: 0, w: 1200, h: 1000 }, { templateId: 'akteursanalyse' })
  const quadrants: [number, number, Label, Color][] = [
    [0, 0, { de: 'beteiligen', en: 'involve' }, 'orange'],
    [1, 0, { de: 'eng einbinden', en: 'engage closely' }, 'red'],
    [0, 1, { de: 'beobachten', en: 'monitor' }, 'grey'],
    [1, 1, { de: 'informieren', en: 'inform' }, 'blue'],
  ]
  for (const [col, row, label, color] of quadrants) {
    b.geo(f, { x: 120 + col * 520, y: 60 + row * 420, w: 500, h: 400 }, { label, color, fill: 'semi', verticalAlign: 'start', meta: { quadrant: b.t(label) } })
  }
  b.arrow(f, { x: 120, y: 900 }, { x: 1160, y: 900 }, { dash: 'solid', label: { de: 'Betroffenheit/Interesse', en: 'Concern/interest' } })
  b.arrow(f, { x: 80, y: 880 }, { x: 80, y: 60 }, { dash: 'solid', label: { de: 'Einfluss', en: 'Influence' } })
  b.note(f, { x: 700, y: 150 }, { de: 'Akteur', en: 'Actor' }, { color: 'light-blue' })
  b.note(f, { x: 200, y: 560 }, { de: 'Akteur', en: 'Actor' }, { color: 'light-blue' })
}

const bandColors: Record<string, Color> = { 'win-win': 'light-green', 'win-lose': 'yellow', 'lose-lose': 'light-red' }
const STEP_W = 180,
  STEP_H = 70,
  STEP_X = 60,
  STEP_Y = 160

const eskalationstreppe: Build = (b) => {
  const f = b.frame(templateTitles.eskalationstreppe, { x: 0, y: 0, w: 1860, h: 1200 }, { templateId: 'eskalationstreppe' })
  const bands = ['win-win', 'win-lose', 'lose-lose'] as const
  bands.forEach((band, i) => {
    const x = STEP_X - 10 + i * 3 * (STEP_W + 10)
    b.geo(
      f,
      { x, y: 80, w: 3 * (STEP_W + 10), h: 9 * STEP_H + 140 },
      { color: bandColors[band], fill: 'semi', dash: 'solid', label: band, verticalAlign: 'start', size: 's', meta: { glaslBand: band } },
    )
    if (i > 0) b.geo(f, { x: x - 3, y: 60, w: 6, h: 9 * STEP_H + 180 }, { color: 'black', fill: 'solid', dash: 'solid', meta: { threshold: i } })
  })
  glaslStages.forEach((s, i) => {
    const name = { de: s.name, en: glaslStagesEnglish[i] }
    b.geo(
      f,
      { x: STEP_X + i * (STEP_W + 10), y: STEP_Y + i * STEP_H, w: STEP_W, h: STEP_H },
      { label: { de: `${s.stage} ${name.de}`, en: `${s.stage} ${name.en}` }, color: 'black', fill: 'solid', dash: 'solid', size: 's', meta: { glaslStage: s.stage, glaslBand: s.level } },
    )
  })
  b.note(f, { x: STEP_X + 4 * (STEP_W + 10), y: STEP_Y + 4 * STEP_H - 210 }, { de: 'Konflikt', en: 'Conflict' }, { color: 'violet' })
  const laneY = 9 * STEP_H + 260
  b.text(f, { x: STEP_X, y: laneY - 40 }, { de: 'Interventionen (übliche Stufen)', en: 'Interventions (usual stages)' }, { size: 's' })
  const ranges: [Label, number, number][] = [
    [{ de: 'Moderation', en: 'Facilitation' }, 1, 3],
    [{ de: 'Prozessbegleitung', en: 'Process consultation' }, 3, 5],
    [{ de: 'sozio-therapeutische Prozessbegleitung', en: 'Socio-therapeutic process consultation' }, 4, 6],
    [{ de: 'Vermittlung/Mediation', en: 'Mediation' }, 5, 7],
    [{ de: 'Schiedsverfahren/Gericht', en: 'Arbitration/court' }, 6, 8],
    [{ de: 'Machteingriff', en: 'Power intervention' }, 7, 9],
  ]
  ranges.forEach(([label, from, to], i) => {
    const x = STEP_X + (from - 1) * (STEP_W + 10)
    b.geo(f, { x, y: laneY + i * 45, w: (to - from + 1) * (STEP_W + 10) - 10, h: 38 }, { label, color: 'grey', fill: 'semi', size: 's', meta: { glaslFrom: from, glaslTo: to } })
  })
}

const bodies: Label[] = [
  { de: 'Kommunales Integrationszentrum', en: 'Municipal integration centre' },
  { de: 'Ordnungsamt', en: 'Public order office' },
  { de: 'Jugendamt', en: 'Youth welfare office' },
  { de: 'Schiedsamt', en: 'Arbitration office' },
  { de: 'Quartiersmanagement', en: 'Neighbourhood management' },
  { de: 'Wohnungsgesellschaft', en: 'Housing company' },
  { de: 'Polizei', en: 'Police' },
  { de: 'Migrantenorganisationen', en: 'Migrant organisations' },
  { de: '…', en: '…' },
]

const bestandsaufnahme: Build = (b) => {
  const colW = 150,
    rowH = 90,
    left = 260,
    top = 130
  const cols = [...bodies, { de: 'Lücken & Doppelstrukturen', en: 'Gaps & duplication' }]
  const f = b.frame(templateTitles.bestandsaufnahme, { x: 0, y: 0, w: left + cols.length * colW + 40, h: top + seedKonfliktfelder.length * rowH + 60 }, { templateId: 'bestandsaufnahme' })
  cols.forEach((label, c) => {
    b.geo(
      f,
      { x: left + c * colW, y: 40, w: colW - 6, h: top - 50 },
      { label, size: 's', fill: c === cols.length - 1 ? 'semi' : 'none', color: c === cols.length - 1 ? 'orange' : 'black', meta: { column: b.t(label) } },
    )
  })
  seedKonfliktfelder.forEach((field, r) => {
    const y = top + r * rowH
    b.geo(f, { x: 20, y, w: left - 30, h: rowH - 6 }, { label: { de: field.name, en: konfliktfeldEnglish[r] }, size: 's', align: 'start', meta: { konfliktfeld: field.name } })
    cols.forEach((_, c) => {
      const x = left + c * colW
      if (c === cols.length - 1) {
        b.geo(f, { x, y, w: colW - 6, h: rowH - 6 }, { color: 'orange', size: 's' })
        return
      }
      b.geo(f, { x, y, w: colW - 6, h: rowH - 6 }, { color: 'grey', size: 's', dash: 'solid' })
      b.geo(f, { x: x + 8, y: y + 8, w: 24, h: 24 }, { geo: 'ellipse', color: 'grey', fill: 'solid', dash: 'solid', meta: { trafficLight: true } })
    })
  })
}

const components: Label[] = [
  { de: 'Konfliktanlaufstellen', en: 'Contact points' },
  { de: 'Verfahrensstandards', en: 'Procedure standards' },
  { de: 'Konfliktbearbeiter:innen', en: 'Conflict handlers' },
  { de: 'Systemsteuerung', en: 'System governance' },
  { de: 'Integration/Kommunikation', en: 'Integration/communication' },
]

const kmsArchitektur: Build = (b) => {
  const f = b.frame(templateTitles['kms-architektur'], { x: 0, y: 0, w: 1400, h: 1200 }, { templateId: 'kms-architektur' })
  const cx = 700,
    cy = 600
  b.geo(f, { x: cx - 150, y: cy - 100, w: 300, h: 200 }, { geo: 'ellipse', label: { de: 'Leitbild/Ziele', en: 'Mission/goals' }, color: 'violet', fill: 'semi', size: 'l', meta: { centre: true } })
  components.forEach((label, i) => {
    const angle = (i / components.length) * 2 * Math.PI - Math.PI / 2
    const x = cx + Math.cos(angle) * 420 - 170
    const y = cy + Math.sin(angle) * 400 - 110
    b.geo(f, { x, y, w: 340, h: 220 }, { label, color: 'blue', fill: 'semi', verticalAlign: 'start', meta: { component: i + 1 } })
  })
}

const verfahrenswege: Build = (b) => {
  const stages: Label[] = [
    { de: 'Eingang', en: 'Intake' },
    { de: 'Anlaufstelle', en: 'Contact point' },
    { de: 'Clearing (Stufe, Konfliktfeld)', en: 'Clearing (stage, field)' },
  ]
  const procedures: Label[] = [
    { de: 'Beratung', en: 'Counselling' },
    { de: 'Moderation/Runder Tisch', en: 'Facilitation/round table' },
    { de: 'Mediation', en: 'Mediation' },
    { de: 'Schlichtung/Schiedsamt', en: 'Conciliation/arbitration office' },
    { de: 'Recht/Ordnung', en: 'Law/public order' },
  ]
  const laneW = 240,
    gap = 30,
    top = 120,
    laneH = 560
  const lanes = [...stages, ...procedures]
  const f = b.frame(templateTitles.verfahrenswege, { x: 0, y: 0, w: 40 + lanes.length * (laneW + gap), h: top + laneH + 260 }, { templateId: 'verfahrenswege' })
  const xOf = (i: number) => 20 + i * (laneW + gap)
  lanes.forEach((label, i) => {
    const isProcedure = i >= stages.length
    b.geo(
      f,
      { x: xOf(i), y: top, w: laneW, h: laneH },
      {
        label,
        verticalAlign: 'start',
        fill: 'semi',
        color: isProcedure ? 'light-blue' : 'light-violet',
        meta: isProcedure ? { procedureLane: i - stages.length + 1 } : { stage: i + 1 },
      },
    )
    if (i > 0) b.arrow(f, { x: xOf(i) - gap, y: top + 200 }, { x: xOf(i), y: top + 200 }, { dash: 'solid' })
  })
  b.arrow(f, { x: xOf(stages.length), y: 70 }, { x: xOf(lanes.length - 1) + laneW, y: 70 }, { dash: 'solid', label: { de: 'Kosten steigen', en: 'rising cost' }, color: 'grey' })
  // Loop-backs from rights and power contests to negotiation (Ury, Brett & Goldberg).
  const mediation = stages.length + 2
  for (const from of [stages.length + 3, stages.length + 4]) {
    b.arrow(
      f,
      { x: xOf(from) + laneW / 2, y: top + laneH - 60 },
      { x: xOf(mediation) + laneW / 2, y: top + laneH - 60 },
      {
        dash: 'dashed',
        bend: 60,
        color: 'green',
        label: { de: 'zurück zur Verhandlung', en: 'loop back to negotiation' },
        meta: { loopBack: true },
      },
    )
  }
  b.geo(
    f,
    { x: 20, y: top + laneH + 60, w: lanes.length * (laneW + gap) - gap, h: 120 },
    {
      label: { de: 'Monitoring & Rückmeldung', en: 'Monitoring & feedback' },
      color: 'grey',
      fill: 'semi',
      meta: { monitoring: true },
    },
  )
}

const quarters = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6']
const workstreams: Label[] = [
  { de: 'Anlaufstelle', en: 'Contact point' },
  { de: 'Qualifizierung', en: 'Training' },
  { de: 'Netzwerk', en: 'Network' },
  { de: 'Kommunikation', en: 'Communication' },
  { de: 'Krisenvorsorge', en: 'Crisis preparedness' },
  { de: 'Evaluation', en: 'Evaluation' },
]
const milestones: Label[] = [
  { de: 'Verwaltungsvorstand', en: 'Executive board' },
  { de: 'Ratsbeschluss', en: 'Council decision' },
  { de: 'Kongress', en: 'Congress' },
  { de: 'Modultermin', en: 'Course module' },
]

const roadmap: Build = (b) => {
  const left = 220,
    colW = 220,
    top = 100,
    rowH = 130
  const width = left + quarters.length * colW
  const f = b.frame(templateTitles.roadmap, { x: 0, y: 0, w: width + 420, h: top + workstreams.length * rowH + 200 }, { templateId: 'roadmap' })
  quarters.forEach((q, c) => b.geo(f, { x: left + c * colW, y: 30, w: colW - 6, h: 60 }, { label: q, size: 's', meta: { quarter: q } }))
  workstreams.forEach((label, r) => {
    const y = top + r * rowH
    b.geo(f, { x: 20, y, w: left - 30, h: rowH - 6 }, { label, size: 's', fill: 'semi', color: 'light-blue', meta: { workstream: b.t(label) } })
    b.geo(f, { x: left, y, w: quarters.length * colW - 6, h: rowH - 6 }, { color: 'grey', dash: 'dotted', size: 's' })
  })
  const milestoneY = top + workstreams.length * rowH + 30
  b.text(f, { x: 20, y: milestoneY + 40 }, { de: 'Meilensteine', en: 'Milestones' }, { size: 's' })
  milestones.forEach((label, i) => {
    b.geo(f, { x: left + i * (colW + 60), y: milestoneY, w: 150, h: 120 }, { geo: 'diamond', label, size: 's', color: 'orange', fill: 'semi', meta: { milestone: b.t(label) } })
  })
  b.geo(
    f,
    { x: width + 20, y: 30, w: 380, h: workstreams.length * rowH + 70 },
    {
      label: { de: 'Steuerungsgruppe', en: 'Steering group' },
      verticalAlign: 'start',
      color: 'violet',
      fill: 'semi',
      meta: { panel: 'steuerungsgruppe' },
    },
  )
  b.note(f, { x: width + 50, y: 110 }, { de: 'Mitglied', en: 'Member' }, { color: 'light-violet' })
}

const zukunftswerkstatt: Build = (b) => {
  const phases: Label[] = [
    { de: 'Kritik', en: 'Critique' },
    { de: 'Utopie', en: 'Utopia' },
    { de: 'Verwirklichung', en: 'Realisation' },
  ]
  const f = b.frame(templateTitles.zukunftswerkstatt, { x: 0, y: 0, w: 1240, h: 700 }, { templateId: 'zukunftswerkstatt' })
  phases.forEach((label, i) => {
    b.geo(f, { x: 20 + i * 410, y: 40, w: 380, h: 620 }, { label, verticalAlign: 'start', fill: 'semi', color: (['light-red', 'light-green', 'light-blue'] as const)[i], meta: { phase: i + 1 } })
    if (i > 0) b.arrow(f, { x: i * 410 - 10, y: 350 }, { x: 20 + i * 410, y: 350 }, { dash: 'solid' })
  })
}

const builders: Record<TemplateId, Build> = {
  konfliktlandkarte,
  akteursanalyse,
  eskalationstreppe,
  bestandsaufnahme,
  'kms-architektur': kmsArchitektur,
  verfahrenswege,
  roadmap,
  zukunftswerkstatt,
}

/** True when `id` names a built-in template. */
export function isTemplateId(id: string): id is TemplateId {
  return (templateIds as readonly string[]).includes(id)
}

/**
 * The records of a template in a locale: one top-level frame on `pageId` at (0, 0), shapes
 * inside it; ids are `shape:<idPrefix>-<n>` (pass a fresh random prefix per insertion).
 */
export function buildTemplate(id: TemplateId, options: { locale: TemplateLocale; idPrefix: string; pageId?: string }): ShapeRecord[] {
  const builder = new TemplateBuilder(options.locale, options.idPrefix, options.pageId)
  builders[id](builder)
  return builder.records
}
