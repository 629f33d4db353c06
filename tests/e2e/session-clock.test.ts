/**
 * A participant whose laptop clock is seven minutes slow (a municipal laptop off the time
 * server) still sees the session timer's true time left: the page measures its offset from
 * the server (time:ping) and counts down on server time. Without that, a 3-minute timer would
 * show 10 minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { boardReady, signedInPage } from '../support/browser'
import { openStage, type Stage } from '../support/stage'

const seconds = (text: string | null) => {
  const match = /(\d+):(\d{2})/.exec(text ?? '')
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN
}

describe('the session timer on a page whose clock is wrong', () => {
  let stage: Stage
  let hamm: Page
  const slowBy = 7 * 60_000

  beforeAll(async () => {
    stage = await openStage({ title: 'Modul 3 – Zeit', moduleNumber: 3 })
    hamm = await signedInPage(stage.browser, stage.server.url, stage.world.person.participantHamm.cookie, { name: 'Hamm' })
    // The laptop's clock runs, but seven minutes behind the server's.
    await hamm.clock.install({ time: Date.now() - slowBy })
  }, 120_000)
  afterAll(async () => {
    await stage?.close()
  })

  it('shows the true time left of a 3-minute timer, not the laptop clock’s 10 minutes', async () => {
    expect(await hamm.evaluate(() => Date.now())).toBeLessThan(Date.now() - slowBy + 60_000)
    await hamm.goto(`${stage.server.url}/boards/${stage.world.board.hamm.id}`)
    await boardReady(hamm)
    await hamm.getByTestId('session-bar').waitFor({ timeout: 10_000 })
    const started = await stage.socket!.timeout(5000).emitWithAck('session:command', { sessionId: stage.sessionId!, command: { type: 'timer', action: 'start', seconds: 180 } })
    expect(started.ok).toBe(true)
    await expect.poll(async () => seconds(await hamm.getByTestId('session-countdown').textContent()), { timeout: 10_000 }).toBeLessThanOrEqual(180)
    expect(seconds(await hamm.getByTestId('session-countdown').textContent())).toBeGreaterThan(165)
  }, 90_000)
})
