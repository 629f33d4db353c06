/** docs/api.md documents every route the API router serves, and nothing it does not. */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiRouter } from '../../server/api'

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }
type RouterWithStack = { stack: Layer[] }

/** Route layers of a router and of the routers mounted in it without a path (one router per resource). */
const routeLayers = (stack: Layer[]): Layer[] => stack.flatMap((layer) => (layer.route ? [layer] : layer.handle?.stack ? routeLayers(layer.handle.stack) : []))

describe('API documentation', () => {
  it('lists exactly the routes of the router', () => {
    const router = apiRouter({ sql: null as never, live: null as never, rooms: null as never, comments: null as never, maxBodyBytes: 1, maxImageBytes: 1, maxImportBytes: 1, beforeImport: { everyMinutes: 0, keep: 1 } }) as unknown as RouterWithStack
    const served = routeLayers(router.stack)
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} /api/v1${layer.route!.path}`))
      .sort()
    const documented = [...fs.readFileSync('docs/api.md', 'utf8').matchAll(/^\| (GET|POST|PUT|DELETE) \| `([^`]+)` \|/gm)]
      .map((m) => `${m[1]} ${m[2]}`)
      .sort()
    expect(served.length).toBeGreaterThan(10)
    expect(documented).toEqual(served)
  })
})
