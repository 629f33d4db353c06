/** Runs once before all test files: makes sure the Remix build exists and is current, and the PGlite template cluster exists. */
import { execFileSync } from 'node:child_process'
import { preparePgliteTemplate } from './database'

export default async function setup() {
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/ensure-build.ts'], { stdio: 'inherit' })
  await preparePgliteTemplate()
}
