/**
 * The per-request CSP nonce (server/app.ts makes it, the Content-Security-Policy names it):
 * app/entry.server.tsx provides it, the document puts it on Remix's inline scripts. In the
 * browser there is none to provide — the scripts already ran — so it reads as ''.
 */
import { createContext, useContext } from 'react'

const NonceContext = createContext('')

/** Provides the request's nonce to the document (server rendering only). */
export const NonceProvider = NonceContext.Provider

/** The request's CSP nonce while rendering on the server; '' in the browser. */
export function useNonce(): string {
  return useContext(NonceContext)
}
