/**
 * PDF exports: the server's headless Chromium prints a self-contained HTML document as a
 * tagged (accessible) PDF with an outline, the document's language and title. The page may not
 * load anything: every request it makes is refused, so a report can never reach the network or
 * another page of the installation.
 */
import type { HeadlessChromium } from './chromium.server'
import { escapeHtml } from './prose'

export { PdfUnavailable, isPdfUnavailable } from './chromium.server'

/** Renders HTML documents as A4 PDFs in the shared Chromium, one export at a time. */
export class PdfRenderer {
  constructor(private readonly chromium: HeadlessChromium) {}

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
