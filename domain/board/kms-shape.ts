/**
 * The KMS shape's record: its type name, prop validators and schema entry. Kept apart from the
 * React component so the schema can be built wherever tldraw records are validated (the board's
 * store in the browser, the server's board import, Node tests) without rendering code; it
 * imports only tldraw's schema packages, never the editor. Without this entry in a store's
 * schema, the Yjs binding drops KMS shapes as invalid records.
 */
import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type RecordProps, type TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { kmsKinds } from '../design/board-link'

/** The tldraw type name of KMS shapes. */
export const KMS_SHAPE_TYPE = 'kms'

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    kms: { w: number; h: number; kind: (typeof kmsKinds)[number]; entryId: string; designId: string; label: string; glaslStage: number; linked: boolean }
  }
}

/** A KMS shape record. */
export type KmsShape = TLShape<'kms'>

/** Validators of a KMS shape's props (checked on every record the store accepts). */
export const kmsShapeProps: RecordProps<KmsShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum(...kmsKinds),
  entryId: T.string,
  designId: T.string,
  label: T.string,
  glaslStage: T.number,
  linked: T.boolean,
}

/** The shape schemas of a Werkraum board: tldraw's defaults plus the KMS shape. */
export const boardShapeSchemas = { ...defaultShapeSchemas, [KMS_SHAPE_TYPE]: { props: kmsShapeProps } }

/** A tldraw schema that knows the KMS shape (for stores created without the React shape utils). */
export function createBoardSchema() {
  return createTLSchema({ shapes: boardShapeSchemas, bindings: defaultBindingSchemas })
}
