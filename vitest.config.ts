import { defineConfig } from 'vitest/config';

// Two projects: `unit` (*.test.ts: pure, in-process, no browser, no Prometheus, no spawned
// processes) and `int` (*.int.test.ts: HTTP servers, processes, browser, promtool).
// `npm run test:unit` / `npm run test:int` pick one; `npm test` runs both.
const shared = { testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      { test: { ...shared, name: 'int', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'] } },
    ],
  },
});
