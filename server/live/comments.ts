/**
 * Live comment changes: `comments:changed` {boardId, thread} to everyone who joined the board's
 * event room (board:join checked their access), `comments:mentioned` to the people mentioned.
 */
import type { CommentEvents } from '../api'
import { boardRoom } from './boards'
import { personRoom } from './presence'
import type { LiveServer } from './handler'

/** Where the API's comment routes announce their changes. */
export function commentEvents(io: LiveServer): CommentEvents {
  return {
    threadChanged: (thread) => void io.to(boardRoom(thread.boardId)).emit('comments:changed', { boardId: thread.boardId, thread }),
    mentioned: (personIds, thread) => {
      for (const id of personIds) io.to(personRoom(id)).emit('comments:mentioned', { boardId: thread.boardId, thread })
    },
  }
}
