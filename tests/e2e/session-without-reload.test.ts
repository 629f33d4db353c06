/**
 * Pages already open when the session starts (issue 15), in Debian's Chromium: participant A's
 * and the lecturer's board pages are open before the lecturer opens the session. The session
 * bar reaches A within a second of the lecturer's command, and so does the phase; the phase
 * turns private mode on, and the note A then writes never enters the board document — neither
 * in storage nor on the lecturer's page — until the reveal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { io as connectSocketIo } from 'socket.io-client'
import * as Y from 'yjs'
import * as boards from '../../db/boards.server'
import { boardReady } from '../support/browser'
import { openStage, type Stage } from '../support/stage'

const SECRET = 'Noch geheim 42'

describe('a board page opened before the session', () => {
  let stage: Stage
  let a: Page
  let lecturerPage: Page
  let socket: Socket

  const storedText = async (roomId: string) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await stage.server.rooms.currentState(roomId))
    const text = JSON.stringify(doc.getMap('tl_records').toJSON())
    doc.destroy()
    return text
  }
  const shapesWithSecret = (page: Page) => page.locator('.tl-shape').filter({ hasText: SECRET }).count()
  /**
   * Milliseconds from the server's answer to `command` (the change is stored and published) until
   * `shown` resolves on the page — at least 0 when the page was even faster than the answer.
   */
  const timeUntil = async (command: () => Promise<unknown>, shown: () => Promise<unknown>) => {
    let answered = 0
    let seen = 0
    await Promise.all([command().then(() => (answered = Date.now())), shown().then(() => (seen = Date.now()))])
    return Math.max(0, seen - answered)
  }

  beforeAll(async () => {
    stage = await openStage()
    const { world, server } = stage
    a = await stage.pageAs(world.person.participantHamm, 'A')
    lecturerPage = await stage.pageAs(world.person.lecturer, 'Dozentin')
    for (const page of [a, lecturerPage]) {
      await page.goto(`${server.url}/boards/${world.board.hamm.id}`)
      await boardReady(page)
    }
    socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.lecturer.token } })
  }, 120_000)
  afterAll(async () => {
    socket?.disconnect()
    await stage?.close()
  })

  it('gets the session bar and the phase within a second, and a note written in private mode stays out of the board document', async () => {
    const { world, server } = stage
    const boardId = world.board.hamm.id
    expect(await a.getByTestId('session-bar').count()).toBe(0)
    // A's page in front, as a participant's would be (a background tab's rendering is throttled).
    await a.bringToFront()
    let sessionId = ''
    const opened = await timeUntil(
      async () => {
        const answer = await socket.timeout(5000).emitWithAck('session:open', {
          courseId: world.course.id,
          title: 'Modul 1 – spät geöffnet',
          phases: [{ title: 'Still sammeln', prompt: 'Jede für sich', durationSeconds: 600, privateMode: true }],
        })
        expect(answer.ok).toBe(true)
        sessionId = answer.session.id
      },
      () => a.getByTestId('session-bar').waitFor({ timeout: 5000 }),
    )
    expect(opened).toBeLessThan(1000)
    expect(await a.getByTestId('session-phase').textContent()).toContain('Noch keine Phase')

    const phased = await timeUntil(
      () => socket.timeout(10_000).emitWithAck('session:command', { sessionId, command: { type: 'phase', index: 0 } }),
      () => a.getByTestId('session-phase').filter({ hasText: 'Still sammeln' }).waitFor({ timeout: 5000 }),
    )
    expect(phased).toBeLessThan(1000)
    await a.getByTestId('private-hint').waitFor({ timeout: 5000 })

    // A writes a note on the page that was open all along.
    await a.bringToFront()
    await a.locator('[data-testid="tools.note"]').click()
    await a.mouse.click(500, 400)
    await a.locator('.tl-shape[data-shape-type="note"] [contenteditable="true"]').waitFor({ timeout: 10_000 })
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('contenteditable'))).toBe('true')
    await a.keyboard.type(SECRET)
    await a.keyboard.press('Escape')
    await a.keyboard.press('Escape')
    await expect.poll(() => shapesWithSecret(a), { timeout: 10_000 }).toBe(1)

    // In A's private layer, stored; not in the board document.
    const layerOfA = async () => (await boards.privateLayers(server.db.sql, boardId)).find((l) => l.privateOwner === world.person.participantHamm.id)
    await expect.poll(layerOfA, { timeout: 10_000 }).toBeTruthy()
    await expect.poll(async () => storedText((await layerOfA())!.id), { timeout: 10_000 }).toContain(SECRET)
    // A shape the lecturer draws afterwards proves the lecturer's page is live and caught up.
    await lecturerPage.bringToFront()
    await lecturerPage.locator('[data-testid="tools.rectangle"]').click()
    await lecturerPage.mouse.move(700, 200)
    await lecturerPage.mouse.down()
    await lecturerPage.mouse.move(800, 280, { steps: 8 })
    await lecturerPage.mouse.up()
    await lecturerPage.keyboard.press('Escape')
    await expect.poll(() => a.locator('.tl-shape[data-shape-type="geo"]').count(), { timeout: 10_000 }).toBe(1)
    expect(await storedText(boardId)).not.toContain(SECRET)
    expect(await shapesWithSecret(lecturerPage)).toBe(0)

    // The reveal brings it to the board.
    expect(await socket.timeout(10_000).emitWithAck('private:reveal', { sessionId, boardId })).toMatchObject({ ok: true, revealed: 1 })
    await expect.poll(() => storedText(boardId), { timeout: 10_000 }).toContain(SECRET)
    await expect.poll(() => shapesWithSecret(lecturerPage), { timeout: 10_000 }).toBe(1)
  }, 120_000)
})
