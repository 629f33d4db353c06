/** True once the page is hydrated in the browser (client-only parts render after this). */
import { useEffect, useState } from 'react'

let hydrated = false

export function useHydrated(): boolean {
  const [isHydrated, setHydrated] = useState(hydrated)
  useEffect(() => {
    hydrated = true
    setHydrated(true)
  }, [])
  return isHydrated
}
