// The import rules `npm run check:imports` enforces (part of `npm test`). Imports go one way:
// catalog → search → answers → commands → serve → discord/cli/console → entry points; the catalog
// and the search never reach serving or Discord code, and src/ never reaches test or tooling code.
// Every rule is an error: `npm test` fails on any import against the order.

/** discord.js and its parts, wherever node_modules is (the rules' own test runs them from a fixture folder). */
const DISCORD_JS = '(^|/)node_modules/(discord[.]js|@discordjs/[^/]+)/';

/**
 * What the catalog and the search must not import: the serving folders, discord.js, and every
 * module at the top of src/ (the app's services, the entry points and what only they use) but
 * the shared leaves every layer may use.
 */
const NOT_FOR_CATALOG = ['^src/(answers|commands|serve|discord|cli|console|observability)/', '^src/[^/]+$', DISCORD_JS];
const SHARED_LEAVES = '^src/(text|package-root|atomic-file|config|logger)[.]ts$';

/** The folders in import order: each may import those before it, never those after. */
const ORDER = ['catalog', 'search', 'answers', 'commands', 'serve', 'discord|cli|console'];

/** The rest of the order: an import against it that none of the rules below names already. */
function restOfOrder() {
  return ORDER.slice(0, -1).map((layer, i) => ({
    name: 'layer-order',
    severity: 'error',
    comment: `src/${layer} comes before src/(${ORDER.slice(i + 1).join('|')}) in the import order, and must not import them.`,
    from: { path: `^src/(${layer})/` },
    to: {
      path: `^src/(${ORDER.slice(i + 1).join('|')})/`,
      // Already errors (below): reported once.
      pathNot: i < 2 ? `^src/(${ORDER.slice(2).join('|')})/` : '^src/discord/',
    },
  }));
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle of imports (type-only imports count): move what both sides share into a module both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'catalog-search-not-serving',
      severity: 'error',
      comment: 'src/catalog and src/search build plain data: they never import serving, Discord or entry-point code.',
      from: { path: '^src/(catalog|search)/' },
      to: { path: NOT_FOR_CATALOG, pathNot: SHARED_LEAVES },
    },
    {
      name: 'neutral-not-discord',
      severity: 'error',
      comment: 'Answers, commands and transport-neutral serving know nothing of Discord: its types stay in src/discord.',
      from: { path: '^src/(answers|commands|serve)/' },
      to: { path: ['^src/discord/', DISCORD_JS] },
    },
    {
      name: 'src-not-tooling',
      severity: 'error',
      comment: 'Shipped code never imports the tests, the benchmarks or the development tools (dist/ has none of them).',
      from: { path: '^src/' },
      to: { path: '^(test|bench|dev)/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve is an edge it cannot see: the rules above would pass blindly.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    ...restOfOrder(),
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Type-only imports are imports too: `import type` both ways between two modules is a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
  },
};
