/** What the server process hands every loader and action (see server/app.ts). */
import type { Sql } from '../db/client.server'

export type PublicSettings = {
  /** tldraw licence key, passed to the editor (Remix inlines no env vars into the browser bundle). */
  tldrawLicenseKey: string | undefined
  /** URL prefix of the self-hosted tldraw fonts, icons and translations. */
  tldrawAssetsBase: string
  version: string
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    sql: Sql
    env: PublicSettings
  }
}
