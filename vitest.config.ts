// Test runner settings: UTC everywhere (STYLE.md), generous timeouts for tests that generate data or start servers.
import { defineConfig } from 'vitest/config';

process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});
