/** Debian's Chromium through playwright-core (never a downloaded browser), and signed-in board pages in it. */
import { chromium, type Browser, type Page } from 'playwright-core'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Starts headless Chromium with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
}

/** A browser page signed in as the person with `cookie` (`name=value`), logging its uncaught errors under `name`. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  cookie: string,
  options: { name?: string; locale?: string; viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: options.locale ?? 'de-DE', acceptDownloads: options.acceptDownloads })
  const at = cookie.indexOf('=')
  await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: baseUrl }])
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`${options.name ? `[${options.name}] ` : ''}page error:`, error.message))
  return page
}

/** Waits until a board page is connected ("live") and its tldraw canvas is there. */
export async function boardReady(page: Page): Promise<void> {
  await page.getByTestId('connection-state').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 })
  await page.locator('.tl-canvas').waitFor()
}

/** Opens `/boards/<boardId>` in a new signed-in page and waits for the editor. */
export async function openBoardPage(browser: Browser, baseUrl: string, cookie: string, boardId: string, options: Parameters<typeof signedInPage>[3] = {}): Promise<Page> {
  const page = await signedInPage(browser, baseUrl, cookie, options)
  await page.goto(`${baseUrl}/boards/${boardId}`)
  await boardReady(page)
  return page
}
