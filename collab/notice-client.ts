/** The client side of the server's notices (collab/protocol.ts): used by the board page and by tests with the stock provider. */
import type { WebsocketProvider } from 'y-websocket'
import { decodeNotice, messageNotice, type Notice } from './protocol'

/** Calls `onNotice` for every notice the server sends through `provider`; returns a function that stops listening. */
export function listenForNotices(provider: WebsocketProvider, onNotice: (notice: Notice) => void): () => void {
  provider.messageHandlers[messageNotice] = (_encoder, decoder) => {
    try {
      onNotice(decodeNotice(decoder))
    } catch {
      // A notice this client does not understand changes nothing.
    }
  }
  return () => {
    delete provider.messageHandlers[messageNotice]
  }
}
