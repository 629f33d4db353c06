/**
 * The one authorization policy: "may this person do action A on resource R". Pure — it reads a
 * Principal (the person's roles, resolved once from the database) and the resource's owner ids.
 * Remix loaders and actions, the JSON API, the Yjs websocket upgrade and socket.io all ask it.
 */

export const roles = ['administrator', 'coordinator', 'lecturer', 'mediator', 'participant', 'guest'] as const
export type Role = (typeof roles)[number]

/** Roles held in a municipality's team (the others are held in a course or the installation). */
export const municipalRoles = ['mediator', 'participant', 'guest'] as const satisfies readonly Role[]

export type Membership = {
  id: string
  role: Role
  courseId: string | null
  municipalityId: string | null
}

/** A signed-in person with everything the policy needs to know about them. */
export type Principal = {
  personId: string
  memberships: Membership[]
  /** Municipalities whose team is in a course, for every course this person has a role in or a team in. */
  courseTeams: Map<string, Set<string>>
}

/** Whose a board is; a private layer (private mode) also names the one person whose hidden notes it holds. */
export type BoardOwner = { municipalityId: string | null; courseId: string | null; privateOwner?: string | null }

/** Whether a board belongs to a course: the course's own board, or a board of one of its municipal teams (`teams`). */
export function boardInCourse(board: BoardOwner, courseId: string, teams: ReadonlySet<string> | undefined): boolean {
  return board.courseId === courseId || (board.municipalityId !== null && !!teams?.has(board.municipalityId))
}

export type Action =
  | { type: 'installation.manage' }
  | { type: 'course.create' }
  | { type: 'municipality.create' }
  | { type: 'course.view'; courseId: string }
  | { type: 'course.manage'; courseId: string }
  | { type: 'municipality.view'; municipalityId: string }
  | { type: 'municipality.manage'; municipalityId: string }
  | { type: 'design.status'; municipalityId: string }
  | { type: 'handbook.manage' }
  | { type: 'snapshot.view'; municipalityId: string }
  | { type: 'snapshot.take'; municipalityId: string }
  | { type: 'snapshot.restore'; municipalityId: string }
  | { type: 'audit.view'; municipalityId: string }
  | { type: 'board.view'; board: BoardOwner }
  | { type: 'board.edit'; board: BoardOwner }
  | { type: 'board.create'; board: BoardOwner }
  /** Lock and unlock a board or parts of it, run votes and private mode on it (live facilitation). */
  | { type: 'board.facilitate'; board: BoardOwner }
  | { type: 'membership.grant'; role: Role; courseId: string | null; municipalityId: string | null }

const has = (p: Principal, role: Role, where: (m: Membership) => boolean = () => true) => p.memberships.some((m) => m.role === role && where(m))

const isAdmin = (p: Principal) => has(p, 'administrator')
const isGlobalCoordinator = (p: Principal) => has(p, 'coordinator', (m) => m.courseId === null)
const coordinates = (p: Principal, courseId: string) => has(p, 'coordinator', (m) => m.courseId === courseId)
const lectures = (p: Principal, courseId: string) => has(p, 'lecturer', (m) => m.courseId === courseId)
const inMunicipality = (p: Principal, municipalityId: string, ...which: Role[]) => p.memberships.some((m) => m.municipalityId === municipalityId && which.includes(m.role))

/** Courses (by id) in which this person lectures or coordinates and whose teams include the municipality. */
function courseStaffFor(p: Principal, municipalityId: string, ...which: ('lecturer' | 'coordinator')[]) {
  return p.memberships.some((m) => which.includes(m.role as 'lecturer' | 'coordinator') && m.courseId !== null && p.courseTeams.get(m.courseId)?.has(municipalityId))
}

/** Whether a member (mediator, participant) of one of the course's municipal teams. */
function inCourseTeam(p: Principal, courseId: string) {
  const teams = p.courseTeams.get(courseId)
  return !!teams && p.memberships.some((m) => m.municipalityId !== null && m.role !== 'guest' && teams.has(m.municipalityId))
}

const canManageCourse = (p: Principal, courseId: string) => isGlobalCoordinator(p) || coordinates(p, courseId) || lectures(p, courseId)

const canViewCourse = (p: Principal, courseId: string) => canManageCourse(p, courseId) || inCourseTeam(p, courseId)

const canViewMunicipality = (p: Principal, municipalityId: string) =>
  isGlobalCoordinator(p) || inMunicipality(p, municipalityId, 'mediator', 'participant', 'guest') || courseStaffFor(p, municipalityId, 'lecturer', 'coordinator')

