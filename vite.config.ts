import { vitePlugin as remix } from '@remix-run/dev'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  // tldraw and the Yjs client must be pre-bundled in dev, or the first visit hits "Invalid hook call".
  optimizeDeps: { include: ['tldraw', '@tldraw/assets/selfHosted', 'yjs', 'y-websocket', 'socket.io-client'] },
  build: { chunkSizeWarningLimit: 4000 },
})
