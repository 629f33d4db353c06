/**
 * The labels the server writes into stored data or sends to a client without a page around it
 * (snapshot labels, a new board's first page, the snapshot picture's list captions, session-script
 * errors), keyed, in German and English. The server renders them in the reader's language where
 * it knows the reader, and in the course's language for what a session phase writes for all
 * groups; app/i18n re-uses the script errors so page and socket say the same.
 */
import type { ListKind } from './design/model'

export const languages = ['de', 'en'] as const
/** A language the product speaks (German is the default). */
export type Language = (typeof languages)[number]

const de = {
  firstPage: 'Seite 1',
  module: 'Modul {{number}}',
  phaseSnapshot: '{{head}} – Phase {{number}} – {{title}}',
  phaseEndSnapshot: '{{head}} – Ende Phase {{number}} – {{title}}',
  sessionEndSnapshot: '{{head}} – Sitzungsende',
  beforeRestore: 'vor Wiederherstellung von „{{label}}“',
  beforeImport: 'vor Import in „{{title}}“',
  listCaptions: {
    akteure: 'Akteure',
    konfliktfelder: 'Konfliktfelder',
    konflikte: 'Konflikte',
    verfahren: 'Verfahren',
    massnahmen: 'Maßnahmen',
    anlaufstellen: 'Anlaufstellen',
    bearbeiter: 'Konfliktbearbeiter:innen und Netzwerkpartner',
    steuerungsgruppe: 'Steuerungsgruppe',
    beschluesse: 'Beschlüsse',
  } satisfies Record<ListKind, string>,
  scriptErrors: {
    title: 'Bitte geben Sie der Sitzung einen Titel (höchstens 200 Zeichen).',
    moduleNumber: 'Das Modul muss zwischen 1 und 5 liegen.',
    tooMany: 'Ein Ablauf hat höchstens 50 Phasen.',
    phase: 'Phase {{phase}} ist ungültig.',
    title_phase: 'Phase {{phase}} braucht einen Titel (höchstens 200 Zeichen).',
    prompt: 'Der Arbeitsauftrag von Phase {{phase}} ist zu lang (höchstens 4000 Zeichen).',
    durationSeconds: 'Die Dauer von Phase {{phase}} muss zwischen 1 und 480 Minuten liegen.',
    template: 'Die Vorlage von Phase {{phase}} gibt es in diesem Kurs nicht.',
    lock: 'Die Sperre von Phase {{phase}} ist ungültig.',
    privateMode: 'Der Privatmodus von Phase {{phase}} ist ungültig.',
    voteDots: 'Die Punkte pro Person in Phase {{phase}} müssen zwischen 1 und 20 liegen.',
    voteAnonymous: 'Die Angabe „anonym“ in Phase {{phase}} ist ungültig.',
    voteNeedsTemplate: 'Phase {{phase}} hat eine Punktabfrage, aber keine Vorlage: abgestimmt wird über den Rahmen, den die Vorlage einfügt.',
    notPlanned: 'Diese Sitzung ist schon geöffnet; ihr Ablauf kann nicht mehr geändert werden.',
  },
}

type Labels = typeof de

const en: Labels = {
  firstPage: 'Page 1',
  module: 'Module {{number}}',
  phaseSnapshot: '{{head}} – phase {{number}} – {{title}}',
  phaseEndSnapshot: '{{head}} – end of phase {{number}} – {{title}}',
  sessionEndSnapshot: '{{head}} – end of session',
  beforeRestore: 'before restoring “{{label}}”',
  beforeImport: 'before import into “{{title}}”',
  listCaptions: {
    akteure: 'Actors (Akteure)',
    konfliktfelder: 'Conflict fields (Konfliktfelder)',
    konflikte: 'Conflicts (Konflikte)',
    verfahren: 'Procedures (Verfahren)',
    massnahmen: 'Measures (Maßnahmen)',
    anlaufstellen: 'Contact points (Anlaufstellen)',
    bearbeiter: 'Conflict handlers and network partners',
    steuerungsgruppe: 'Steering group (Steuerungsgruppe)',
    beschluesse: 'Decisions (Beschlüsse)',
  },
  scriptErrors: {
    title: 'Please give the session a title (at most 200 characters).',
    moduleNumber: 'The module must be between 1 and 5.',
    tooMany: 'A script has at most 50 phases.',
    phase: 'Phase {{phase}} is invalid.',
    title_phase: 'Phase {{phase}} needs a title (at most 200 characters).',
    prompt: 'The task of phase {{phase}} is too long (at most 4000 characters).',
    durationSeconds: 'The duration of phase {{phase}} must be between 1 and 480 minutes.',
    template: 'The template of phase {{phase}} does not exist in this course.',
    lock: 'The lock of phase {{phase}} is invalid.',
    privateMode: 'The private mode of phase {{phase}} is invalid.',
    voteDots: 'The dots per person in phase {{phase}} must be between 1 and 20.',
    voteAnonymous: 'The "anonymous" setting of phase {{phase}} is invalid.',
    voteNeedsTemplate: 'Phase {{phase}} has dot voting but no template: the vote runs on the frame the template inserts.',
    notPlanned: 'This session is already open; its script can no longer be changed.',
  },
}

/** The server's labels in each language. */
export const serverLabels: Record<Language, Labels> = { de, en }

/** The label texts of a language ('de' for anything unknown). */
export function labelsFor(language: string | null | undefined): Labels {
  return serverLabels[language === 'en' ? 'en' : 'de']
}

/** Fills `{{name}}` placeholders of a label. */
export function fillLabel(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}
