/**
 * The board's tldraw asset store: a picture pasted or dropped onto the board is uploaded to the
 * server (POST /api/v1/boards/:id/images) and the board keeps only its URL, which the server
 * answers only for people who may see the board. The server's refusal (too large, not a
 * picture) is thrown with its message, which tldraw shows.
 */
import type { TLAssetStore } from 'tldraw'

/** An asset store that keeps a board's pictures on the server. */
export function boardAssetStore(boardId: string): TLAssetStore {
  return {
    async upload(_asset, file) {
      const res = await fetch(`/api/v1/boards/${encodeURIComponent(boardId)}/images`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream', 'accept-language': document.documentElement.lang || 'de' },
        body: file,
      })
      const body = (await res.json().catch(() => ({}))) as { src?: string; error?: { message?: string } }
      if (!res.ok || !body.src) throw new Error(body.error?.message ?? `upload failed (${res.status})`)
      return { src: body.src }
    },
    resolve(asset) {
      return asset.props.src
    },
  }
}
