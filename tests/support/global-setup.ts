/** Runs once before all test files: makes sure the Remix build exists and is current. */
import { execFileSync } from 'node:child_process'

export default function setup() {
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/ensure-build.ts'], { stdio: 'inherit' })
}
