// Dependency direction (see docs/architecture.md):
//   stats -> jstat only; contracts -> zod only; api -> stats, contracts; admin -> contracts (+ stats for calculators).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Flat config keeps only the last matching value of a rule, so every block repeats the public-entry rule.
const publicEntryOnly = {
  group: ['@liftlab/*/src/*', '@liftlab/*/dist/*'],
  message: 'Import a package through its public entry only.',
};
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [publicEntryOnly, ...patterns] }] },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/*.config.*', '**/generated/**'] },
  js.configs.recommended,
  restrict(['**/*.{ts,tsx}'], []),
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  restrict(
    ['packages/stats/src/**/*.ts'],
    [
      { group: ['@liftlab/*'], message: 'packages/stats depends on jstat only.' },
      {
        group: ['zod', '@nestjs/*', '@prisma/*', 'node:fs', 'fs', 'node:net', 'node:http'],
        message: 'packages/stats is pure: no framework, no I/O.',
      },
    ],
  ),
  // Tests may read reference data (fixtures, public datasets) from disk; the code under test may not.
  restrict(
    ['packages/stats/src/**/*.test.ts'],
    [{ group: ['@liftlab/*'], message: 'packages/stats depends on jstat only.' }],
  ),
  restrict(
    ['packages/contracts/src/**/*.ts'],
    [{ group: ['@liftlab/*', '@nestjs/*', '@prisma/*'], message: 'packages/contracts depends on zod only.' }],
  ),
  restrict(
    ['apps/admin/src/**/*.{ts,tsx}'],
    [
      {
        group: ['@liftlab/api', '@liftlab/api/*', '@prisma/*', '@nestjs/*'],
        message: 'admin talks to the api over HTTP via @liftlab/contracts.',
      },
    ],
  ),
);
