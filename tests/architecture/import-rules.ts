/**
 * The import rule of the layout (domain/README.md, decision 0027), as a checker over source
 * files: domain/ imports only its allowed packages and other domain/ files; collab/, db/ and
 * domain/ never import app/. Every static import, `export … from` and dynamic `import()` of
 * every .ts/.tsx file under the given root counts, type-only imports included.
 */
import fs from 'node:fs'
import path from 'node:path'

/** Packages domain/ may import (a subpath such as `lib0/random` counts as its package). */
export const domainPackages = ['yjs', 'zod', '@tldraw/tlschema', '@tldraw/validate', '@tldraw/utils', 'lib0']

/** The folders that must not import app/. */
export const appFree = ['collab', 'db', 'domain']

export type Violation = { file: string; specifier: string; rule: string }

/** Every .ts/.tsx file under `dir` (relative to `root`), skipping node_modules and build output. */
export function sourceFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir)
  if (!fs.existsSync(full)) return []
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'build' ? [] : sourceFiles(root, rel)
    return /\.tsx?$/.test(entry.name) ? [rel] : []
  })
}

/** The module specifiers a source text imports: `import … from`, `import '…'`, `export … from` and `import('…')`, comments ignored. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const found: string[] = []
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"`])([^'"`]+)\1/g)) found.push(match[2])
  return found
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')

/** The folder at the top of a path relative to the root ('app', 'domain', …), or null when it leaves the root. */
const topFolder = (rel: string) => (rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep)[0])

/** The rule violations of one file (path relative to `root`). */
export function checkFile(root: string, file: string, source: string): Violation[] {
  const area = file.split(path.sep)[0]
  const violations: Violation[] = []
  for (const specifier of importSpecifiers(source)) {
    const relative = specifier.startsWith('.')
    const target = relative ? topFolder(path.relative(root, path.resolve(root, path.dirname(file), specifier))) : specifier.startsWith('~/') ? 'app' : null
    if (appFree.includes(area) && target === 'app') violations.push({ file, specifier, rule: `${area}/ must not import app/` })
    else if (area === 'domain' && relative && target !== 'domain') violations.push({ file, specifier, rule: 'domain/ imports only domain/ files' })
    else if (area === 'domain' && !relative && !domainPackages.includes(packageOf(specifier))) {
      violations.push({ file, specifier, rule: `domain/ imports only ${domainPackages.join(', ')}` })
    }
  }
  return violations
}

/** Checks every source file of the rule's folders under `root`; returns the files read and the violations. */
export function checkImports(root: string): { files: string[]; violations: Violation[] } {
  const files = appFree.flatMap((dir) => sourceFiles(root, dir))
  return { files, violations: files.flatMap((file) => checkFile(root, file, fs.readFileSync(path.join(root, file), 'utf8'))) }
}
