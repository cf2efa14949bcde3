import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

/**
 * What a module loads before any of its code runs: its static imports, and theirs, to the end.
 * Type-only imports are erased by the build and do not count; dynamic `import()` does not either.
 * Gives the repository's own modules (relative paths) and the packages they name.
 */
function staticGraph(entry: string): { modules: string[]; packages: Map<string, string> } {
  const modules = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [path.join(repoRoot, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (modules.has(file)) continue;
    modules.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
        const named = statement.importClause?.namedBindings;
        // `import { type A } from 'x'` alone is erased too, as long as nothing else comes from 'x'.
        const onlyTypes =
          statement.importClause !== undefined &&
          statement.importClause.name === undefined &&
          named !== undefined &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly);
        if (!onlyTypes) specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
        specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      }
      if (specifier === undefined) continue;
      if (!specifier.startsWith('.')) {
        if (!packages.has(specifier)) packages.set(specifier, path.relative(repoRoot, file));
        continue;
      }
      const resolved = path.resolve(path.dirname(file), specifier);
      const typescript = resolved.replace(/\.js$/, '.ts');
      pending.push(existsSync(typescript) ? typescript : resolved);
    }
  }
  return { modules: [...modules].map((m) => path.relative(repoRoot, m).split(path.sep).join('/')), packages };
}

/** What must wait until the bot has started connecting: the markdown stack, search, metrics, pretty logs. */
const HEAVY_PACKAGES = [
  'unified',
  'remark-parse',
  'remark-gfm',
  'mdast-util-to-string',
  'gray-matter',
  'fuse.js',
  'prom-client',
  'pino-pretty',
];
const isHeavy = (name: string) => HEAVY_PACKAGES.includes(name) || name.startsWith('micromark') || name.startsWith('mdast-');

describe('what npm start loads before it starts connecting', () => {
  it('is no markdown parser, no search code, no prom-client and no pino-pretty: those load once the login has started', () => {
    const { modules, packages } = staticGraph('src/main.ts');
    expect([...packages.keys()].filter(isHeavy)).toEqual([]);
    expect(modules.filter((m) => m.startsWith('src/search/') || m === 'src/linkdex.ts' || m.startsWith('src/catalog/load-'))).toEqual([]);
    // What it does load: discord.js, the serving code and the commands.
    expect(packages.has('discord.js')).toBe(true);
    expect(modules).toContain('src/serve/respond.ts');
    expect(modules).toContain('src/commands/search.ts');
  });

  it('the catalog side, imported once connecting, is where the search code and the loader come from', () => {
    // The same walk finds them where they are: the check above cannot pass for want of looking.
    const { modules, packages } = staticGraph('src/serve-catalog.ts');
    expect(packages.has('fuse.js')).toBe(true);
    expect(modules).toContain('src/catalog/load-catalog.ts');
  });
});
