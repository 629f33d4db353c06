/**
 * Builds the board picture page (app/pictures/page): a static page with tldraw and the KMS shape
 * that the server's headless Chromium opens to draw boards as tldraw itself does (decision 0041).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('./app/pictures/page', import.meta.url)),
  base: './',
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('./build/pictures', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 8000 },
  logLevel: 'warn',
})
