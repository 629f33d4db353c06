/**
 * Private mode in Debian's Chromium (issue 5, decision 0020): the lecturer and two people of
 * Hamm's team on Hamm's board. The lecturer starts private mode from the session bar; A writes
 * a note, which A sees while B's page and the board's stored state never get it (it sits in A's
 * private layer). The lecturer reveals: B's page shows the note, the board stores it, and A
 * still sees it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import * as Y from 'yjs'
import * as boards from '../../db/boards.server'
import { boardReady } from '../support/browser'
import type { TestDatabase } from '../support/database'
import type { TestPerson, World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'

const SECRET = 'Geheime Idee Nr 7'

describe('private mode in the browser', () => {
  let stage: Stage
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let world: World
  let lecturer: Page
  let a: Page
  let b: Page
  let socket: Socket
  let boardId: string
  let sessionId: string

  const pageAs = (person: TestPerson, name: string) => stage.pageAs(person, name)

  async function openBoard(page: Page) {
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
    await page.getByTestId('session-bar').waitFor({ timeout: 10_000 })
  }

  /** The stored state of a room (what every client of it receives), as text. */
  const storedText = async (roomId: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(roomId))
    const text = JSON.stringify(doc.getMap('tl_records').toJSON())
    doc.destroy()
    return text
  }
  const shapesWithSecret = (page: Page) => page.locator('.tl-shape').filter({ hasText: SECRET }).count()

  beforeAll(async () => {
    stage = await openStage({ title: 'Modul 3 – Ideen', moduleNumber: 3 })
    ;({ db, server, browser, world } = stage)
    socket = stage.socket!
    sessionId = stage.sessionId!
    boardId = world.board.hamm.id
    lecturer = await pageAs(world.person.lecturer, 'Dozentin')
    a = await pageAs(world.person.participantHamm, 'A')
    b = await pageAs(world.person.mediatorHamm, 'B')
  }, 120_000)
  afterAll(async () => {
    await stage?.close()
  })

  it('A’s note stays in A’s private layer until the lecturer reveals it; then B has it and A has it once', async () => {
    for (const page of [lecturer, a, b]) await openBoard(page)
    expect(await a.getByTestId('private-hint').count()).toBe(0)

    await lecturer.bringToFront()
    await lecturer.getByRole('button', { name: 'Privatmodus starten' }).click()
    await lecturer.getByTestId('private-on').waitFor({ timeout: 10_000 })
    for (const page of [a, b]) await page.getByTestId('private-hint').waitFor({ timeout: 10_000 })
    expect(await a.getByTestId('private-hint').textContent()).toContain('sieht nur die Moderation')
    expect(await lecturer.getByTestId('private-hint').count()).toBe(0)

    // A writes a note through the page.
    await a.bringToFront()
    await a.locator('[data-testid="tools.note"]').click()
    await a.mouse.click(500, 400)
    await a.locator('.tl-shape[data-shape-type="note"] [contenteditable="true"]').waitFor({ timeout: 10_000 })
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('contenteditable'))).toBe('true')
    await a.keyboard.type(SECRET)
    await a.keyboard.press('Escape')
    await a.keyboard.press('Escape')
    await expect.poll(() => shapesWithSecret(a), { timeout: 10_000 }).toBe(1)

    // It is stored in A's private layer — and nowhere B's browser could receive it from.
    const layerOfA = async () => (await boards.privateLayers(server.db.sql, boardId)).find((l) => l.privateOwner === world.person.participantHamm.id)
    await expect.poll(layerOfA, { timeout: 10_000 }).toBeTruthy()
    const layer = (await layerOfA())!
    await expect.poll(() => storedText(layer.id), { timeout: 10_000 }).toContain(SECRET)
    // A board shape the lecturer draws afterwards (facilitators write to the board) proves B's page is live and caught up.
    await lecturer.bringToFront()
    await lecturer.locator('[data-testid="tools.rectangle"]').click()
    await lecturer.mouse.move(700, 200)
    await lecturer.mouse.down()
    await lecturer.mouse.move(800, 280, { steps: 8 })
    await lecturer.mouse.up()
    await lecturer.keyboard.press('Escape')
    await expect.poll(() => b.locator('.tl-shape[data-shape-type="geo"]').count(), { timeout: 10_000 }).toBe(1)
    expect(await storedText(boardId)).not.toContain(SECRET)
    expect(await shapesWithSecret(b)).toBe(0)
    expect(await b.content()).not.toContain(SECRET)
    await a.screenshot({ path: '/tmp/private-mode-a.png' })

    // The Leitstand's card for Hamm says the board is private and offers the reveal.
    const leitstand = await lecturer.context().newPage()
    await leitstand.goto(`${server.url}/kurse/${world.course.id}/sitzung/${sessionId}`)
    const card = leitstand.locator(`[data-testid="group-card"][data-group="${world.municipality.hamm.name}"]`)
    await card.getByTestId('private-on').waitFor({ timeout: 10_000 })
    expect(await card.getByRole('button', { name: 'Aufdecken' }).count()).toBe(1)
    const duisburgCard = leitstand.locator(`[data-testid="group-card"][data-group="${world.municipality.duisburg.name}"]`)
    expect(await duisburgCard.getByRole('button', { name: 'Privatmodus starten' }).count()).toBe(1)

    // After a reload A's page binds the layer again: the note is back, once, and still only A's.
    await a.reload()
    await a.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await a.getByTestId('private-hint').waitFor({ timeout: 10_000 })
    await expect.poll(() => shapesWithSecret(a), { timeout: 10_000 }).toBe(1)
    expect(await storedText(boardId)).not.toContain(SECRET)

    await lecturer.bringToFront()
    await lecturer.getByRole('button', { name: 'Aufdecken' }).click()
    await expect.poll(() => lecturer.getByTestId('private-message').textContent(), { timeout: 10_000 }).toContain('1 Element aufgedeckt')
    await expect.poll(() => storedText(boardId), { timeout: 10_000 }).toContain(SECRET)
    await expect.poll(() => shapesWithSecret(b), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => shapesWithSecret(lecturer), { timeout: 10_000 }).toBe(1)
    for (const page of [a, b]) await page.getByTestId('private-hint').waitFor({ state: 'detached', timeout: 10_000 })
    await expect.poll(() => storedText(layer.id), { timeout: 10_000 }).not.toContain(SECRET)
    expect(await shapesWithSecret(a)).toBe(1)
    await card.getByRole('button', { name: 'Privatmodus starten' }).waitFor({ timeout: 10_000 })
    await leitstand.close()

    // Private mode is over: A's next shape goes straight to the board.
    await a.bringToFront()
    await a.locator('[data-testid="tools.rectangle"]').click()
    await a.mouse.move(700, 250)
    await a.mouse.down()
    await a.mouse.move(800, 330, { steps: 8 })
    await a.mouse.up()
    await a.keyboard.press('Escape')
    await expect.poll(() => b.locator('.tl-shape[data-shape-type="geo"]').count(), { timeout: 10_000 }).toBe(2)
    expect(await shapesWithSecret(a)).toBe(1)
    await b.screenshot({ path: '/tmp/private-mode-b.png' })
  }, 120_000)
})
