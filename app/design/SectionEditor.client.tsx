/** One section's rich text: a TipTap editor bound to the section's Yjs fragment, with the others' carets. */
import Collaboration from '@tiptap/extension-collaboration'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { CollaborationCaret } from './collaboration-caret.client'
import { sectionFragment, type SectionKey } from '../../domain/design/model'

type Props = { doc: Y.Doc; provider: WebsocketProvider; sectionKey: SectionKey; label: string; readOnly: boolean }

/** A live rich-text editor for one section (read-only for readers). */
export function SectionEditor({ doc, provider, sectionKey, label, readOnly }: Props) {
  const editor = useEditor(
    {
      extensions: [
        // Undo/redo comes from the Collaboration extension (Yjs undo manager), not ProseMirror history.
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment: sectionFragment(doc, sectionKey) }),
        CollaborationCaret.configure({ awareness: provider.awareness }),
      ],
      editable: !readOnly,
      immediatelyRender: false,
      editorProps: {
        attributes: {
          'aria-label': label,
          'aria-multiline': 'true',
          'aria-readonly': readOnly ? 'true' : 'false',
          role: 'textbox',
          class: 'design-prose',
          'data-testid': `section-editor-${sectionKey}`,
        },
      },
    },
    [doc, provider, sectionKey, readOnly],
  )
  return <EditorContent editor={editor} />
}
