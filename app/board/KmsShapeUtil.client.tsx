/**
 * The KMS shape on the board: a card for an Akteur, Anlaufstelle, Verfahren or Konflikt of the
 * municipality's Systemdesign, showing the entry's name (and a Konflikt's Glasl stage) as the
 * document holds it. The link itself is kept by `DesignLink.client.tsx`.
 */
import { useTranslation } from 'react-i18next'
import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import { glaslLabel, glaslStages } from '../../domain/design/model'
import { KMS_SHAPE_TYPE, kmsShapeProps, type KmsShape } from '../../domain/board/kms-shape'

const colors = { akteure: '#1971c2', anlaufstellen: '#2f9e44', verfahren: '#9c36b5', konflikte: '#e03131' } as const
const levelColors = { 'win-win': '#fff3bf', 'win-lose': '#ffd8a8', 'lose-lose': '#ffc9c9' } as const

function KmsCard({ shape }: { shape: KmsShape }) {
  const { t } = useTranslation()
  const { kind, label, glaslStage, linked, w, h } = shape.props
  const level = glaslStages.find((s) => s.stage === glaslStage)?.level
  return (
    <HTMLContainer
      className="kms-shape"
      data-kms-kind={kind}
      data-entry-id={shape.props.entryId}
      style={{ width: w, height: h, borderColor: colors[kind], background: kind === 'konflikte' && level ? levelColors[level] : '#fff', opacity: linked ? 1 : 0.6 }}
    >
      <span className="kms-kind" style={{ background: colors[kind] }}>
        {t(`board.kms.kinds.${kind}`)}
      </span>
      <span className="kms-label">{label || '–'}</span>
      {kind === 'konflikte' && glaslStage ? <span className="kms-glasl">{t('board.kms.stage', { stage: glaslLabel(glaslStage) })}</span> : null}
      {linked ? null : <span className="kms-unlinked">{t('board.kms.unlinked')}</span>}
    </HTMLContainer>
  )
}

/** tldraw's util for the KMS shape (type `kms`), a resizable box. */
export class KmsShapeUtil extends BaseBoxShapeUtil<KmsShape> {
  static override type = KMS_SHAPE_TYPE
  static override props = kmsShapeProps

  getDefaultProps(): KmsShape['props'] {
    return { w: 200, h: 110, kind: 'akteure', entryId: '', designId: '', label: '', glaslStage: 0, linked: true }
  }

  component(shape: KmsShape) {
    return <KmsCard shape={shape} />
  }

  getIndicatorPath(shape: KmsShape) {
    const path = new Path2D()
    path.rect(0, 0, shape.props.w, shape.props.h)
    return path
  }
}

/** The custom shapes of Werkraum boards, for the store and <Tldraw shapeUtils>. */
export const customShapeUtils = [KmsShapeUtil]
