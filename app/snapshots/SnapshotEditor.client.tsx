/** A stored whiteboard opened read-only in the real tldraw editor: the snapshot's records loaded into a local store that is never synced. */
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Tldraw, createTLStore, defaultBindingUtils, defaultShapeUtils, loadSnapshot, type Editor, type TLRecord } from 'tldraw'
import { getAssetUrls } from '@tldraw/assets/selfHosted'
import 'tldraw/tldraw.css'
import { customShapeUtils } from '~/board/KmsShapeUtil.client'
import { Presentation } from '~/board/BoardTools.client'

type Props = { jsonUrl: string; licenseKey: string | null; assetsBase: string }

/** Fetches the snapshot's tldraw records and shows them in a read-only editor that can present its frames. */
export default function SnapshotEditor({ jsonUrl, licenseKey, assetsBase }: Props) {
  const { t } = useTranslation()
  const assetUrls = useMemo(() => getAssetUrls({ baseUrl: assetsBase }), [assetsBase])
  const [store, setStore] = useState<ReturnType<typeof createTLStore> | null>(null)
  const [failed, setFailed] = useState(false)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [presenting, setPresenting] = useState(false)
  useEffect(() => {
    let cancelled = false
    fetch(jsonUrl, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then((body: { schema: unknown; records: TLRecord[] }) => {
        if (cancelled) return
        const next = createTLStore({ shapeUtils: [...defaultShapeUtils, ...customShapeUtils], bindingUtils: defaultBindingUtils })
        const records = Object.fromEntries(body.records.map((r) => [r.id, r]))
        if (body.schema) loadSnapshot(next, { store: records, schema: body.schema } as never)
        else next.mergeRemoteChanges(() => next.put(body.records))
        setStore(next)
      })
      .catch(() => !cancelled && setFailed(true))
    return () => {
      cancelled = true
    }
  }, [jsonUrl])
  if (failed)
    return (
      <p role="alert" className="error">
        {t('errors.genericTitle')}
      </p>
    )
  if (!store) return <p>{t('snapshots.editorLoading')}</p>
  return (
    <div className="snapshot-editor" data-testid="snapshot-editor">
      <p className="muted">
        {t('snapshots.editorReadOnly')}{' '}
        <button type="button" disabled={!editor} onClick={() => setPresenting(true)} data-testid="present">
          {t('boardTools.present')}
        </button>
      </p>
      {presenting && editor ? <Presentation editor={editor} onEnd={() => setPresenting(false)} /> : null}
      <div className="snapshot-editor-canvas">
        <Tldraw
          store={store}
          assetUrls={assetUrls}
          licenseKey={licenseKey ?? undefined}
          shapeUtils={customShapeUtils}
          onMount={(mounted: Editor) => {
            mounted.updateInstanceState({ isReadonly: true })
            mounted.zoomToFit()
            setEditor(mounted)
          }}
        />
      </div>
    </div>
  )
}
