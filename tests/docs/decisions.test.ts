/** Every note in docs/decisions is numbered once and says under its title when it was taken and whether it still holds. */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dir = fileURLToPath(new URL('../../docs/decisions/', import.meta.url))
const notes = fs.readdirSync(dir).filter((name) => name.endsWith('.md'))
const STATUS = /^Status: (accepted|proposed|superseded|deprecated)\b/

describe('decision notes', () => {
  it('are named NNNN-words.md, one note per number', () => {
    expect(notes.length).toBeGreaterThan(0)
    for (const name of notes) expect(name, name).toMatch(/^\d{4}-[a-z0-9-]+\.md$/)
    const numbers = notes.map((name) => name.slice(0, 4))
    expect(
      numbers.filter((n, i) => numbers.indexOf(n) !== i),
      'numbers used twice',
    ).toEqual([])
  })

  it.each(notes)('%s has its number in the title, then a Date and a Status line', (name) => {
    const [title, blank, date, status] = fs.readFileSync(`${dir}${name}`, 'utf8').split('\n')
    expect(title).toMatch(new RegExp(`^# ${name.slice(0, 4)}\\b`))
    expect(blank).toBe('')
    expect(date).toMatch(/^Date: \d{4}-\d{2}-\d{2}$/)
    expect(Number.isNaN(Date.parse(date.slice('Date: '.length))), date).toBe(false)
    expect(status).toMatch(STATUS)
  })
})
