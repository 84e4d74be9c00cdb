import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The bin keeps its `#!/usr/bin/env node` line (tsup preserves it and marks the file executable).
// @liftlab/stats and its CommonJS dependency jstat are bundled, so the bin does not depend on how Node's ESM
// loader sees jstat's exports (esbuild's CommonJS interop handles named and default imports alike).
export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  noExternal: ['@liftlab/stats', 'jstat'],
  define: { __LIFTLAB_VERSION__: JSON.stringify(version) },
});
