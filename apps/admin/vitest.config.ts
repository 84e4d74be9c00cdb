import { defineConfig } from 'vitest/config';

// Unit tests cover pure UI logic (form → request mapping, role gating, calculators); no DOM needed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
