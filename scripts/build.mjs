#!/usr/bin/env node
// Compiles src/ to dist/ (one .js per .ts, same layout, no bundling), so that
// npm start runs plain node. Plain JavaScript, because it runs before anything is compiled.
//
// dist/.sources-hash records what dist/ was built from (every source file, this script, the
// tsconfig, esbuild's version): when it matches, there is nothing to do, so concurrent test runs
// never see dist/ replaced under them. Without esbuild (a production install, `npm ci --omit=dev`),
// an up-to-date dist/ is kept and a stale or missing one is an error naming the fix, never served.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['src'];
const OUT = 'dist';
const STAMP = '.sources-hash';
const started = performance.now();

/** Every .ts file below the source folders, relative to the root, in a stable order. */
function sources() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return files.sort();
}

function sourcesHash(files, esbuildVersion) {
  const hash = createHash('sha256');
  for (const file of [...files, 'scripts/build.mjs', 'tsconfig.json']) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  // Without esbuild its version is unknown: compare what does not depend on it.
  const withVersion = createHash('sha256')
    .update(hash.copy().digest('hex'))
    .update(esbuildVersion ?? '')
    .digest('hex');
  return { sources: hash.digest('hex'), full: withVersion };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(path.join(root, OUT, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

const outputFor = (file) => path.join(root, OUT, file.replace(/\.ts$/, '.js'));

const files = sources();
let esbuild;
try {
  esbuild = await import('esbuild');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
}
const hashes = sourcesHash(files, esbuild?.version);
const stamp = readStamp();
const complete = files.every((file) => existsSync(outputFor(file)));

if (!esbuild) {
  if (complete && stamp?.sources === hashes.sources) {
    console.log(`dist/ is up to date with the sources (esbuild is not installed, nothing to build)`);
    process.exit(0);
  }
  console.error(
    `linkdex build: dist/ is ${existsSync(path.join(root, OUT)) ? 'out of date with the sources' : 'missing'} and esbuild is not installed: ` +
      'build with the dev dependencies (npm ci), then remove them (npm prune --omit=dev); see README.md, "Running in production"',
  );
  process.exit(1);
}

if (complete && stamp?.full === hashes.full) {
  console.log('dist/ is up to date');
  process.exit(0);
}

// Built beside dist/ and swapped in, so a failed build leaves the previous dist/ whole (and its stale stamp).
const temp = `${OUT}.${process.pid}.tmp`;
rmSync(path.join(root, temp), { recursive: true, force: true });
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: files,
    outdir: temp,
    outbase: '.',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // The maps point at the .ts files, which ship beside dist/: no need to copy them into the maps.
    sourcesContent: false,
    logLevel: 'warning',
  });
  writeFileSync(path.join(root, temp, STAMP), JSON.stringify({ sources: hashes.sources, full: hashes.full }) + '\n');
  rmSync(path.join(root, OUT), { recursive: true, force: true });
  renameSync(path.join(root, temp), path.join(root, OUT));
} catch (error) {
  rmSync(path.join(root, temp), { recursive: true, force: true });
  if (error?.errors) process.exit(1); // esbuild has already printed each error with its file:line
  throw error;
}
console.log(`built dist/ from ${files.length} files in ${Math.round(performance.now() - started)} ms`);
