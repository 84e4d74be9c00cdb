#!/usr/bin/env node
import { run } from './program';

// exitCode rather than process.exit(): a large JSON result piped to another program must be flushed first.
process.exitCode = await run(process.argv.slice(2));
