/**
 * The seam between a room and the other server processes that serve the same board.
 *
 * A room talks to its peers only through a `RoomChannel`: it publishes the updates it has
 * already committed to the update log and the awareness changes of its own clients, and it
 * receives theirs. Without REDIS_URL the cluster is `singleProcess` (nothing to publish to,
 * nothing to receive); with it, `collab/redis-cluster.ts` — loaded on demand — carries the
 * messages over Redis pub/sub (see docs/decisions/0010-redis-scale-out.md).
 */

/** What a room does with messages from peer processes. */
export type PeerMessages = {
  /** An update a peer process has already committed to the update log (never stored again). */
  update(update: Uint8Array): void
  /** An awareness update (cursors, names) of a peer's clients. */
  awareness(update: Uint8Array): void
}

/** One room's subscription to its board's messages from peer processes. */
export interface RoomChannel {
  /** Hands peer messages to the room; those that arrived since the channel opened come first, in order. */
  attach(receiver: PeerMessages): void
  /** Tells peers about an update this process has committed to the update log. */
  publishUpdate(update: Uint8Array): void
  /** Tells peers about awareness changes of this process's clients. */
  publishAwareness(update: Uint8Array): void
  /** Stops receiving the board's messages (the room unloads). */
  close(): void
}

/** The processes serving the same boards, as one room manager sees them. */
export interface Cluster {
  /**
   * Subscribes to a board's messages and resolves once subscribed (or at once while the bus is
   * down), buffering what arrives until `attach`. Open before loading from storage: then every
   * update is either in what is loaded or in the buffer — no gap.
   */
  open(boardId: string): Promise<RoomChannel>
  /** Registers what to do when messages may have been missed (the bus was down): reload every room from storage. */
  onResyncNeeded(handler: () => void): void
}

const silentChannel: RoomChannel = {
  attach() {},
  publishUpdate() {},
  publishAwareness() {},
  close() {},
}

/** The cluster of one: used when REDIS_URL is not set. */
export const singleProcess: Cluster = {
  open: () => Promise.resolve(silentChannel),
  onResyncNeeded() {},
}
