import { defineConfig } from 'vitest/config';

// The browser journey starts the real API against a fresh database and drives headless Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
