import { defineConfig } from 'vitest/config';

// The end-to-end tests spawn the built bin (dist/bin.js): build before running them.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
