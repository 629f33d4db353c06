/**
 * Frame and shape locks in Debian's Chromium, a lecturer and a participant of Hamm: the
 * lecturer locks a frame (with the shape in it) and a single shape from the session bar
 * ("Auswahl sperren"). The participant's page shows them locked; deleting with the keyboard,
 * dragging with the mouse and changing them through the editor change nothing, and the
 * server's state of those records stays as it was while a change to an unlocked shape arrives.
 * A page that writes through the lock anyway (moving a shape into the locked frame) is put back
 * by the server on every page, its own included (decision 0039); after the unlock the shapes can
 * be edited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import * as Y from 'yjs'
import { readLocks } from '../../collab/features/locks'
import { boardReady } from '../support/browser'
import type { PageShape as Shape } from '../support/page-editor'
import type { TestDatabase } from '../support/database'
import type { TestPerson, World } from '../support/fixtures'
import { openStage, type Stage } from '../support/stage'
import type { RunningServer } from '../../server/app'


const FRAME = 'shape:rahmen'
const INSIDE = 'shape:drinnen'
const SINGLE = 'shape:einzeln'
const FREE = 'shape:frei'
const LOCKED = [FRAME, INSIDE, SINGLE]

describe('frame and shape locks in the browser', () => {
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

  /** The board's document as the server holds it. */
  const serverDoc = async () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await server.rooms.currentState(world.board.hamm.id))
    return doc
  }
  const serverRecords = async () => (await serverDoc()).getMap('tl_records').toJSON() as Record<string, Shape>
  const pick = (records: Record<string, Shape>, ids: string[]) => Object.fromEntries(ids.map((id) => [id, records[id]]))
  const shapeOn = (page: Page, id: string) => page.evaluate((shapeId) => window.werkraumEditor!.getShape(shapeId) ?? null, id)
  const select = (page: Page, id: string) => page.evaluate((shapeId) => void window.werkraumEditor!.select(shapeId), id)

  /** Drags a shape with the mouse from its centre by (dx, dy) screen pixels. */
  async function drag(page: Page, id: string, dx: number, dy: number) {
    const at = await page.evaluate((shapeId) => {
      const editor = window.werkraumEditor!
      return editor.pageToScreen(editor.getShapePageBounds(shapeId)!.center)
    }, id)
    await page.mouse.move(at.x, at.y)
    await page.mouse.down()
    await page.mouse.move(at.x + dx / 2, at.y + dy / 2, { steps: 5 })
    await page.mouse.move(at.x + dx, at.y + dy, { steps: 5 })
    await page.mouse.up()
  }

  async function lockSelection(id: string, button: 'Auswahl sperren' | 'Auswahl entsperren') {
    await lecturer.bringToFront()
    await select(lecturer, id)
    await lecturer.getByTestId('session-bar').getByRole('button', { name: button, exact: true }).click()
  }

  beforeAll(async () => {
    stage = await openStage({ title: 'Modul 2 – Sperren', moduleNumber: 2 })
    ;({ db, server, browser, world } = stage)
    socket = stage.socket!
    lecturer = await pageAs(world.person.lecturer, 'Dozentin')
    hamm = await pageAs(world.person.participantHamm, 'Hamm')
  }, 120_000)
  afterAll(async () => {
    await stage?.close()
  })

  it('the locked frame, the shape in it and the locked shape cannot be changed from the participant’s page; an unlocked shape can', async () => {
    await openBoard(lecturer, world.board.hamm.id)
    await lecturer.evaluate(
      ({ frame, inside, single, free }) => {
        const geo = (id: string, x: number, y: number, parentId?: string) => ({ id, type: 'geo', x, y, ...(parentId ? { parentId } : {}), props: { w: 120, h: 80, fill: 'solid' } })
        window.werkraumEditor!.createShapes([{ id: frame, type: 'frame', x: 150, y: 200, props: { w: 320, h: 240, name: 'Gesperrt' } }])
        window.werkraumEditor!.createShapes([geo(inside, 60, 60, frame), geo(single, 560, 220), geo(free, 560, 420)])
      },
      { frame: FRAME, inside: INSIDE, single: SINGLE, free: FREE },
    )
    await openBoard(hamm, world.board.hamm.id)
    await expect.poll(async () => (await shapeOn(hamm, FREE))?.x, { timeout: 10_000 }).toBe(560)

    await lockSelection(FRAME, 'Auswahl sperren')
    await lockSelection(SINGLE, 'Auswahl sperren')
    await expect.poll(async () => Object.keys(readLocks(await serverDoc())).sort(), { timeout: 10_000 }).toEqual([`frame:${FRAME}`, `shapes:${SINGLE}`])
    for (const id of LOCKED) await expect.poll(async () => (await shapeOn(hamm, id))?.isLocked, { timeout: 10_000 }).toBe(true)
    expect((await shapeOn(hamm, FREE))!.isLocked).toBe(false)
    await hamm.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    const lockedBefore = pick(await serverRecords(), LOCKED)

    await hamm.bringToFront()
    // Keyboard: select the locked shape, press Delete.
    await select(hamm, SINGLE)
    await hamm.keyboard.press('Delete')
    // Mouse: drag the locked shape and the shape in the locked frame.
    await drag(hamm, SINGLE, 150, 100)
    await drag(hamm, INSIDE, 200, 0)
    await hamm.keyboard.press('Escape')
    // The editor's own API, as any code on the page would call it.
    await hamm.evaluate(
      ({ frame, inside, single }) => {
        const editor = window.werkraumEditor!
        editor.updateShape({ id: inside, type: 'geo', x: 10 })
        editor.updateShape({ id: single, type: 'geo', y: 600 })
        editor.deleteShapes([frame])
      },
      { frame: FRAME, inside: INSIDE, single: SINGLE },
    )
    for (const id of LOCKED) expect(await shapeOn(hamm, id), id).not.toBeNull()

    // An unlocked shape moves, and the move is stored; every attempt before it would have arrived first.
    await drag(hamm, FREE, 200, 0)
    await expect.poll(async () => (await serverRecords())[FREE].x, { timeout: 10_000 }).toBeGreaterThan(600)
    expect(pick(await serverRecords(), LOCKED)).toEqual(lockedBefore)
    // tldraw's own lock (shift+L) is not the participant's: the action is gone from their editor.
    await select(hamm, FREE)
    await hamm.keyboard.press('Shift+L')
    await hamm.waitForTimeout(300)
    expect((await shapeOn(hamm, FREE))!.isLocked).toBe(false)
    expect((await serverRecords())[FREE].isLocked).toBe(false)
    await hamm.keyboard.press('Escape')
    await hamm.screenshot({ path: '/tmp/locks-participant.png' })
  }, 90_000)

  it('a change written through the lock is put back by the server, on the writer’s page too; after the unlock the shapes can be edited', async () => {
    const lockedBefore = pick(await serverRecords(), LOCKED)
    await hamm.evaluate(
      ({ frame, free }) => void window.werkraumEditor!.run(() => window.werkraumEditor!.reparentShapes([free], frame), { ignoreShapeLock: true }),
      { frame: FRAME, free: FREE },
    )
    // The server stores the move together with its correction and sends both back: the page puts the shape back out of the frame.
    await expect.poll(async () => (await shapeOn(hamm, FREE))?.parentId, { timeout: 5_000 }).toMatch(/^page:/)
    const records = await serverRecords()
    expect(records[FREE].parentId).toMatch(/^page:/)
    expect(pick(records, LOCKED)).toEqual(lockedBefore)

    await lockSelection(FRAME, 'Auswahl entsperren')
    await lockSelection(SINGLE, 'Auswahl entsperren')
    await expect.poll(async () => Object.keys(readLocks(await serverDoc())), { timeout: 10_000 }).toEqual([])
    // Nothing was held back: after the unlock the shape stays where the correction put it.
    expect((await serverRecords())[FREE].parentId).toMatch(/^page:/)
    for (const id of LOCKED) await expect.poll(async () => (await shapeOn(hamm, id))?.isLocked, { timeout: 10_000 }).toBe(false)

    await hamm.bringToFront()
    await hamm.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
    await drag(hamm, SINGLE, 0, 150)
    await expect.poll(async () => (await serverRecords())[SINGLE].y, { timeout: 10_000 }).toBeGreaterThan(300)
    await hamm.evaluate((inside) => void window.werkraumEditor!.updateShape({ id: inside, type: 'geo', x: 150 }), INSIDE)
    await expect.poll(async () => (await serverRecords())[INSIDE].x, { timeout: 10_000 }).toBe(150)
  }, 90_000)
})
