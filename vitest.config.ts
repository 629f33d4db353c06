import { defineConfig } from 'vitest/config'

// Three groups, one after the other: server-side tests two files at a time (they mostly wait on
// servers, sockets and databases), then the browser tests and the soak one file at a time (they
// drive Chromium and measure, and starve each other on two cores), then the benchmark alone.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'werkraum', include: ['tests/**/*.test.ts'], exclude: ['tests/bench/**', 'tests/e2e/**', 'tests/soak/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'browser', include: ['tests/e2e/**/*.test.ts', 'tests/soak/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } } },
      // The benchmark's short run starts servers and a browser: alone at the end, so it does not starve the timed tests.
      { extends: true, test: { name: 'bench', include: ['tests/bench/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
})
