#!/usr/bin/env node
// Runs the compiled command line (npm install builds it, through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('linkdex: dist/ is missing (linkdex is not built): run npm run build\n');
  process.exit(1);
}
await import(cli.href);
