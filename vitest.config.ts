import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run dist/: rebuilt first whenever src/ is newer.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    coverage: {
      // On with --coverage (npm test). It measures the test processes through the inspector,
      // so the CLI's child processes (which run dist/) are neither measured nor slowed down.
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary'],
      // No thresholds: a figure that moves with which toolchains a machine has must not fail CI.
    },
  },
});
