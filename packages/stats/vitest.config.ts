import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Generous timeouts: CI runs every package's suite at once on two cores.
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
