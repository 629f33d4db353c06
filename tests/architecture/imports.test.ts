/** The import rule holds for the tree, and the checker finds a planted violation of each kind (so it cannot pass by reading nothing). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { checkImports, importSpecifiers } from './import-rules'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('import rule', () => {
  it('domain/ imports only its packages and itself; collab/, db/ and domain/ never import app/', () => {
    const { files, violations } = checkImports(root)
    expect(files.filter((f) => f.startsWith(`domain${path.sep}`)).length).toBeGreaterThan(10)
    expect(files.filter((f) => f.startsWith(`collab${path.sep}`)).length).toBeGreaterThan(10)
    expect(files.filter((f) => f.startsWith(`db${path.sep}`)).length).toBeGreaterThan(10)
    expect(violations).toEqual([])
  })

  it('reads static, re-exported, side-effect, type-only, multi-line and dynamic imports, not comments', () => {
    const source = [
      "import * as Y from 'yjs'",
      "import type { A } from './a'",
      "import {\n  b,\n  c,\n} from '../b'",
      "export { d } from './d'",
      "import './side-effect'",
      "const e = await import('../e')",
      "// import x from '../commented'",
      "/* import y from '../also-commented' */",
    ].join('\n')
    expect(importSpecifiers(source)).toEqual(['yjs', './a', '../b', './d', './side-effect', '../e'])
  })

  describe('on a planted tree', () => {
    const planted = fs.mkdtempSync(path.join(os.tmpdir(), 'werkraum-imports-'))
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(planted, file)), { recursive: true })
      fs.writeFileSync(path.join(planted, file), text)
    }
    afterAll(() => fs.rmSync(planted, { recursive: true, force: true }))

    it('finds every kind of violation and passes what is allowed', () => {
      write('domain/ok.ts', "import * as Y from 'yjs'\nimport { uuidv4 } from 'lib0/random'\nimport { T } from '@tldraw/validate'\nimport { a } from './board/a'\n")
      write('domain/board/a.ts', "import { x } from '../ok'\nexport const a = 1\n")
      write('domain/bad-app.ts', "import x from '../app/y'\n")
      write('domain/bad-collab.ts', "export { Rooms } from '../collab/room'\n")
      write('domain/bad-package.ts', "import { Tldraw } from 'tldraw'\n")
      write('collab/bad-dynamic.ts', "const m = await import('../app/w')\n")
      write('db/bad-alias.ts', "import type { X } from '~/design/model'\n")
      write('collab/ok.ts', "import { sql } from '../db/client.server'\nimport { a } from '../domain/ok'\n")
      const { violations } = checkImports(planted)
      expect(violations.map((v) => [v.file.split(path.sep).join('/'), v.specifier]).sort()).toEqual([
        ['collab/bad-dynamic.ts', '../app/w'],
        ['db/bad-alias.ts', '~/design/model'],
        ['domain/bad-app.ts', '../app/y'],
        ['domain/bad-collab.ts', '../collab/room'],
        ['domain/bad-package.ts', 'tldraw'],
      ])
    })
  })
})
