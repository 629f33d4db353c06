/** Administration routes of the JSON API: the installation's backup (administrators only). */
import type { Router } from 'express'
import { can } from '../../access'
import { writeBackup } from '../../db/backup.server'
import { sendError, who, type ApiDeps } from './common'

/** Adds the administration routes to the API router. */
export function adminRoutes(router: Router, { sql }: ApiDeps): void {
  router.get('/admin/backup', async (req, res) => {
    if (!can(who(res), { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    res.setHeader('content-type', 'application/gzip')
    res.setHeader('content-disposition', `attachment; filename="werkraum-${new Date().toISOString().slice(0, 10)}.werkraum-backup"`)
    await writeBackup(sql, res)
  })
}
