/**
 * What others draw over the board canvas (e.g. vote dots from the session bar): BoardEditor
 * provides one slot; a component anywhere below it puts its node there with
 * `useCanvasOverlay`, and tldraw renders it in front of the canvas, inside the editor's own
 * context (so `useEditor` works there). The slot is an external store: filling it re-renders
 * only the overlay, never BoardEditor or tldraw.
 */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react'

export type CanvasOverlaySlot = {
  get: () => ReactNode
  set: (node: ReactNode) => void
  subscribe: (listener: () => void) => () => void
}

/** A new, empty overlay slot. */
export function createCanvasOverlaySlot(): CanvasOverlaySlot {
  let node: ReactNode = null
  const listeners = new Set<() => void>()
  return {
    get: () => node,
    set(next) {
      node = next
      for (const listener of listeners) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export const CanvasOverlayContext = createContext<CanvasOverlaySlot | null>(null)

/** Shows `node` in front of the board canvas while the caller is mounted (no-op outside a board). */
export function useCanvasOverlay(node: ReactNode): void {
  const slot = useContext(CanvasOverlayContext)
  useEffect(() => {
    slot?.set(node)
  }, [slot, node])
  useEffect(() => () => slot?.set(null), [slot])
}

/** tldraw's `InFrontOfTheCanvas` component: renders whatever is in the slot. */
export function CanvasOverlayView() {
  const slot = useContext(CanvasOverlayContext)
  const node = useSyncExternalStore(slot?.subscribe ?? noSubscribe, slot?.get ?? nothing, nothing)
  return <>{node}</>
}

const noSubscribe = () => () => {}
const nothing = () => null
