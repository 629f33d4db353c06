/** German texts (the default locale). Keys are shared with en.ts. */
export const de = {
  app: {
    name: 'Werkraum',
    tagline: 'Konfliktmanagementsysteme gemeinsam gestalten',
    language: 'Sprache',
  },
  boards: {
    title: 'Boards',
    empty: 'Noch keine Boards. Legen Sie das erste an.',
    create: 'Board anlegen',
    titleLabel: 'Titel',
    titlePlaceholder: 'z. B. Konfliktlandkarte Hamm',
    titleRequired: 'Bitte geben Sie einen Titel an (1–200 Zeichen).',
    open: 'Öffnen',
    updated: 'Zuletzt geändert',
    back: 'Alle Boards',
  },
  board: {
    notFound: 'Dieses Board gibt es nicht (mehr).',
    loading: 'Board wird geladen…',
    yourName: 'Ihr Name',
    namePlaceholder: 'Name für andere sichtbar',
    connecting: 'verbinde…',
    live: 'live',
    offline: 'offline — Änderungen werden nachgereicht',
    people_one: '{{count}} Person verbunden',
    people_other: '{{count}} Personen verbunden',
  },
  errors: {
    notFoundTitle: 'Nicht gefunden',
    genericTitle: 'Etwas ist schiefgelaufen',
    generic: 'Bitte laden Sie die Seite neu. Ihre Arbeit ist gespeichert.',
    home: 'Zur Startseite',
  },
}

export type Messages = typeof de
