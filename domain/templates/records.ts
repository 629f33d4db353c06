/**
 * Plain tldraw records for templates, built without tldraw or the DOM (the server writes them
 * into a new board's Y.Doc; the browser inserts them through the editor). Every record carries
 * all of its shape's props, so it passes the tldraw schema as the binding checks it.
 */
import type { BoardRecord } from '../board/document'

export type TemplateLocale = 'de' | 'en'
/** A text in both locales. */
export type Label = { de: string; en: string }

/** A template's shape record: a board record (../board/document.ts) with every field tldraw requires of a shape. */
export type ShapeRecord = BoardRecord & {
  id: string
  typeName: 'shape'
  type: 'frame' | 'geo' | 'text' | 'note' | 'arrow'
  x: number
  y: number
  rotation: number
  isLocked: boolean
  opacity: number
  meta: Record<string, string | number | boolean | null>
  parentId: string
  index: string
  props: Record<string, unknown>
}

/** The id of the first page of a board (as the board page seeds it). */
export const FIRST_PAGE_ID = 'page:page'

export type Color = 'black' | 'grey' | 'light-violet' | 'violet' | 'blue' | 'light-blue' | 'yellow' | 'orange' | 'green' | 'light-green' | 'light-red' | 'red' | 'white'
export type Fill = 'none' | 'semi' | 'solid' | 'pattern'
export type Dash = 'draw' | 'solid' | 'dashed' | 'dotted'
export type Size = 's' | 'm' | 'l' | 'xl'

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The n-th fractional index key in ascending order (a1 … az, b10 … bzz), as tldraw orders siblings. */
export function indexKey(n: number): string {
  if (n < 61) return `a${DIGITS[n + 1]}`
  const m = n - 61
  if (m >= 61 * 62) throw new Error('template too large')
  return `b${DIGITS[1 + Math.floor(m / 62)]}${DIGITS[m % 62]}`
}

/** tldraw's rich text for a plain string (one paragraph per line). */
export function richText(text: string) {
  const lines = text.split('\n')
  return {
    type: 'doc',
    content: lines.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  }
}

type Place = { x: number; y: number }
type Box = Place & { w: number; h: number }

/** Builds the records of one template: frames at the top, shapes inside them, ids from one prefix. */
export class TemplateBuilder {
  readonly records: ShapeRecord[] = []
  private count = 0
  private readonly children = new Map<string, number>()

  constructor(
    private readonly locale: TemplateLocale,
    private readonly idPrefix: string,
    private readonly pageId: string = FIRST_PAGE_ID,
  ) {}

  /** The text of a label in this builder's locale. */
  t(label: Label | string): string {
    return typeof label === 'string' ? label : label[this.locale]
  }

  private add(type: ShapeRecord['type'], parentId: string | null, place: Place, props: Record<string, unknown>, meta: ShapeRecord['meta'] = {}): string {
    const id = `shape:${this.idPrefix}-${++this.count}`
    const parent = parentId ?? this.pageId
    const n = this.children.get(parent) ?? 0
    this.children.set(parent, n + 1)
    this.records.push({
      id,
      typeName: 'shape',
      type,
      x: place.x,
      y: place.y,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta,
      parentId: parent,
      index: indexKey(n),
      props,
    })
    return id
  }

  /** A frame on the page, named in the locale. */
  frame(name: Label | string, box: Box, meta: ShapeRecord['meta'] = {}): string {
    return this.add('frame', null, box, { w: box.w, h: box.h, name: this.t(name), color: 'black' }, { template: true, ...meta })
  }

  /** A rectangle, ellipse, diamond … with an optional label. */
  geo(
    parent: string,
    box: Box,
    options: {
      label?: Label | string
      geo?: string
      color?: Color
      fill?: Fill
      dash?: Dash
      size?: Size
      align?: 'start' | 'middle' | 'end'
      verticalAlign?: 'start' | 'middle' | 'end'
      meta?: ShapeRecord['meta']
    } = {},
  ): string {
    return this.add(
      'geo',
      parent,
      box,
      {
        w: box.w,
        h: box.h,
        geo: options.geo ?? 'rectangle',
        dash: options.dash ?? 'draw',
        growY: 0,
        url: '',
        scale: 1,
        flipX: false,
        flipY: false,
        color: options.color ?? 'black',
        labelColor: 'black',
        fill: options.fill ?? 'none',
        size: options.size ?? 'm',
        font: 'sans',
        align: options.align ?? 'middle',
        verticalAlign: options.verticalAlign ?? 'middle',
        richText: richText(options.label ? this.t(options.label) : ''),
      },
      options.meta,
    )
  }

  /** A free text. */
  text(parent: string, place: Place, label: Label | string, options: { size?: Size; color?: Color; meta?: ShapeRecord['meta'] } = {}): string {
    return this.add(
      'text',
      parent,
      place,
      {
        color: options.color ?? 'black',
        size: options.size ?? 'm',
        w: 8,
        font: 'sans',
        textAlign: 'start',
        autoSize: true,
        scale: 1,
        richText: richText(this.t(label)),
      },
      options.meta,
    )
  }

  /** A sticky note (a card to move around). */
  note(parent: string, place: Place, label: Label | string, options: { color?: Color; meta?: ShapeRecord['meta'] } = {}): string {
    return this.add(
      'note',
      parent,
      place,
      {
        color: options.color ?? 'yellow',
        richText: richText(this.t(label)),
        size: 's',
        font: 'sans',
        align: 'middle',
        verticalAlign: 'middle',
        labelColor: 'black',
        growY: 0,
        fontSizeAdjustment: 1,
        url: '',
        scale: 1,
        textLastEditedBy: null,
      },
      options.meta,
    )
  }

  /** An unbound arrow from `from` to `to` (relative to the parent). */
  arrow(
    parent: string,
    from: Place,
    to: Place,
    options: { label?: Label | string; dash?: Dash; color?: Color; bend?: number; size?: Size; arrowheadEnd?: string; arrowheadStart?: string; meta?: ShapeRecord['meta'] } = {},
  ): string {
    return this.add(
      'arrow',
      parent,
      from,
      {
        kind: 'arc',
        elbowMidPoint: 0.5,
        dash: options.dash ?? 'draw',
        size: options.size ?? 'm',
        fill: 'none',
        color: options.color ?? 'black',
        labelColor: 'black',
        bend: options.bend ?? 0,
        start: { x: 0, y: 0 },
        end: { x: to.x - from.x, y: to.y - from.y },
        arrowheadStart: options.arrowheadStart ?? 'none',
        arrowheadEnd: options.arrowheadEnd ?? 'arrow',
        richText: richText(options.label ? this.t(options.label) : ''),
        labelPosition: 0.5,
        font: 'sans',
        scale: 1,
      },
      options.meta,
    )
  }
}
