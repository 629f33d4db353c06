/** The realtime area: rooms over the y-websocket protocol, their storage, and the tldraw binding. */
export { Rooms, type RoomOptions } from './rooms'
export { type Access, type AccessCheck } from './room'
export { type GateRule } from './write-gate'
export { type BoardStorage } from './storage'
export { lockRule, applyLock, clearLocks, readLocks, type LockTarget } from './features/locks'
export { CloseCode } from './protocol'
export { compactBoard } from './storage-postgres.server'
