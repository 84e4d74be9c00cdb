#!/usr/bin/env node
// npm links bins when it installs, before anything is built, and skips a bin whose file does not exist yet.
// This committed launcher always exists, so `npx liftlab` works once the CLI is built (tsup → dist/bin.js).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'error: liftlab is not built yet: run `npm run build` (or `npx tsup` in packages/cli)\n',
  );
  process.exitCode = 1;
} else {
  await import(built.href);
}
