/** The nginx configuration shipped in docs/deploy parses with `nginx -t` (given a certificate at its paths). */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const siteFile = fileURLToPath(new URL('../../docs/deploy/nginx.conf', import.meta.url))
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkraum-nginx-'))

describe('deployment', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('the documented nginx config (three upstreams, websocket upgrades for /yjs/ and /socket.io/) passes nginx -t', () => {
    expect(nginx, 'nginx is not installed: apt-get install nginx (.ci/run installs it)').toBeDefined()
    const site = fs.readFileSync(siteFile, 'utf8')
    expect(site).toMatch(/location \/yjs\/ \{[^}]*Upgrade \$http_upgrade/)
    expect(site).toMatch(/location \/socket\.io\/ \{[^}]*Upgrade \$http_upgrade/)
    expect(site.match(/^\s*server 127\.0\.0\.1:\d+/gm)).toHaveLength(3)
    const directives = site
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n')
    expect(directives, 'no sticky sessions').not.toMatch(/ip_hash|sticky|hash \$/)

    // A throwaway certificate at the config's paths; everything else is the file as shipped.
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=werkraum.example.org', '-keyout', path.join(dir, 'privkey.pem'), '-out', path.join(dir, 'fullchain.pem')],
      { stdio: 'ignore' },
    )
    fs.writeFileSync(path.join(dir, 'werkraum.conf'), site.replaceAll('/etc/ssl/werkraum/', `${dir}/`))
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `events {}\nhttp {\n  include ${dir}/werkraum.conf;\n}\n`)
    const result = spawnSync(nginx!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', `pid ${dir}/nginx.pid;`], {
      encoding: 'utf8',
    })
    expect(result.stderr).toContain('syntax is ok')
    expect(result.status, result.stderr).toBe(0)
  })
})
