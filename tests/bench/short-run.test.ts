/** The benchmark cannot rot: its short mode runs every part end to end and prints the table. Figures are never asserted. */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('benchmark', () => {
  it('runs every part in short mode, exits 0 and prints one table with every figure', () => {
    const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bench/run.ts', '--short'], {
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, BENCH_SHORT: '1' },
    })
    if (result.status !== 0) console.error(result.stdout, result.stderr)
    expect(result.status).toBe(0)
    console.log(result.stdout)
    for (const figure of [
      'fan-out latency p99',
      'server CPU',
      'server peak RSS',
      'idle RSS on PostgreSQL',
      'idle RSS on PGlite',
      'cold load, 500 shapes',
      'log rows',
      'RSS per idle room',
      'RSS per connected client',
      'persisted updates/s',
      'cross-process fan-out',
      'board page time to interactive',
      'board page JS',
      'start page JS',
      'capacity, one process',
      'capacity, two processes on Redis',
    ]) {
      expect(result.stdout).toContain(figure)
    }
  }, 180_000)
})
