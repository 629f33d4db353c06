/**
 * Other editors' carets and names in a section's rich text: y-tiptap's cursor plugin over the
 * page's shared Yjs awareness. TipTap's own CollaborationCaret package lags behind the TipTap
 * version tldraw pins (see docs/decisions/0006-design-document.md), so this wraps the same
 * plugin it wraps. Several section editors share one awareness: the plugin only clears the
 * `cursor` field when the caret it holds belongs to its own fragment.
 */
import { Extension } from '@tiptap/core'
import { yCursorPlugin } from '@tiptap/y-tiptap'
import type { Awareness } from 'y-protocols/awareness'

export type CollaborationCaretOptions = { awareness: Awareness | null }

/** Shows remote carets and selections (with the person's name and colour from awareness `user`). */
export const CollaborationCaret = Extension.create<CollaborationCaretOptions>({
  name: 'werkraumCollaborationCaret',
  addOptions() {
    return { awareness: null }
  },
  addProseMirrorPlugins() {
    return this.options.awareness ? [yCursorPlugin(this.options.awareness)] : []
  },
})
