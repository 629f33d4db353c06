/**
 * The Leitstand's board thumbnails: an SVG with one box per shape of the first page, drawn
 * from the stored document; served only to the course's facilitators and only for boards of
 * the session's course.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as store from '../../db/facilitation.server'
import { initialState } from '../../collab/features/facilitation.server'
import type { RunningServer } from '../../server/app'
import { renderBoardSvg, shapeBoxes } from '../../domain/board/svg'
import { connectClient, waitFor } from '../support/clients'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type TestPerson, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

const page = { id: 'page:page', typeName: 'page', index: 'a1', name: 'Seite 1' }
const geo = (id: string, x: number, y: number, parentId = page.id) => ({
  id,
  typeName: 'shape',
  type: 'geo',
  parentId,
  index: 'a1',
  x,
  y,
  rotation: 0,
  props: { w: 200, h: 100, geo: 'rectangle' },
})
const rects = (svg: string) => svg.match(/<rect /g)?.length ?? 0
/** Shapes in tldraw's own export (decision 0041): each shape is one group placed by its page transform. */
const shapesDrawn = (svg: string) => svg.match(/<g transform="matrix\([^)]*\)" opacity=/g)?.length ?? 0

describe('thumbnail drawing', () => {
  it('draws one box per shape of the first page, children of frames at their page position', () => {
    const frame = { id: 'shape:frame', typeName: 'shape', type: 'frame', parentId: page.id, index: 'a0', x: 1000, y: 500, props: { w: 600, h: 400 } }
    const otherPage = { id: 'page:zwei', typeName: 'page', index: 'a2', name: 'Seite 2' }
    const records = [page, otherPage, frame, { ...geo('shape:a', 0, 0), props: { w: 200, h: 100, text: 'Geheim' } }, geo('shape:in', 50, 60, frame.id), geo('shape:elsewhere', 0, 0, otherPage.id)]
    const boxes = shapeBoxes(records as never)
    expect(boxes.map((b) => [b.type, b.x, b.y, b.w, b.h])).toEqual([
      ['frame', 1000, 500, 600, 400],
      ['geo', 0, 0, 200, 100],
      ['geo', 1050, 560, 200, 100],
    ])
    const svg = renderBoardSvg(records as never, 'Board <Hamm>', { withText: false })
    expect(rects(svg)).toBe(3)
    expect(svg).toContain('aria-label="Board &lt;Hamm&gt;"')
    expect(svg).toContain('width="320" height="200"')
    expect(svg).not.toMatch(/<text|<title|Geheim/)
  })

  it('draws an empty board as an empty picture', () => {
    expect(rects(renderBoardSvg([page] as never, 'leer', { withText: false }))).toBe(0)
  })
})

describe('thumbnail route', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World
  let sessionId: string
  const url = (boardId: string, courseId = world.course.id, session = sessionId) => `${server.url}/kurse/${courseId}/sitzung/${session}/vorschau/${boardId}`
  const get = (target: string, person: TestPerson) => fetch(target, { headers: { cookie: person.cookie }, redirect: 'manual' })

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
    const row = await store.insertSession(server.db.sql, {
      courseId: world.course.id,
      moduleNumber: 2,
      title: 'Modul 2',
      createdBy: world.person.lecturer.id,
      state: initialState(),
      phases: [],
    })
    sessionId = row.id
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  it('gives the lecturer an SVG of a group board that gains a box when a shape is drawn', async () => {
    const empty = await get(url(world.board.hamm.id), world.person.lecturer)
    expect(empty.status).toBe(200)
    expect(empty.headers.get('content-type')).toContain('image/svg+xml')
    expect(shapesDrawn(await empty.text())).toBe(0)

    const client = connectClient(server.url, world.board.hamm.id, world.person.participantHamm.token)
    await client.synced
    client.doc.getMap('tl_records').set(page.id, page)
    client.doc.getMap('tl_records').set('shape:eins', geo('shape:eins', 100, 100))
    let svg = ''
    await waitFor(
      async () => {
        svg = await (await get(url(world.board.hamm.id), world.person.lecturer)).text()
        return shapesDrawn(svg) === 1
      },
      'the stored shape appears in the thumbnail',
      15_000,
    )
    expect(svg).toContain('data-renderer="tldraw"')
    expect(svg).not.toContain('Konfliktlandkarte Hamm</')
    client.destroy()
  })

  it('refuses participants (of this group and of another) with 403', async () => {
    for (const person of [world.person.participantDuisburg, world.person.participantHamm, world.person.mediatorHamm]) {
      expect((await get(url(world.board.hamm.id), person)).status).toBe(403)
    }
  })

  it('answers 404 for a board outside the course, a session of another course, or a malformed id', async () => {
    expect((await get(url(world.board.herne.id), world.person.administrator)).status).toBe(404)
    expect((await get(url(world.board.hamm.id, world.otherCourse.id), world.person.administrator)).status).toBe(404)
    expect((await get(url('kein-board'), world.person.lecturer)).status).toBe(404)
  })

  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await fetch(url(world.board.hamm.id), { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toContain('/anmelden')
  })
})
