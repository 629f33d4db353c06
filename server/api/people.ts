/**
 * People routes of the JSON API: who am I (`/me`), a person's personal data and a whole
 * municipality's (GDPR Art. 15, scoped as decision 0035 says), and deleting a person (Art. 17: their name is scrubbed from
 * every board and design document, their open connections re-checked).
 */
import type { Router } from 'express'
import { can } from '../../access'
import * as people from '../../db/people.server'
import * as privacy from '../../db/privacy.server'
import { municipalityFor, sendError, validId, who, type ApiDeps } from './common'

/** Adds the people and personal-data routes to the API router. */
export function peopleRoutes(router: Router, { sql, live, scrubPerson }: ApiDeps): void {
  router.get('/me', async (_req, res) => {
    const p = who(res)
    const person = await people.getPerson(sql, p.personId)
    res.json({ ...person, memberships: p.memberships })
  })
  router.get('/people/:id/personal-data', async (req, res) => {
    const p = who(res)
    if (!validId(req.params.id)) return sendError(req, res, 'not_found')
    if (p.personId !== req.params.id && !can(p, { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    const data = await privacy.personalData(sql, req.params.id)
    if (!data) return sendError(req, res, 'not_found')
    res.json(data)
  })
  router.get('/municipalities/:id/personal-data', async (req, res) => {
    const municipality = await municipalityFor(sql, req, res, 'municipality.manage')
    if (!municipality) return
    const ids = await privacy.peopleOfMunicipality(sql, municipality.id)
    // Only what is tied to this municipality: its manager may not read the person's work elsewhere (decision 0035).
    const scope = { kind: 'municipality', municipalityId: municipality.id } as const
    res.json({ municipality, people: await Promise.all(ids.map((id) => privacy.personalData(sql, id, scope))) })
  })
  router.delete('/people/:id', async (req, res) => {
    if (!can(who(res), { type: 'installation.manage' })) return sendError(req, res, 'forbidden')
    if (!validId(req.params.id) || req.params.id === who(res).personId) return sendError(req, res, 'invalid_body')
    const name = (await privacy.personalData(sql, req.params.id))?.person.name
    const email = await privacy.deletePerson(sql, req.params.id)
    if (!email) return sendError(req, res, 'not_found')
    await live.changed(req.params.id)
    await scrubPerson?.(req.params.id, name ?? '')
    res.status(204).end()
  })
}
