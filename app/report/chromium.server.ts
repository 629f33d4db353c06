/**
 * The server's one headless Chromium (Debian's package, through playwright-core), shared by the
 * PDF exports and the board pictures: started on first use, kept for the next job, and running
 * one job at a time so that memory stays bounded on a small machine.
 */
import type { Browser } from 'playwright-core'

/** Raised when Chromium is missing or cannot start; the message says why. */
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

/** One shared browser and the queue of jobs that use it. */
export class HeadlessChromium {
  private browser: Promise<Browser> | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private waiting = 0

  constructor(readonly executablePath: string) {}

  /** Jobs queued or running right now. */
  get pending(): number {
    return this.waiting
  }

  /** Runs `job` with the browser once every earlier job has finished. */
  run<T>(job: (browser: Browser) => Promise<T>): Promise<T> {
    this.waiting++
    const next = this.queue.then(async () => job(await this.launch()))
    const settled = next.finally(() => this.waiting--)
    this.queue = settled.catch(() => {})
    return settled
  }

  /** The running browser (started if needed); throws PdfUnavailable when Chromium cannot start. */
  launch(): Promise<Browser> {
    if (!this.browser) {
      // Loaded on the first job, not at start: playwright-core alone is ≈ 80 MB of the process (issue 18).
      this.browser = import('playwright-core')
        .then(({ chromium }) =>
          chromium.launch({
            executablePath: this.executablePath,
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
          throw new PdfUnavailable(`Chromium (${this.executablePath}) could not be started: ${error.message.split('\n')[0]}`)
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
