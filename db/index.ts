/** The database area: connection, migrations and queries grouped by table. */
export { openDatabase, type Database, type Sql } from './client.server'
export { migrate } from './migrate.server'
export * as boards from './boards.server'
export * as boardDocuments from './board-documents.server'
