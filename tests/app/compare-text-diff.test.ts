/** The comparison shows a changed text as before and after with the changed words marked. */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n'
import { TextDiff } from '../../app/snapshots/TextDiff'

describe('changed text in the comparison', () => {
  it('shows the old text with removed words struck and the new text with added words marked', () => {
    createI18n('de')
    const html = renderToStaticMarkup(createElement(TextDiff, { before: 'Der Rat beauftragt das Ordnungsamt.', after: 'Der Rat beauftragt die Koordinierungsstelle.' }))
    expect(html).toContain('vorher:')
    expect(html).toContain('nachher:')
    expect(html).toMatch(/<del>[^<]*Ordnungsamt[^<]*<\/del>/)
    expect(html).toMatch(/<ins>[^<]*Koordinierungsstelle[^<]*<\/ins>/)
    expect(html).not.toMatch(/<(del|ins)>[^<]*Rat[^<]*<\/(del|ins)>/)
  })

  it('says when one side is empty', () => {
    createI18n('de')
    const html = renderToStaticMarkup(createElement(TextDiff, { before: '', after: 'Neu' }))
    expect(html).toContain('(leer)')
    expect(html).toContain('<ins>Neu</ins>')
  })
})
