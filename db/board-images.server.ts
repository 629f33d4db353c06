/** Queries on `board_images`: pictures placed on boards, and the check of their type by content. */
import type { Sql } from './client.server'

export const imageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type ImageType = (typeof imageTypes)[number]

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b)
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

/** The picture type recognised from the first bytes (magic numbers), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  return null
}

/** Stores a picture of a board and returns its id. */
export async function storeImage(sql: Sql, input: { boardId: string; mime: ImageType; bytes: Uint8Array; createdBy: string }): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into board_images (board_id, mime, size, bytes, created_by)
    values (${input.boardId}, ${input.mime}, ${input.bytes.byteLength}, ${Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)}, ${input.createdBy})
    returning id`
  return row.id
}

/** One picture with its bytes, or null. */
export async function getImage(sql: Sql, id: string): Promise<{ id: string; boardId: string; mime: ImageType; bytes: Buffer } | null> {
  const [row] = await sql<{ id: string; boardId: string; mime: ImageType; bytes: Buffer }[]>`
    select id, board_id as "boardId", mime, bytes from board_images where id = ${id}`
  return row ?? null
}
