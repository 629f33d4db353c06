/**
 * Board pictures: what tldraw itself draws for a whiteboard's stored records, made in the
 * server's shared headless Chromium by the board picture page (app/pictures/page, built to
 * build/pictures) and cached by board state, so many viewers of the same state share one render
 * (decision 0041). Only when Chromium or the built page is missing does it fall back to the
 * server's own box renderer (domain/board/svg.ts).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import type { Locale } from '~/i18n'
import type { DrawJob, DrawResult } from './page/main.client'
import { renderBoardSvg, escapeXml, type Highlight, type RecordJson } from '../../domain/board/svg'
import { isPdfUnavailable, type HeadlessChromium } from '../report/chromium.server'

/** Raised when a picture cannot be made in time or the queue is full; callers answer 503. */
export class PictureBusy extends Error {
  override readonly name = 'PictureBusy'
}

/** True for a PictureBusy, also one from the server's own copy of this module. */
export function isPictureBusy(error: unknown): error is PictureBusy {
  return error instanceof Error && error.name === 'PictureBusy'
}

export type PictureOptions = {
  /** The picture's accessible name (its `<title>` and aria-label). */
  title: string
  /** Draw text (default); `false` keeps only the layout (the Leitstand's thumbnails carry no document content). */
  withText?: boolean
  /** Outlines changed shapes by id (the comparison). */
  highlight?: Map<string, Highlight>
  locale?: Locale
}

/** A picture: SVG markup, its natural size in pixels, which renderer drew it, and an entity tag for HTTP caching. */
export type BoardPicture = { svg: string; width: number; height: number; renderer: 'tldraw' | 'fallback'; etag: string }

export type BoardPicturesOptions = {
  /** The built picture page (build/pictures). */
  pageDir: string
  /** @tldraw/assets (fonts for the picture). */
  assetsDir: string
  timeoutMs?: number
  /** Pictures that may wait for Chromium at once; more are refused with PictureBusy. */
  maxQueued?: number
  /** Pictures kept in memory. */
  cacheEntries?: number
}

const ORIGIN = 'http://board-pictures.werkraum.invalid'
const EMPTY = { width: 640, height: 400 }

/** Draws whiteboards as tldraw does, cached by state; one shared Chromium, one page at a time. */
export class BoardPictures {
  private readonly cache = new Map<string, BoardPicture>()
  private readonly inFlight = new Map<string, Promise<BoardPicture>>()
  private page: Promise<Page> | null = null
  private readonly timeoutMs: number
  private readonly maxQueued: number
  private readonly cacheEntries: number

  constructor(
    private readonly chromium: HeadlessChromium,
    private readonly options: BoardPicturesOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 20_000
    this.maxQueued = options.maxQueued ?? 24
    this.cacheEntries = options.cacheEntries ?? 300
  }

  /** Whether the built picture page exists (else every picture is the fallback). */
  get pageBuilt(): boolean {
    return fs.existsSync(path.join(this.options.pageDir, 'index.html'))
  }

