/**
 * Facilitation controls in Debian's Chromium, a lecturer and two participants (Hamm,
 * Duisburg): a timer for one group from the Leitstand reaches only that group; the lecturer
 * locks Hamm's board from the session bar — Hamm's editor turns read-only with a banner — and
 * after the unlock Hamm's drawing reaches the server again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import * as Y from 'yjs'
import { boardReady } from '../support/browser'
import type { TestDatabase } from '../support/database'
import type { TestPerson, World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'

const seconds = (text: string | null) => {
  const match = /(\d+):(\d{2})/.exec(text ?? '')
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN
}

describe('facilitation controls in the browser', () => {
  let stage: Stage
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let world: World
  let lecturer: Page
  let hamm: Page
  let duisburg: Page
  let socket: Socket
  let sessionId: string

  const pageAs = (person: TestPerson, name: string) => stage.pageAs(person, name)

  async function openBoard(page: Page, boardId: string) {
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
  }

  const shapeCount = async (boardId: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(boardId))
    return [...doc.getMap<{ typeName?: string }>('tl_records').values()].filter((r) => r?.typeName === 'shape').length
  }

  async function drawRectangle(page: Page, at: number) {
    await page.bringToFront()
    await page.locator('[data-testid="tools.rectangle"]').click()
    await page.mouse.move(at, 300)
    await page.mouse.down()
    await page.mouse.move(at + 100, 380, { steps: 8 })
    await page.mouse.up()
    await page.keyboard.press('Escape')
  }

  beforeAll(async () => {
    stage = await openStage({ title: 'Modul 2 – Steuerung', moduleNumber: 2 })
    ;({ db, server, browser, world } = stage)
    socket = stage.socket!
    sessionId = stage.sessionId!
    lecturer = await pageAs(world.person.lecturer, 'Dozentin')
    hamm = await pageAs(world.person.participantHamm, 'Hamm')
    duisburg = await pageAs(world.person.participantDuisburg, 'Duisburg')
  }, 120_000)
  afterAll(async () => {
    await stage?.close()
  })

  it('a timer for one group from the Leitstand reaches that group only', async () => {
    for (const [page, board] of [
      [hamm, world.board.hamm.id],
      [duisburg, world.board.duisburg.id],
    ] as const) {
      await openBoard(page, board)
      await page.getByTestId('session-bar').waitFor({ timeout: 10_000 })
    }
    await lecturer.goto(`${server.url}/kurse/${world.course.id}/sitzung/${sessionId}`)
    await lecturer.getByRole('heading', { name: 'Modul 2 – Steuerung' }).waitFor()
    await lecturer.getByLabel('Minuten', { exact: true }).fill('3')
    const card = lecturer.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"]`)
    await card.getByText('Timer nur für diese Gruppe').click()
    await card.getByRole('button', { name: 'Starten', exact: true }).click()
    await expect.poll(async () => seconds(await hamm.getByTestId('session-countdown').textContent()), { timeout: 10_000 }).toBeGreaterThan(170)
    expect(seconds(await hamm.getByTestId('session-countdown').textContent())).toBeLessThanOrEqual(180)
    await expect.poll(() => duisburg.getByTestId('session-bar').textContent()).toContain('kein Timer')
    await lecturer.screenshot({ path: '/tmp/facilitation-group-timer.png', fullPage: true })
  }, 90_000)

  it('the lecturer locks Hamm’s board: Hamm’s editor is read-only with a banner; after the unlock Hamm’s drawing is stored', async () => {
    await openBoard(lecturer, world.board.hamm.id)
    await lecturer.getByTestId('lock-board').click()
    await hamm.getByTestId('board-locked').waitFor({ timeout: 10_000 })
    expect(await hamm.getByTestId('board-locked').textContent()).toContain('gesperrt')
    // tldraw hides the drawing tools of a read-only editor.
    await expect.poll(() => hamm.locator('[data-testid="tools.rectangle"]').count(), { timeout: 10_000 }).toBe(0)
    expect(await lecturer.getByTestId('board-locked').count()).toBe(0)
    await hamm.screenshot({ path: '/tmp/facilitation-locked.png' })

    // "Vorlage einfügen" on the locked board says that nothing was inserted — and nothing is.
    const before = await shapeCount(world.board.hamm.id)
    await hamm.bringToFront()
    await hamm.getByText('Vorlage einfügen').click()
    await hamm.getByTestId('insert-template-choice').selectOption({ label: 'Akteursanalyse' })
    await hamm.getByRole('button', { name: 'Einfügen', exact: true }).click()
    await expect.poll(() => hamm.getByTestId('template-message').textContent()).toBe('Vorlage „Akteursanalyse“ nicht eingefügt: Die Tafel ist gesperrt.')
    expect(await shapeCount(world.board.hamm.id)).toBe(before)

    await lecturer.bringToFront()
    await lecturer.getByTestId('lock-board').click()
    await hamm.getByTestId('board-locked').waitFor({ state: 'detached', timeout: 10_000 })
    await hamm.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await drawRectangle(hamm, 400)
    await expect.poll(() => shapeCount(world.board.hamm.id), { timeout: 10_000 }).toBe(before + 1)
  }, 90_000)
})
