import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (compiler, fast, no stand) and `stand` (the local stand, real services).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'stand', include: ['tests/stand/**/*.test.ts'],
          // One stand on the machine: its test files run one after another.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 1_200_000, hookTimeout: 1_200_000,
        },
      },
    ],
  },
});