  /** The picture of a board's state (an encoded Yjs update of its `tl_records`/`tl_meta`). */
  draw(state: Uint8Array, options: PictureOptions): Promise<BoardPicture> {
    const withText = options.withText ?? true
    const highlight = Object.fromEntries(options.highlight ?? [])
    const locale = options.locale ?? 'de'
    const key = createHash('sha256')
      .update(state)
      .update(JSON.stringify([options.title, withText, highlight, locale]))
      .digest('hex')
    const cached = this.cache.get(key)
    if (cached) {
      this.cache.delete(key)
      this.cache.set(key, cached)
      return Promise.resolve(cached)
    }
    const running = this.inFlight.get(key)
    if (running) return running
    const { records, schema } = decode(state)
    const fallback = () => fallbackPicture(records, options.title, withText, options.highlight)
    if (!this.pageBuilt) return Promise.resolve(fallback())
    if (!records.some((r) => r.typeName === 'shape')) return Promise.resolve(labelled(emptySvg(), options.title, EMPTY, 'tldraw', withText))
    if (this.chromium.pending >= this.maxQueued) return Promise.reject(new PictureBusy('too many board pictures are waiting'))
    const job: DrawJob = { records: records as never, schema, locale, withText, highlight }
    const work = this.chromium
      .run(() => this.drawInPage(job))
      .then((result) => (result ? labelled(result.svg, options.title, result, 'tldraw', withText) : labelled(emptySvg(), options.title, EMPTY, 'tldraw', withText)))
      .catch((error: unknown) => {
        if (isPdfUnavailable(error)) return fallback()
        throw error
      })
      .then((picture) => {
        this.remember(key, picture)
        return picture
      })
      .finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, work)
    return work
  }

  private remember(key: string, picture: BoardPicture) {
    this.cache.set(key, picture)
    while (this.cache.size > this.cacheEntries) this.cache.delete(this.cache.keys().next().value!)
  }

  private async drawInPage(job: DrawJob): Promise<DrawResult> {
    const page = await this.openPage()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PictureBusy(`board picture took longer than ${this.timeoutMs} ms`)), this.timeoutMs)
    })
    try {
      return await Promise.race([page.evaluate<DrawResult, string>((j) => window.drawBoard(JSON.parse(j)), JSON.stringify(job)), timeout])
    } catch (error) {
      // A page that timed out or crashed is not trusted with the next picture.
      this.page = null
      await page.close().catch(() => {})
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** The warm picture page: opened once, reused for every picture; requests go only to the page's own files. */
  private openPage(): Promise<Page> {
    if (!this.page) {
      this.page = (async () => {
        const browser = await this.chromium.launch()
        const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
        const page = await context.newPage()
        page.on('close', () => {
          this.page = null
          void context.close().catch(() => {})
        })
        await page.route('**/*', async (route) => {
          const url = new URL(route.request().url())
          if (url.origin !== ORIGIN) return route.abort()
          const file = url.pathname.startsWith('/tldraw-assets/')
            ? safeJoin(this.options.assetsDir, url.pathname.slice('/tldraw-assets/'.length))
            : safeJoin(this.options.pageDir, url.pathname === '/' ? 'index.html' : url.pathname.slice(1))
          if (!file || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' })
          return route.fulfill({ status: 200, path: file })
        })
        await page.goto(`${ORIGIN}/index.html`, { timeout: this.timeoutMs })
        await page.waitForFunction(() => window.drawBoardReady === true, undefined, { timeout: this.timeoutMs })
        return page
      })().catch((error) => {
        this.page = null
        throw error
      })
    }
    return this.page
  }
}

function safeJoin(root: string, relative: string): string | null {
  const full = path.resolve(root, decodeURIComponent(relative))
  return full.startsWith(path.resolve(root) + path.sep) ? full : null
}

/** The records and tldraw schema of a board's state. */
function decode(state: Uint8Array): { records: RecordJson[]; schema: unknown } {
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
    const records = ([...doc.getMap('tl_records').values()] as RecordJson[]).filter((r) => r && typeof r === 'object' && typeof r.id === 'string')
    return { records, schema: doc.getMap('tl_meta').get('schema') ?? null }
  } finally {
    doc.destroy()
  }
}

function emptySvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${EMPTY.width}" height="${EMPTY.height}" viewBox="0 0 ${EMPTY.width} ${EMPTY.height}"><rect width="100%" height="100%" fill="#f8f9fa"/></svg>`
}

/** Gives the SVG its accessible name and says which renderer drew it. */
function labelled(svg: string, title: string, size: { width: number; height: number }, renderer: BoardPicture['renderer'], withTitle: boolean): BoardPicture {
  const label = escapeXml(title)
  const marked = svg.replace(/^<svg\b([^>]*)>/, (_, attrs: string) => `<svg${attrs} role="img" aria-label="${label}" data-renderer="${renderer}">${withTitle ? `<title>${label}</title>` : ''}`)
  return { svg: marked, width: Math.round(size.width), height: Math.round(size.height), renderer, etag: etagOf(marked) }
}

const etagOf = (svg: string) => `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"`

/** The HTTP answer for a picture: 304 when the client has it already, else the SVG; `cacheControl` as the route wants it. */
export function pictureResponse(request: Request, picture: BoardPicture, cacheControl: string): Response {
  const headers = { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': cacheControl, ETag: picture.etag, 'X-Content-Type-Options': 'nosniff' }
  if (request.headers.get('if-none-match') === picture.etag) return new Response(null, { status: 304, headers })
  return new Response(picture.svg, { headers })
}

/** The answer while the pictures are busy: try again shortly. */
export function busyResponse(): Response {
  return new Response(null, { status: 503, headers: { 'Retry-After': '3', 'Cache-Control': 'no-store' } })
}

function fallbackPicture(records: RecordJson[], title: string, withText: boolean, highlight?: Map<string, Highlight>): BoardPicture {
  const svg = renderBoardSvg(records, title, { withText, highlight }).replace(/^<svg\b/, '<svg data-renderer="fallback"')
  const box = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(svg)
  return { svg, width: Number(box?.[1] ?? EMPTY.width), height: Number(box?.[2] ?? EMPTY.height), renderer: 'fallback', etag: etagOf(svg) }
}
