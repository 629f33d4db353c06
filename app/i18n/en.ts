/** English texts (second locale). */
import type { Messages } from './de'

export const en: Messages = {
  app: {
    name: 'Werkraum',
    tagline: 'Designing conflict-management systems together',
    language: 'Language',
  },
  boards: {
    title: 'Boards',
    empty: 'No boards yet. Create the first one.',
    create: 'Create board',
    titleLabel: 'Title',
    titlePlaceholder: 'e.g. Conflict map Hamm',
    titleRequired: 'Please enter a title (1–200 characters).',
    open: 'Open',
    updated: 'Last changed',
    back: 'All boards',
  },
  board: {
    notFound: 'This board does not exist (any more).',
    loading: 'Loading board…',
    yourName: 'Your name',
    namePlaceholder: 'Name shown to others',
    connecting: 'connecting…',
    live: 'live',
    offline: 'offline — changes will be sent when back online',
    people_one: '{{count}} person connected',
    people_other: '{{count}} people connected',
  },
  errors: {
    notFoundTitle: 'Not found',
    genericTitle: 'Something went wrong',
    generic: 'Please reload the page. Your work is saved.',
    home: 'Go to start page',
  },
}
