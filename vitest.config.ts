import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    pool: 'forks',
    // Two files at a time: most tests wait on servers, sockets and Chromium rather than compute (≈ 18 → 11 min on 2 cores).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'werkraum', include: ['tests/**/*.test.ts'], exclude: ['tests/bench/**'], sequence: { groupOrder: 0 } } },
      // The benchmark's short run starts servers and a browser: alone afterwards, so it does not starve the timed e2e test.
      { extends: true, test: { name: 'bench', include: ['tests/bench/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
})
