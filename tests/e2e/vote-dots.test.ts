/**
 * Dot voting drawn on the board, in Debian's Chromium: the lecturer starts a round on a frame
 * of Hamm's board; the participant sees the two shapes outlined, puts dots on them with the
 * "+●" button on a shape (and takes one back by clicking it) and with "Punkt setzen" on a
 * selected shape, and sees only their own dots — the lecturer sees none; after the close both
 * see each shape's total as a badge on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import { boardReady } from '../support/browser'
import '../support/page-editor'
import type { TestDatabase } from '../support/database'
import type { TestPerson, World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'

describe('dot voting on the canvas', () => {
  let stage: Stage
  let db: TestDatabase
  let server: RunningServer
  let browser: Browser
  let world: World
  let lecturer: Page
  let hamm: Page
  let socket: Socket

  const pageAs = (person: TestPerson, name: string) => stage.pageAs(person, name)

  async function openBoard(page: Page, boardId: string) {
    await page.goto(`${server.url}/boards/${boardId}`)
    await boardReady(page)
    await page.waitForFunction(() => !!window.werkraumEditor)
  }

  const target = (page: Page, id: string) => page.locator(`[data-testid="vote-target"][data-shape="${id}"]`)
  const badge = (page: Page, id: string) => page.locator(`[data-testid="vote-total-badge"][data-shape="${id}"]`)

  beforeAll(async () => {
    stage = await openStage({ title: 'Modul 3 – Priorisierung', moduleNumber: 3 })
    ;({ db, server, browser, world } = stage)
    socket = stage.socket!
    lecturer = await pageAs(world.person.lecturer, 'Dozentin')
    hamm = await pageAs(world.person.participantHamm, 'Hamm')
  }, 120_000)
  afterAll(async () => {
    await stage?.close()
  })

  it('the participant sees the votable shapes, places dots on them and sees only their own; after the close everyone sees the totals', async () => {
    await openBoard(lecturer, world.board.hamm.id)
    await lecturer.evaluate(() => {
      const note = (id: string, x: number) => ({ id, type: 'note', parentId: 'shape:rahmen', x, y: 60 })
      window.werkraumEditor!.createShapes([{ id: 'shape:rahmen', type: 'frame', x: 200, y: 150, props: { w: 560, h: 320, name: 'Ideen' } }])
      window.werkraumEditor!.createShapes([note('shape:eins', 40), note('shape:zwei', 300)])
    })
    await openBoard(hamm, world.board.hamm.id)
    await expect.poll(() => hamm.evaluate(() => !!window.werkraumEditor!.getShape('shape:zwei')), { timeout: 10_000 }).toBe(true)

    await lecturer.bringToFront()
    await lecturer.evaluate(() => void window.werkraumEditor!.select('shape:rahmen'))
    await lecturer.getByTestId('vote-start').click()

    for (const page of [hamm, lecturer]) await expect.poll(() => page.getByTestId('vote-target').count(), { timeout: 10_000 }).toBe(2)
    expect(await lecturer.getByTestId('vote-add').count()).toBe(0)

    await hamm.bringToFront()
    await target(hamm, 'shape:eins').getByTestId('vote-add').click()
    await expect.poll(() => target(hamm, 'shape:eins').getByTestId('vote-my-dots').getAttribute('data-count'), { timeout: 10_000 }).toBe('1')
    await target(hamm, 'shape:eins').getByTestId('vote-add').click()
    await expect.poll(() => target(hamm, 'shape:eins').getByTestId('vote-my-dots').getAttribute('data-count')).toBe('2')
    // Clicking one's own dots takes one back.
    await target(hamm, 'shape:eins').getByTestId('vote-my-dots').click()
    await expect.poll(() => target(hamm, 'shape:eins').getByTestId('vote-my-dots').getAttribute('data-count')).toBe('1')
    await target(hamm, 'shape:eins').getByTestId('vote-add').click()
    await expect.poll(() => target(hamm, 'shape:eins').getByTestId('vote-my-dots').getAttribute('data-count')).toBe('2')
    // The way that existed before: select a shape, then "Punkt setzen".
    await hamm.evaluate(() => void window.werkraumEditor!.select('shape:zwei'))
    await hamm.getByTestId('vote-place').click()
    await expect.poll(() => target(hamm, 'shape:zwei').locator('.vote-dot').count()).toBe(1)
    expect(await hamm.getByTestId('vote-left').textContent()).toContain('noch 0 von 3')
    await hamm.screenshot({ path: '/tmp/vote-dots-running.png' })

    // Results stay hidden until the close: the lecturer sees the outlines, nobody's dots.
    expect(await lecturer.getByTestId('vote-my-dots').count()).toBe(0)
    expect(await lecturer.getByTestId('vote-total-badge').count()).toBe(0)

    await lecturer.bringToFront()
    await lecturer.getByTestId('vote-close').click()
    for (const page of [lecturer, hamm]) {
      await expect.poll(() => badge(page, 'shape:eins').getAttribute('data-count'), { timeout: 10_000 }).toBe('2')
      expect(await badge(page, 'shape:eins').textContent()).toBe('2 Punkte')
      expect(await badge(page, 'shape:zwei').getAttribute('data-count')).toBe('1')
      expect(await page.getByTestId('vote-target').count()).toBe(0)
    }
    await lecturer.screenshot({ path: '/tmp/vote-dots-results.png' })
  }, 90_000)
})
