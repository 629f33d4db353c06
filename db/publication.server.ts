/** Which designs are published in the handbook across municipalities. */
import type { Sql } from './client.server'

export type PublicationRow = {
  municipalityId: string
  name: string
  status: string
  publishedAt: Date | null
}

/** Every municipality's design with its status and publication, ordered by name. */
export async function listPublications(sql: Sql): Promise<PublicationRow[]> {
  return sql<PublicationRow[]>`
    select m.id as "municipalityId", m.name, d.status, d.published_at as "publishedAt"
    from designs d join municipalities m on m.id = d.municipality_id
    order by m.name`
}

/** Publishes (or withdraws) a design; false when the municipality has none. */
export async function setPublished(sql: Sql, municipalityId: string, published: boolean, personId: string): Promise<boolean> {
  const rows = published
    ? await sql`update designs set published_at = now(), published_by = ${personId} where municipality_id = ${municipalityId} returning id`
    : await sql`update designs set published_at = null, published_by = null where municipality_id = ${municipalityId} returning id`
  return rows.length > 0
}