const canManageMunicipality = (p: Principal, municipalityId: string) => isGlobalCoordinator(p) || courseStaffFor(p, municipalityId, 'lecturer', 'coordinator')

const canEditMunicipalWork = (p: Principal, municipalityId: string) => inMunicipality(p, municipalityId, 'mediator', 'participant') || courseStaffFor(p, municipalityId, 'lecturer')

function canViewBoard(p: Principal, board: BoardOwner) {
  // A private layer: its owner (if they may edit the board) and the board's facilitators, nobody else.
  if (board.privateOwner) return canEditBoard(p, board) || canFacilitateBoard(p, { municipalityId: board.municipalityId, courseId: board.courseId })
  if (board.municipalityId) return canViewMunicipality(p, board.municipalityId)
  if (board.courseId) return canViewCourse(p, board.courseId)
  return false
}

function canEditBoard(p: Principal, board: BoardOwner): boolean {
  if (board.privateOwner) return board.privateOwner === p.personId && canEditBoard(p, { municipalityId: board.municipalityId, courseId: board.courseId })
  if (board.municipalityId) return canEditMunicipalWork(p, board.municipalityId)
  if (board.courseId) return coordinates(p, board.courseId) || lectures(p, board.courseId) || isGlobalCoordinator(p)
  return false
}

/** The course's lecturers and coordinators facilitate its teams' boards and its own boards. */
function canFacilitateBoard(p: Principal, board: BoardOwner) {
  if (board.privateOwner) return false
  if (isGlobalCoordinator(p)) return true
  if (board.municipalityId) return courseStaffFor(p, board.municipalityId, 'lecturer', 'coordinator')
  if (board.courseId) return canManageCourse(p, board.courseId)
  return false
}

function canGrant(p: Principal, role: Role, courseId: string | null, municipalityId: string | null) {
  switch (role) {
    case 'administrator':
      return false
    case 'coordinator':
      return courseId === null ? false : isGlobalCoordinator(p) || coordinates(p, courseId)
    case 'lecturer':
      return courseId !== null && canManageCourse(p, courseId)
    case 'mediator':
    case 'participant':
    case 'guest':
      if (municipalityId === null) return false
      if (courseId !== null) return canManageCourse(p, courseId) && !!p.courseTeams.get(courseId)?.has(municipalityId)
      return canManageMunicipality(p, municipalityId)
  }
}

/** Decides whether the principal may perform the action. Administrators may do everything. */
export function can(p: Principal | null, action: Action): boolean {
  if (!p) return false
  if (isAdmin(p)) return true
  switch (action.type) {
    case 'installation.manage':
      return false
    case 'course.create':
    case 'municipality.create':
      return isGlobalCoordinator(p)
    case 'course.view':
      return canViewCourse(p, action.courseId)
    case 'course.manage':
      return canManageCourse(p, action.courseId)
    case 'municipality.view':
      return canViewMunicipality(p, action.municipalityId)
    case 'municipality.manage':
      return canManageMunicipality(p, action.municipalityId)
    case 'design.status':
      return canEditMunicipalWork(p, action.municipalityId)
    case 'handbook.manage':
      return isGlobalCoordinator(p)
    // Snapshots (Stände): everyone who sees the municipality sees them (guests included); those who edit its design take and restore them.
    case 'snapshot.view':
      return canViewMunicipality(p, action.municipalityId)
    case 'snapshot.take':
    case 'snapshot.restore':
      return canEditMunicipalWork(p, action.municipalityId)
    // The audit log (who took or restored what, when) is for coordinators: of the installation, or of a course the municipality is in.
    case 'audit.view':
      return isGlobalCoordinator(p) || courseStaffFor(p, action.municipalityId, 'coordinator')
    case 'board.view':
      return canViewBoard(p, action.board)
    case 'board.edit':
    case 'board.create':
      return canEditBoard(p, action.board)
    case 'board.facilitate':
      return canFacilitateBoard(p, action.board)
    case 'membership.grant':
      return canGrant(p, action.role, action.courseId, action.municipalityId)
  }
}

/** What a person may do on a board: nothing, read, or read and write. */
export function boardAccess(p: Principal | null, board: BoardOwner): 'none' | 'read' | 'write' {
  if (can(p, { type: 'board.edit', board })) return 'write'
  if (can(p, { type: 'board.view', board })) return 'read'
  return 'none'
}
