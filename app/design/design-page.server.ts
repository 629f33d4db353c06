/** The Systemdesign page's server side: which design document to open, its status, and whether this person may write. */
import { boardAccess, can, type Principal } from '../../access/policy'
import type { Sql } from '../../db/client.server'
import * as boards from '../../db/boards.server'
import * as courses from '../../db/courses.server'

/** Everything the Systemdesign page needs for this person, or null when the municipality has no design document. */
export async function designPage(sql: Sql, principal: Principal, municipality: courses.Municipality) {
  const [document, design] = await Promise.all([boards.getDesignDocument(sql, municipality.id), courses.getDesign(sql, municipality.id)])
  if (!document) return null
  const access = boardAccess(principal, document)
  if (access === 'none') return null
  return {
    municipality: { id: municipality.id, name: municipality.name },
    documentId: document.id,
    readOnly: access === 'read',
    status: design?.status ?? 'Entwurf',
    statuses: courses.designStatuses,
    canSetStatus: can(principal, { type: 'design.status', municipalityId: municipality.id }),
  }
}
