/**
 * PDF exports: the server's headless Chromium prints a self-contained HTML document as a
 * tagged (accessible) PDF with an outline, the document's language and title. The page may not
 * load anything: every request it makes is refused, so a report can never reach the network or
 * another page of the installation.
 */
import type { HeadlessChromium } from './chromium.server'
import { escapeHtml } from './prose'
import type { PageNumbers } from './report.server'

/** Largest body of a board's PDF export (the SVG of every frame); the server caps the stream at it. */
export const PDF_EXPORT_MAX_BYTES = 40 * 1024 * 1024

export { PdfUnavailable, isPdfUnavailable } from './chromium.server'

/** Renders HTML documents as A4 PDFs in the shared Chromium, one export at a time. */
export class PdfRenderer {
  constructor(private readonly chromium: HeadlessChromium) {}

  /**
   * Prints a document with a table of contents: a first print finds on which page each heading
   * with an id starts (through the PDF's outline, read by pdf.js), the second print fills the
   * numbers in. `build(null)` must lay out the same pages as `build(numbers)`.
   */
  async renderWithContents(build: (pageNumbers: PageNumbers | null) => string, footer: string, header = ''): Promise<Buffer> {
    const draft = build(null)
    const first = await this.render(draft, footer, header)
    return this.render(build(await headingPages(draft, first)), footer, header)
  }

  /** Prints `html` with `footer` (plain text) and page numbers at the foot of each page, and `header` (plain text, optional) at the top. */
  render(html: string, footer: string, header = ''): Promise<Buffer> {
    return this.chromium.run(async (browser) => {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
      try {
        const page = await context.newPage()
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
        await page.setContent(html, { waitUntil: 'load', timeout: 30_000 })
        const small = 'font-size:8px;width:100%;padding:0 16mm;color:#555;display:flex;justify-content:space-between;font-family:"DejaVu Sans",sans-serif'
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          tagged: true,
          outline: true,
          displayHeaderFooter: true,
          headerTemplate: header ? `<div style="${small}"><span>${escapeHtml(header)}</span><span></span></div>` : '<span></span>',
          footerTemplate: `<div style="${small}"><span>${escapeHtml(footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
          margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
        })
      } finally {
        await context.close().catch(() => {})
      }
    })
  }
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e).replace(/\s+/g, ' ').trim()

/** The page (1-based) on which each heading with an id starts, matched in document order against the PDF's outline. */
export async function headingPages(html: string, pdf: Buffer): Promise<PageNumbers> {
  const headings = [...html.matchAll(/<h([1-6])[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => ({ id: m[2]!, title: plain(m[3]!) }))
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false }).promise
  try {
    type Item = { title: string; dest: unknown; items: Item[] }
    const flat: Item[] = []
    const walk = (items: Item[] | null) => {
      for (const item of items ?? []) {
        flat.push(item)
        walk(item.items)
      }
    }
    walk((await document.getOutline()) as Item[] | null)
    const numbers: PageNumbers = {}
    let from = 0
    for (const heading of headings) {
      const at = flat.findIndex((item, i) => i >= from && item.title.replace(/\s+/g, ' ').trim() === heading.title)
      if (at < 0) continue
      from = at + 1
      const dest = typeof flat[at]!.dest === 'string' ? await document.getDestination(flat[at]!.dest as string) : (flat[at]!.dest as unknown[] | null)
      const ref = dest?.[0]
      if (ref && typeof ref === 'object') numbers[heading.id] = (await document.getPageIndex(ref as never)) + 1
    }
    return numbers
  } finally {
    await document.destroy()
  }
}
