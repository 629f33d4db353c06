/**
 * Live facilitation in Debian's Chromium with a lecturer and two participants (Hamm, Duisburg):
 * the lecturer opens a session on the course page and starts a timer that both participants
 * count down alike; the Leitstand's thumbnail of a group changes after the group draws; and a
 * summon moves both participants to the plenary board and onto the lecturer's camera.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { boardReady } from '../support/browser'
import type { TestDatabase } from '../support/database'
import type { TestPerson, World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'

const seconds = (text: string | null) => {
  const match = /(\d+):(\d{2})/.exec(text ?? '')
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN
}

/** The camera's x/y as tldraw applies it to the shapes layer (`scale(z) translate(x+o, y+o)`). */
const cameraOf = (page: Page) =>
  page.locator('.tl-html-layer.tl-shapes').evaluate((el) => {
    const match = /scale\(([-\d.]+)\) translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec((el as HTMLElement).style.transform)
    return match ? { z: Number(match[1]), x: Number(match[2]), y: Number(match[3]) } : null
  })

describe('Leitstand in the browser', () => {
  let stage: Stage
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let world: World
  let lecturer: Page
  let hamm: Page
  let duisburg: Page
  let leitstandUrl = ''

  const pageAs = (person: TestPerson, name: string) => stage.pageAs(person, name)

  async function openBoard(page: Page, boardId: string) {
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
  }

  const thumbnailRects = (page: Page, group: string) =>
    page
      .locator(`[data-testid="group-card"][data-group="${group}"] img`)
      .evaluate(async (img) => (await (await fetch((img as HTMLImageElement).src)).text()).match(/<g transform="matrix\([^)]*\)" opacity=/g)?.length ?? 0)

  beforeAll(async () => {
    stage = await openStage()
    ;({ db, server, browser, world } = stage)
    lecturer = await pageAs(world.person.lecturer, 'Dozentin')
    hamm = await pageAs(world.person.participantHamm, 'Hamm')
    duisburg = await pageAs(world.person.participantDuisburg, 'Duisburg')
  })
  afterAll(async () => {
    await stage?.close()
  })

  it('the lecturer opens a session and starts a timer; both participants show the same countdown', async () => {
    await lecturer.goto(`${server.url}/kurse/${world.course.id}`)
    const form = lecturer.getByRole('form', { name: 'Sitzung eröffnen' })
    await form.getByLabel('Titel', { exact: true }).fill('Modul 2 – Konfliktanalyse')
    await form.getByLabel('Modul', { exact: true }).selectOption('2')
    await form.getByLabel('Phase 1: Titel').fill('Akteursanalyse')
    await form.locator('#phase-prompt-0').fill('Wer ist am Konflikt beteiligt?')
    await form.getByLabel('Phase 2: Titel').fill('Plenum')
    await form.getByRole('button', { name: 'Sitzung eröffnen' }).click()
    await lecturer.waitForURL(/\/sitzung\//)
    leitstandUrl = lecturer.url()
    await lecturer.getByRole('heading', { name: 'Modul 2 – Konfliktanalyse' }).waitFor()

    for (const [page, board] of [
      [hamm, world.board.hamm.id],
      [duisburg, world.board.duisburg.id],
    ] as const) {
      await openBoard(page, board)
      await page.getByTestId('session-bar').waitFor({ timeout: 10_000 })
    }

    await lecturer.getByRole('button', { name: 'Phase starten' }).click()
    await lecturer.getByLabel('Minuten', { exact: true }).fill('10')
    await lecturer.getByRole('button', { name: 'Starten', exact: true }).click()
    for (const page of [hamm, duisburg]) {
      await expect.poll(() => page.getByTestId('session-phase').textContent(), { timeout: 10_000 }).toContain('Akteursanalyse')
      await expect.poll(async () => seconds(await page.getByTestId('session-countdown').textContent()), { timeout: 10_000 }).toBeGreaterThan(590)
    }
    const [a, b, own] = await Promise.all([hamm, duisburg, lecturer].map((p) => p.getByTestId('session-countdown').textContent()))
    expect(Math.abs(seconds(a) - seconds(b))).toBeLessThanOrEqual(1)
    expect(Math.abs(seconds(a) - seconds(own))).toBeLessThanOrEqual(1)
    expect(seconds(a)).toBeLessThanOrEqual(600)
  })

  it('the Leitstand shows both groups’ thumbnails, and Hamm’s gains a box after a participant draws a rectangle', async () => {
    await expect.poll(() => lecturer.getByTestId('group-thumbnail').count()).toBe(2)
    for (const group of [world.municipality.hamm.name, world.municipality.duisburg.name]) {
      await expect
        .poll(() => lecturer.locator(`[data-testid="group-card"][data-group="${group}"] img`).evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 })
        .toBeGreaterThan(0)
      await expect.poll(() => lecturer.locator(`[data-testid="group-card"][data-group="${group}"] [data-testid="group-presence"]`).textContent(), { timeout: 10_000 }).toContain('1 Person')
    }
    const before = await thumbnailRects(lecturer, world.municipality.hamm.name)
    const srcBefore = await lecturer.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"] img`).getAttribute('src')

    await hamm.bringToFront()
    await hamm.locator('[data-testid="tools.rectangle"]').click()
    await hamm.mouse.move(400, 300)
    await hamm.mouse.down()
    await hamm.mouse.move(550, 400, { steps: 8 })
    await hamm.mouse.move(650, 450, { steps: 8 })
    await hamm.mouse.up()
    await hamm.keyboard.press('Escape')

    await expect.poll(() => thumbnailRects(lecturer, world.municipality.hamm.name), { timeout: 10_000 }).toBe(before + 1)
    expect(await thumbnailRects(lecturer, world.municipality.duisburg.name)).toBe(0)

    // Then Duisburg draws: its thumbnail changes too, Hamm's stays as it was.
    await duisburg.bringToFront()
    await duisburg.locator('[data-testid="tools.rectangle"]').click()
    await duisburg.mouse.move(300, 300)
    await duisburg.mouse.down()
    await duisburg.mouse.move(450, 380, { steps: 8 })
    await duisburg.mouse.move(520, 430, { steps: 8 })
    await duisburg.mouse.up()
    await duisburg.keyboard.press('Escape')
    await expect.poll(() => thumbnailRects(lecturer, world.municipality.duisburg.name), { timeout: 10_000 }).toBe(1)
    expect(await thumbnailRects(lecturer, world.municipality.hamm.name)).toBe(before + 1)
    // The Leitstand reloads its thumbnails by itself while it is visible.
    await lecturer.bringToFront()
    const hammCard = lecturer.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"]`)
    await expect.poll(() => hammCard.getByTestId('group-progress').textContent(), { timeout: 10_000 }).toBe('in dieser Phase: 1 neu · 0 geändert')
    expect(await hammCard.getByTestId('group-last-activity').textContent()).toBe('letzte Aktivität: gerade eben')
    await expect.poll(() => lecturer.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"] img`).getAttribute('src'), { timeout: 10_000 }).not.toBe(srcBefore)

    await hamm.getByRole('button', { name: 'Hand heben' }).click()
    await lecturer.getByTestId('hand-queue').filter({ hasText: 'Teilnehmerin Hamm' }).waitFor({ timeout: 10_000 })
  }, 90_000)

  it('"Alle zu mir" moves both participants to the plenary board and onto the lecturer’s camera', async () => {
    await lecturer.getByLabel('Ziel-Board').selectOption(world.board.plenum.id)
    await lecturer.getByRole('button', { name: 'Alle zu mir' }).click()
    await expect.poll(() => lecturer.url(), { timeout: 10_000 }).toContain(`/boards/${world.board.plenum.id}`)
    for (const page of [hamm, duisburg]) await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(`/boards/${world.board.plenum.id}`)
    await lecturer.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })

    // The lecturer looks somewhere else on the board, then brings everyone to this view.
    await lecturer.locator('.tl-canvas').hover()
    await lecturer.mouse.wheel(420, 260)
    await expect.poll(async () => (await cameraOf(lecturer))?.x ?? 0).toBeLessThan(-100)
    await lecturer.getByTestId('summon-here').click()
    const target = (await cameraOf(lecturer))!
    for (const page of [hamm, duisburg]) {
      await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
      await expect.poll(async () => (await cameraOf(page))?.x, { timeout: 10_000 }).toBeCloseTo(target.x, 0)
      expect((await cameraOf(page))!.y).toBeCloseTo(target.y, 0)
    }
  }, 90_000)

  it('"Allen zeigen" on a group card: that group goes to its board, the other group sees a picture of it', async () => {
    await lecturer.goto(leitstandUrl)
    const hammCard = lecturer.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"]`)
    await hammCard.getByTestId('show-to-all').click()
    await expect.poll(() => lecturer.url(), { timeout: 10_000 }).toContain(`/boards/${world.board.hamm.id}`)
    await expect.poll(() => hamm.url(), { timeout: 10_000 }).toContain(`/boards/${world.board.hamm.id}`)

    // Duisburg may not open Hamm's board: it stays where it is and sees the plenary picture with Hamm's rectangle.
    await duisburg.bringToFront()
    const view = duisburg.getByTestId('plenary-view')
    await view.waitFor({ timeout: 10_000 })
    expect(duisburg.url()).toContain(`/boards/${world.board.plenum.id}`)
    expect(await view.getByRole('heading').textContent()).toBe(`Plenum: ${world.board.hamm.title}`)
    await expect.poll(() => view.getByTestId('plenary-picture').evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0)
    // Shapes in tldraw's own export (decision 0041): each shape is one group placed by its page transform.
    const rects = await view
      .getByTestId('plenary-picture')
      .evaluate(async (img) => (await (await fetch((img as HTMLImageElement).src)).text()).match(/<g transform="matrix\([^)]*\)" opacity=/g)?.length ?? 0)
    expect(rects).toBeGreaterThan(0)
    await view.getByRole('button', { name: 'Schließen' }).click()
    await view.waitFor({ state: 'detached' })
  }, 90_000)
})
