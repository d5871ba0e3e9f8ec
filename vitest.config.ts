import { defineConfig } from 'vitest/config';

process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // RMA_INTEL_CHECK_PLANS: every ingest statement in every test (and CLI child) fails if it plans a nested-loop join.
    env: { TZ: 'UTC', RMA_INTEL_CHECK_PLANS: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: DuckDB already uses both inside one test file.
    maxWorkers: 2,
  },
});
