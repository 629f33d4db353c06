/**
 * Pictures on boards against the real server and database: upload and fetch with access, 403
 * for another municipality, a guest reads but never uploads, and a 50 MB file or an executable
 * dressed up as a PNG is refused with a clear error and nothing stored. Backups include them.
 */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBackup } from '../../db/backup.server'
import type { RunningServer } from '../../server/app'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { buildWorld, type World } from '../support/fixtures'
import { startTestServer } from '../support/server'

/** A real 1×1 PNG. */
const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

describe('pictures on boards', () => {
  let db: TestDatabase
  let server: RunningServer
  let world: World

  beforeAll(async () => {
    db = await createTestDatabase()
    server = await startTestServer(db)
    world = await buildWorld(server.db.sql)
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const upload = (token: string, boardId: string, body: Buffer, type = 'image/png', lang = 'de') =>
    fetch(`${server.url}/api/v1/boards/${boardId}/images`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type, 'accept-language': lang }, body: new Uint8Array(body) })
  const fetchImage = (token: string, id: string) => fetch(`${server.url}/api/v1/images/${id}`, { headers: { authorization: `Bearer ${token}` } })
  const stored = async () => Number((await server.db.sql`select count(*)::int as n from board_images`)[0].n)

  it('an uploaded picture is served, with its type, to people who may see the board, and to nobody else', async () => {
    const res = await upload(world.person.participantHamm.token, world.board.hamm.id, tinyPng, 'application/octet-stream')
    expect(res.status).toBe(201)
    const image = (await res.json()) as { id: string; src: string; mime: string; size: number }
    expect(image).toMatchObject({ mime: 'image/png', size: tinyPng.length, src: `/api/v1/images/${image.id}` })

    for (const person of ['participantHamm', 'mediatorHamm', 'guestHamm', 'lecturer'] as const) {
      const got = await fetchImage(world.person[person].token, image.id)
      expect(got.status, person).toBe(200)
      expect(got.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await got.arrayBuffer()).equals(tinyPng)).toBe(true)
    }
    for (const person of ['participantDuisburg', 'outsider'] as const) {
      expect((await fetchImage(world.person[person].token, image.id)).status, person).toBe(403)
    }
    expect((await fetch(`${server.url}/api/v1/images/${image.id}`)).status).toBe(401)
    // The board page's cookie works too (how <img> loads it).
    expect((await fetch(`${server.url}/api/v1/images/${image.id}`, { headers: { cookie: world.person.guestHamm.cookie } })).status).toBe(200)
  })

  it('guests and other municipalities cannot upload; nothing is stored', async () => {
    const before = await stored()
    expect((await upload(world.person.guestHamm.token, world.board.hamm.id, tinyPng)).status).toBe(403)
    expect((await upload(world.person.participantDuisburg.token, world.board.hamm.id, tinyPng)).status).toBe(403)
    expect(await stored()).toBe(before)
  })

  it('a 50 MB picture gets a clear error and nothing is stored', async () => {
    const before = await stored()
    const big = Buffer.alloc(50 * 1024 * 1024)
    tinyPng.copy(big)
    const res = await upload(world.person.participantHamm.token, world.board.hamm.id, big)
    expect(res.status).toBe(413)
    const body = (await res.json()) as { error: { code: string; message: string; details: { maxBytes: number } } }
    expect(body.error.code).toBe('image_too_large')
    expect(body.error.message).toBe('Das Bild ist zu groß. Bitte verkleinern Sie es (höchstens 10 MB).')
    expect(body.error.details.maxBytes).toBe(10 * 1024 * 1024)
    expect(await stored()).toBe(before)
  })

  it('an executable dressed up as a PNG, an SVG or an empty body is refused by content, and nothing is stored', async () => {
    const before = await stored()
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2000, 1)])
    const res = await upload(world.person.participantHamm.token, world.board.hamm.id, exe, 'image/png', 'en')
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'image_type',
      message: 'This is not a PNG, JPEG, GIF or WebP picture (recognised by its content, not its name).',
    })
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    expect((await upload(world.person.participantHamm.token, world.board.hamm.id, svg, 'image/svg+xml')).status).toBe(415)
    expect((await upload(world.person.participantHamm.token, world.board.hamm.id, Buffer.alloc(0))).status).toBe(415)
    expect((await upload(world.person.participantHamm.token, world.board.hamm.id, Buffer.from('{"a":1}'), 'application/json')).status).toBe(415)
    expect(await stored()).toBe(before)
  })

  it('JPEG, GIF and WebP are recognised by their bytes', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20)])
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20)])
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(20)])
    for (const [bytes, mime] of [
      [jpeg, 'image/jpeg'],
      [gif, 'image/gif'],
      [webp, 'image/webp'],
    ] as const) {
      const res = await upload(world.person.participantHamm.token, world.board.hamm.id, bytes, 'image/png')
      expect(((await res.json()) as { mime: string }).mime).toBe(mime)
    }
  })

  it('the backup carries the pictures (and comments and course templates)', async () => {
    const chunks: Buffer[] = []
    const counts = await writeBackup(server.db.sql, new Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) }))
    expect(counts.board_images).toBeGreaterThan(0)
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(['comment_threads', 'comments', 'course_templates']))
  })
})
