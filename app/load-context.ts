/** What the server process hands every loader and action (see server/app.ts). */
import type { LoginGuard } from '../access/login.server'
import type { Mailer } from '../access/mailer.server'
import type { OidcSignIn } from '../access/oidc.server'
import type { Facilitation } from '../collab/features/facilitation.server'
import type { Rooms } from '../collab/rooms'
import type { Sql } from '../db/client.server'
import type { BoardPictures } from './pictures/board-pictures.server'

export type PublicSettings = {
  /** tldraw licence key, passed to the editor (Remix inlines no env vars into the browser bundle). */
  tldrawLicenseKey: string | undefined
  /** URL prefix of the self-hosted tldraw fonts, icons and translations. */
  tldrawAssetsBase: string
  version: string
}

export type Services = {
  loginGuard: LoginGuard
  mailer: Mailer
  /** Re-checks a person's open connections after their roles changed. */
  accessChanged(personId: string): Promise<void>
  /** Closes every socket (Yjs, socket.io, every process) of a session, an access token or a person (server/live-sessions.ts). */
  closeSocketsOf(selector: { sessionId: string } | { tokenId: string } | { personId: string }): Promise<void>
  /** Origin for links shown or mailed to people. */
  publicUrl: string
  /** The live facilitation sessions (shared with socket.io). */
  facilitation: Facilitation
  /** How many clients are connected to each board's room right now. */
  boardPresence(boardIds: string[]): Promise<Record<string, number>>
  /** Prints a self-contained HTML document to a tagged PDF in headless Chromium (throws PdfUnavailable); `header` runs along the top of each page. */
  renderPdf(html: string, footer: string, header?: string): Promise<Buffer>
  /** Prints a document whose table of contents needs page numbers: `build(null)` first, then `build(numbers)` (see PdfRenderer.renderWithContents). */
  renderPdfWithContents(build: (pageNumbers: Record<string, number> | null) => string, footer: string, header?: string): Promise<Buffer>
  /** Whiteboards drawn as tldraw draws them (the shared Chromium), cached by board state. */
  boardPictures: BoardPictures
  /** The rooms: read a board's current state, and change boards on the server's behalf (restore a snapshot, fill a new board from a template), seen live. */
  rooms: Rooms
  /** Single sign-on through the configured OpenID provider; null when none is configured. */
  sso: OidcSignIn | null
  /** Whether email-and-password sign-in is on (PASSWORD_LOGIN). */
  passwordLogin: boolean
  /** Closes the sockets opened with a personal access token that was just revoked. */
  tokenRevoked(tokenId: string): void
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    sql: Sql
    env: PublicSettings
    services: Services
    /** This response's CSP nonce for inline scripts (app/entry.server.tsx); absent in development (no CSP there). */
    cspNonce?: string
    /** The requesting client: its address (for rate limits) and whether it came over https. */
    client: { address: string; secure: boolean }
  }
}
