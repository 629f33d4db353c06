/**
 * PDF exports: headless Chromium (Debian's package, through playwright-core) prints a
 * self-contained HTML document. The page may not load anything: every request it makes is
 * refused, so a report can never reach the network or another page of the installation.
 */
import type { Browser } from 'playwright-core'
import { escapeHtml } from './prose'

/** Raised when the PDF cannot be made (Chromium missing or failing); the message says why. */
/** Largest body of a board's PDF export (the SVG of every frame); the server caps the stream at it. */
export const PDF_EXPORT_MAX_BYTES = 40 * 1024 * 1024

export class PdfUnavailable extends Error {
  override readonly name = 'PdfUnavailable'
}

/**
 * True for a PdfUnavailable — also one thrown by the server's own copy of this module (the
 * renderer comes through the load context, the routes are bundled separately, so `instanceof`
 * compares two different classes).
 */
export function isPdfUnavailable(error: unknown): error is PdfUnavailable {
  return error instanceof Error && error.name === 'PdfUnavailable'
}

/** Renders HTML documents as A4 PDFs; Chromium starts on first use and stays for the next export. */
export class PdfRenderer {
  private browser: Promise<Browser> | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly chromiumPath: string) {}

  /** Prints `html` with `footer` (plain text) and page numbers at the foot of each page; one export at a time, to keep memory bounded. */
  render(html: string, footer: string): Promise<Buffer> {
    const job = this.queue.then(() => this.print(html, footer))
    this.queue = job.catch(() => {})
    return job
  }

  private async print(html: string, footer: string): Promise<Buffer> {
    const browser = await this.launch()
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
    try {
      const page = await context.newPage()
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
      await page.setContent(html, { waitUntil: 'load', timeout: 30_000 })
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:8px;width:100%;padding:0 16mm;color:#555;display:flex;justify-content:space-between"><span>${escapeHtml(footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
        margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
      })
    } finally {
      await context.close().catch(() => {})
    }
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // Loaded on the first export, not at start: playwright-core alone is ≈ 80 MB of the process (issue 18).
      this.browser = import('playwright-core')
        .then(({ chromium }) =>
          chromium.launch({
            executablePath: this.chromiumPath,
            headless: true,
            args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
          }),
        )
        .then((browser) => {
          browser.on('disconnected', () => (this.browser = null))
          return browser
        })
        .catch((error: Error) => {
          this.browser = null
          throw new PdfUnavailable(`Chromium (${this.chromiumPath}) could not be started: ${error.message.split('\n')[0]}`)
        })
    }
    return this.browser
  }

  /** Closes Chromium if it runs (on shutdown). */
  async close(): Promise<void> {
    const browser = await this.browser?.catch(() => null)
    this.browser = null
    await browser?.close().catch(() => {})
  }
}
