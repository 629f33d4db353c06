/**
 * The former home of board storage, kept as an import path for tests and scripts: the
 * PostgreSQL storage now lives in collab/storage-postgres.server.ts behind `BoardStorage`.
 */
export { compactBoard, loadBoardDoc, PostgresStorage, UpdateLog } from './storage-postgres.server'
