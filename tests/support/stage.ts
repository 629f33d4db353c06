/**
 * The stage of a facilitation browser test: a test database and server, Debian's Chromium, the
 * world of people and boards (tests/support/fixtures.ts) and — when a session is asked for — a
 * lecturer's socket that opened a live session for the course.
 */
import type { Browser, Page } from 'playwright-core'
import { io as connectSocketIo, type Socket } from 'socket.io-client'
import type { RunningServer } from '../../server/app'
import { launchBrowser, signedInPage } from './browser'
import { createTestDatabase, type TestDatabase } from './database'
import { buildWorld, type TestPerson, type World } from './fixtures'
import { startTestServer } from './server'

export type Stage = {
  db: TestDatabase
  server: RunningServer
  browser: Browser
  world: World
  /** The lecturer's socket (only with a session). */
  socket: Socket | null
  sessionId: string | null
  /** A signed-in page of `person`, its errors logged under `name`. */
  pageAs(person: TestPerson, name: string): Promise<Page>
  close(): Promise<void>
}

/** Starts database, server, browser and world; with `session`, the lecturer opens it over socket.io. */
export async function openStage(session?: { title: string; moduleNumber?: number }): Promise<Stage> {
  const db = await createTestDatabase()
  const server = await startTestServer(db)
  const browser = await launchBrowser()
  const world = await buildWorld(server.db.sql)
  let socket: Socket | null = null
  let sessionId: string | null = null
  if (session) {
    socket = connectSocketIo(server.url, { transports: ['websocket'], forceNew: true, auth: { token: world.person.lecturer.token } })
    const opened = await socket.timeout(5000).emitWithAck('session:open', { courseId: world.course.id, moduleNumber: session.moduleNumber ?? null, title: session.title })
    if (!opened.ok) throw new Error(`session:open refused: ${opened.error}`)
    sessionId = opened.session.id
  }
  return {
    db,
    server,
    browser,
    world,
    socket,
    sessionId,
    pageAs: (person, name) => signedInPage(browser, server.url, person.cookie, { name }),
    async close() {
      socket?.disconnect()
      await browser.close()
      await server.close()
      await db.drop()
    },
  }
}
