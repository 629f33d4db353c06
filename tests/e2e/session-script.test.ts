/**
 * The session script page (Ablaufplan) in Debian's Chromium: the lecturer plans a session with
 * two phases on the course page, reorders them with the keyboard on the script page, gets a
 * German error for voting without a template, saves, opens the session and starts phase 1 —
 * the Leitstand shows it and every group board got the phase's template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import type { World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'

describe('session script page in the browser', () => {
  let stage: Stage
  let server: RunningServer
  let world: World
  let lecturer: Page

  beforeAll(async () => {
    stage = await openStage()
    ;({ server, world } = stage)
    lecturer = await stage.pageAs(world.person.lecturer, 'Dozentin')
    lecturer.on('dialog', (dialog) => void dialog.accept())
  })
  afterAll(async () => {
    await stage?.close()
  })

  it('plans a session with two phases, reorders them, opens it; the Leitstand shows phase 1 and the boards get its template', async () => {
    await lecturer.goto(`${server.url}/kurse/${world.course.id}`)
    const form = lecturer.getByRole('form', { name: 'Sitzung eröffnen' })
    await form.getByLabel('Titel', { exact: true }).fill('Modul 2 – Akteure')
    await form.getByLabel('Modul', { exact: true }).selectOption('2')
    await form.getByLabel('Phase 1: Titel').fill('Plenum')
    await form.getByLabel('Phase 2: Titel').fill('Akteursanalyse')
    await form.getByRole('button', { name: 'Für später planen' }).click()
    await lecturer.waitForURL(/\/ablauf$/)
    await lecturer.getByRole('heading', { name: 'Modul 2 – Akteure' }).waitFor()

    const phases = lecturer.getByTestId('script-phase')
    await expect.poll(() => phases.count()).toBe(2)
    // Voting without a template is refused with a German message, and nothing is saved.
    await phases.nth(1).getByLabel('Punktabfrage: Punkte pro Person (leer = keine)').fill('3')
    await lecturer.getByRole('button', { name: 'Ablauf speichern' }).click()
    await expect.poll(() => lecturer.getByTestId('script-error').textContent()).toContain('Phase 2 hat eine Punktabfrage, aber keine Vorlage')

    await phases.nth(1).getByLabel('Vorlage (als neuer Rahmen)').selectOption('akteursanalyse')
    await phases.nth(1).getByLabel('Sperre').selectOption('lock')
    // Reorder with the keyboard: focus "up" of phase 2 and press Enter.
    await lecturer.getByRole('button', { name: 'Phase 2 nach oben' }).focus()
    await lecturer.keyboard.press('Enter')
    await expect.poll(() => phases.nth(0).getByLabel('Phase 1: Titel').inputValue()).toBe('Akteursanalyse')
    await lecturer.getByRole('button', { name: 'Ablauf speichern' }).click()
    await lecturer.getByText('Ablauf gespeichert.').waitFor()
    await lecturer.reload()
    await expect.poll(() => phases.nth(0).getByLabel('Phase 1: Titel').inputValue()).toBe('Akteursanalyse')
    await expect.poll(() => phases.nth(1).getByLabel('Phase 2: Titel').inputValue()).toBe('Plenum')
    await lecturer.screenshot({ path: '/tmp/session-script-page.png', fullPage: true })

    await lecturer.getByRole('button', { name: 'Sitzung jetzt öffnen' }).click()
    await lecturer.waitForURL(/\/sitzung\/[0-9a-f-]+$/)
    // The Leitstand says what each phase will apply to the boards.
    await expect.poll(() => lecturer.getByTestId('phase-summary').first().textContent()).toContain('Akteursanalyse · Ganze Tafel sperren')
    await lecturer.getByRole('button', { name: 'Phase starten' }).click()
    await expect.poll(() => lecturer.getByTestId('leitstand-phase').textContent(), { timeout: 10_000 }).toContain('1. Akteursanalyse')

    // The phase is shown as soon as it is stored; its template and lock reach the boards right after (decision 0037).
    for (const boardId of [world.board.hamm.id, world.board.duisburg.id]) {
      const applied = async () => {
        const doc = new Y.Doc()
        Y.applyUpdate(doc, await server.rooms.currentState(boardId))
        const frames = [...doc.getMap<{ type?: string; meta?: Record<string, unknown> }>('tl_records').values()].filter((r) => r.type === 'frame')
        const seen = { templates: frames.map((f) => f.meta?.templateId), locked: doc.getMap('werkraum_locks').has('board') }
        doc.destroy()
        return seen
      }
      await expect.poll(applied, { timeout: 10_000 }).toEqual({ templates: ['akteursanalyse'], locked: true })
    }
  })
})
