/** The access area: who is asking (sessions, tokens), what they may do (the policy), and how people get in (sign-in, invitations, import). */
export { can, boardAccess, boardInCourse, roles, municipalRoles, type Action, type Principal, type Role, type Membership, type BoardOwner } from './policy'
export {
  authenticate,
  credentialFor,
  sessionIdOf,
  type Credential,
  principalFor,
  loadPrincipal,
  startSession,
  endSession,
  providerIdTokenOf,
  createAccessToken,
  readCookie,
  SESSION_COOKIE,
  TOKEN_PREFIX,
  type CredentialHeaders,
} from './authenticate.server'
export { hashPassword, verifyPassword, hashSecret, newSecret, passwordRules } from './credentials.server'
export { LoginGuard, type LoginLimits, type LoginResult } from './login.server'
export { createInvitation, findInvitation, acceptInvitation, type InvitationInput } from './invitations.server'
export { previewImport, runImport, type ImportPreview, type PreviewRow } from './participant-import.server'
export { OidcSignIn, SSO_STATE_COOKIE, SSO_CALLBACK_PATH, SSO_BACKCHANNEL_PATH, type SignInOutcome, type RefusalReason } from './oidc.server'
