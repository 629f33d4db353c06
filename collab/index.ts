/** The realtime area: rooms over the y-websocket protocol, their persistence, and the tldraw binding. */
export { Rooms, type Access, type AccessCheck, type RoomOptions } from './room'
export { CloseCode } from './protocol'
export { compactBoard } from './persistence'
