/** The realtime area: rooms over the y-websocket protocol, their persistence, and the tldraw binding. */
export { Rooms, type Access, type AccessCheck, type RoomOptions, type WriteGate } from './room'
export { lockGate, applyLock, clearLocks, readLocks, type LockTarget } from './features/locks'
export { CloseCode } from './protocol'
export { compactBoard } from './persistence'
