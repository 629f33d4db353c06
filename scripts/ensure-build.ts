/**
 * Builds the Remix app when the build is missing or older than its sources, so that
 * `npm start` and `npm test` work on a fresh clone without a separate build step.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const inputs = ['app', 'collab', 'db', 'public', 'vite.config.ts', 'vite.pictures.config.ts', 'remix.config.js', 'package-lock.json', 'tsconfig.json']
const stampFile = path.join(root, 'build', '.inputs')

function* files(entry: string): Generator<string> {
  const full = path.join(root, entry)
  if (!fs.existsSync(full)) return
  if (fs.statSync(full).isFile()) {
    yield entry
    return
  }
  for (const child of fs.readdirSync(full).sort()) yield* files(path.join(entry, child))
}

const hash = createHash('sha256')
for (const input of inputs) {
  for (const file of files(input)) {
    hash.update(file)
    hash.update(fs.readFileSync(path.join(root, file)))
  }
}
const digest = hash.digest('hex')
const current = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : ''
if (current === digest && fs.existsSync(path.join(root, 'build', 'server', 'index.js')) && fs.existsSync(path.join(root, 'build', 'pictures', 'index.html'))) {
  console.log('build is up to date')
} else {
  console.log('building the app (remix vite:build) and the board picture page…')
  // Always a production build: under vitest NODE_ENV is 'test', which would bundle React's development build.
  const result = spawnSync('npx', ['remix', 'vite:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (result.status !== 0) process.exit(result.status ?? 1)
  // The board picture page (decision 0041): tldraw's own export, run in the server's Chromium.
  const pictures = spawnSync('npx', ['vite', 'build', '-c', 'vite.pictures.config.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (pictures.status !== 0) process.exit(pictures.status ?? 1)
  fs.writeFileSync(stampFile, digest)
}
