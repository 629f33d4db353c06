/**
 * Builds what `npm start` and `npm test` need when it is missing or older than its sources, so
 * that they work on a fresh clone without a separate build step: the Remix app (vite) and the
 * server process compiled ahead of time into one ES module (esbuild; decision 0044 — tsx runs
 * TypeScript only in development and tests).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The compiled server; one folder below the root, so its `new URL('..', import.meta.url)` is the root as from the sources. */
export const serverBundle = path.join(root, 'build', 'werkraum-server.js')

function* files(entry: string): Generator<string> {
  const full = path.join(root, entry)
  if (!fs.existsSync(full)) return
  if (fs.statSync(full).isFile()) {
    yield entry
    return
  }
  for (const child of fs.readdirSync(full).sort()) yield* files(path.join(entry, child))
}

/** A hash of every file under `inputs`: the build is current when its stamp holds the same. */
function digestOf(inputs: string[]): string {
  const hash = createHash('sha256')
  for (const input of inputs) {
    for (const file of files(input)) {
      hash.update(file)
      hash.update(fs.readFileSync(path.join(root, file)))
    }
  }
  return hash.digest('hex')
}

/** Runs `make` unless `stamp` holds the digest of `inputs` and `output` exists; then writes the stamp. */
async function whenChanged(name: string, inputs: string[], stamp: string, output: string, make: () => Promise<void> | void) {
  const digest = digestOf(inputs)
  const stampFile = path.join(root, 'build', stamp)
  const current = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : ''
  if (current === digest && fs.existsSync(output)) {
    console.log(`${name} is up to date`)
    return
  }
  await make()
  fs.mkdirSync(path.dirname(stampFile), { recursive: true })
  fs.writeFileSync(stampFile, digest)
}

const shared = ['package-lock.json', 'tsconfig.json']

await whenChanged('build', ['app', 'collab', 'db', 'domain', 'public', 'vite.config.ts', 'vite.pictures.config.ts', 'remix.config.js', ...shared], '.inputs', path.join(root, 'build', 'pictures', 'index.html'), () => {
  console.log('building the app (remix vite:build) and the board picture page…')
  // Always a production build: under vitest NODE_ENV is 'test', which would bundle React's development build.
  const result = spawnSync('npx', ['remix', 'vite:build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (result.status !== 0) process.exit(result.status ?? 1)
  // The board picture page (decision 0041): tldraw's own export, run in the server's Chromium.
  const pictures = spawnSync('npx', ['vite', 'build', '-c', 'vite.pictures.config.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (pictures.status !== 0) process.exit(pictures.status ?? 1)
})

await whenChanged('server build', ['server', 'collab', 'db', 'domain', 'access', 'app', ...shared], '.server-inputs', serverBundle, async () => {
  console.log('compiling the server (esbuild)…')
  await build({
    absWorkingDir: root,
    entryPoints: ['server/index.ts'],
    outfile: serverBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Packages stay in node_modules (native modules, PGlite's WASM files, vite for development): only our code is compiled.
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  })
})
