/**
 * The record check (collab/record-check.ts) bound to the board's tldraw schema (KMS shape
 * included) and this process's MAX_TEXT_CHARS: what the room's write gate, board import,
 * templates and restore use (docs/decisions/0040-one-record-check.md).
 */
import { invalidShape } from '../domain/board/first-records'
import { createBoardSchema } from '../domain/board/kms-shape'
import { checkRecord, DEFAULT_MAX_TEXT_CHARS, recordRule, type RecordCheckOptions, type RecordType } from './record-check'
import type { GateRule } from './write-gate'

const options: RecordCheckOptions = {
  types: createBoardSchema().types as unknown as Partial<Record<string, RecordType>>,
  maxTextChars: DEFAULT_MAX_TEXT_CHARS,
}

/** Sets MAX_TEXT_CHARS for every check of this process (called once at start). */
export function setMaxTextChars(maxTextChars: number): void {
  options.maxTextChars = maxTextChars
}

/** The board's record check and its settings. */
export function boardRecordCheck(): RecordCheckOptions {
  return options
}

/** Null when `record` may enter a board under its own id, else the first problem. */
export function checkBoardRecord(record: { id?: unknown }): string | null {
  return checkRecord(String(record?.id), record, options)
}

/** The record check as a rule of the room's write gate. */
export const boardRecordRule: GateRule = recordRule(options)

/** Template and session-script shapes: the tldraw schema's shape check, then the board's record check; the first problem, or null. */
export function invalidBoardShapes(records: unknown[]): string | null {
  const problem = invalidShape(records)
  if (problem) return problem
  for (const record of records) {
    const refused = checkBoardRecord(record as { id?: unknown })
    if (refused) return refused
  }
  return null
}
