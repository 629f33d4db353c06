/** The policy on private layers (private mode): the owner writes, the board's facilitators read, nobody else opens them — and nobody facilitates (locks, votes on) a layer. */
import { describe, expect, it } from 'vitest'
import { boardAccess, can, type Membership, type Principal, type Role } from '../../access/policy'

const course = 'course-1'
const hamm = 'hamm'
const principal = (personId: string, grants: [Role, string | null, string | null][]): Principal => ({
  personId,
  memberships: grants.map(([role, courseId, municipalityId], i) => ({ id: `${personId}-${i}`, role, courseId, municipalityId }) satisfies Membership),
  courseTeams: new Map([[course, new Set([hamm])]]),
})
const layer = { municipalityId: hamm, courseId: null, privateOwner: 'anna' }

describe('private layers', () => {
  it.each([
    ['its owner (a participant)', principal('anna', [['participant', course, hamm]]), 'write'],
    ['another participant of the team', principal('ben', [['participant', course, hamm]]), 'none'],
    ['the team’s mediator', principal('mia', [['mediator', course, hamm]]), 'none'],
    ['a guest of the municipality', principal('gast', [['guest', null, hamm]]), 'none'],
    ['the course’s lecturer', principal('doz', [['lecturer', course, null]]), 'read'],
    ['a lecturer of another course', principal('doz2', [['lecturer', 'course-2', null]]), 'none'],
    ['its owner without edit rights any more (now a guest)', principal('anna', [['guest', null, hamm]]), 'none'],
  ] as const)('%s: %s', (_who, p, expected) => {
    expect(boardAccess(p, layer)).toBe(expected)
  })

  it('the board itself stays open to the whole team, and nobody facilitates a layer', () => {
    expect(boardAccess(principal('ben', [['participant', course, hamm]]), { municipalityId: hamm, courseId: null })).toBe('write')
    expect(can(principal('doz', [['lecturer', course, null]]), { type: 'board.facilitate', board: layer })).toBe(false)
    expect(can(principal('doz', [['lecturer', course, null]]), { type: 'board.facilitate', board: { municipalityId: hamm, courseId: null } })).toBe(true)
    expect(can(principal('ben', [['participant', course, hamm]]), { type: 'board.facilitate', board: { municipalityId: hamm, courseId: null } })).toBe(false)
  })
})
