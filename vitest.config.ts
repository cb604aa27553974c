import { configDefaults, defineConfig } from 'vitest/config';

// What every file runs with, in both projects below.
const common = {
  setupFiles: ['tests/setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // One DynamoDB Local and one directory of function bundles for the whole run (in this process).
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      {
        // Unit, handler and CDK tests: two files at a time (on 2 CPUs vitest would run one).
        test: {
          ...common,
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/integration/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Integration suites each start their own local stack: one at a time, after the unit
        // project, so they do not compete for 2 cores.
        test: {
          ...common,
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
