/**
 * Deterministic awesome-list-like markdown for benchmarks: headings as categories, list items
 * `- [Name](url) - description.`, nested lists, badges, the odd table and HTML block, split over
 * several files. The same (entryCount, seed) always gives the same text, and the loader finds
 * exactly `entryCount` entries in it.
 */

export interface GeneratedFile {
  file: string;
  text: string;
}

/** Entries per generated file, like a large real awesome-list. */
export const ENTRIES_PER_FILE = 2_000;

/** Subjects: they name categories and fill descriptions. Queries for generated catalogs come from here. */
export const TOPICS = [
  'kubernetes',
  'docker',
  'kafka',
  'python',
  'prometheus',
  'observability',
  'monitoring',
  'database',
  'postgres',
  'redis',
  'graphql',
  'rust',
  'typescript',
  'javascript',
  'golang',
  'terraform',
  'ansible',
  'grafana',
  'elasticsearch',
  'logging',
  'tracing',
  'metrics',
  'serverless',
  'container',
  'cluster',
  'stream',
  'queue',
  'cache',
  'search',
  'security',
  'authentication',
  'encryption',
  'compiler',
  'parser',
  'testing',
  'benchmark',
  'profiler',
  'debugger',
  'editor',
  'terminal',
  'shell',
  'git',
  'deployment',
  'pipeline',
  'workflow',
  'scheduler',
  'orchestration',
  'microservices',
  'api',
  'grpc',
  'websocket',
  'http',
  'proxy',
  'gateway',
  'storage',
  'backup',
  'replication',
  'consensus',
  'analytics',
  'dashboard',
  'visualization',
  'notebook',
  'neural',
  'vision',
  'embedding',
  'vector',
  'crawler',
  'markdown',
  'documentation',
  'frontend',
  'backend',
  'mobile',
  'android',
  'game',
  'physics',
  'audio',
  'video',
  'image',
  'compression',
  'network',
  'dns',
  'firewall',
  'sandbox',
  'wasm',
  'embedded',
  'firmware',
  'robotics',
  'payment',
  'email',
  'chat',
  'calendar',
  'spreadsheet',
  'geospatial',
  'timeseries',
  'sql',
  'graph',
  'orm',
  'migration',
  'schema',
  'validation',
  'serialization',
  'json',
  'yaml',
  'config',
  'secrets',
  'identity',
  'oauth',
  'accessibility',
  'localization',
  'fonts',
  'icons',
  'css',
  'animation',
  'charting',
] as const;

/** What a thing is. */
export const KINDS = [
  'library',
  'framework',
  'toolkit',
  'client',
  'server',
  'runtime',
  'CLI',
  'SDK',
  'engine',
  'platform',
  'service',
  'plugin',
  'extension',
  'operator',
  'driver',
  'wrapper',
  'exporter',
  'agent',
  'dashboard',
  'generator',
] as const;

const RESOURCES = ['guide', 'tutorial', 'book', 'course', 'cheatsheet', 'talk', 'article', 'handbook', 'workshop', 'podcast'] as const;

const ADJECTIVES = [
  'lightweight',
  'fast',
  'minimal',
  'distributed',
  'scalable',
  'declarative',
  'modern',
  'simple',
  'extensible',
  'embeddable',
  'portable',
  'cross-platform',
  'open-source',
  'self-hosted',
  'pluggable',
  'type-safe',
  'zero-dependency',
  'high-performance',
  'reactive',
  'asynchronous',
  'battle-tested',
  'experimental',
  'tiny',
  'production-ready',
] as const;

const VERBS = [
  'build',
  'manage',
  'monitor',
  'deploy',
  'visualize',
  'test',
  'automate',
  'parse',
  'query',
  'debug',
  'secure',
  'scale',
] as const;

const LANGUAGES = ['Rust', 'Go', 'Python', 'TypeScript', 'Java', 'Kotlin', 'C++', 'Elixir', 'Zig', 'Haskell', 'Ruby', 'Swift'] as const;

/** Second halves of category names: `Kafka Clients`, `Monitoring Tools`. */
const AREAS = [
  'Tools',
  'Libraries',
  'Frameworks',
  'Clients',
  'Resources',
  'Tutorials',
  'Testing',
  'Deployment',
  'Security',
  'Performance',
  'Utilities',
  'Integrations',
] as const;

/** Pieces of product names: `Kubeflux`, `pg-hub`, `Streamly`. */
const STEMS = [
  'kube',
  'pg',
  'redi',
  'flux',
  'graph',
  'log',
  'metric',
  'data',
  'stream',
  'py',
  'rust',
  'go',
  'node',
  'hyper',
  'nano',
  'micro',
  'mega',
  'open',
  'cloud',
  'edge',
  'spark',
  'bolt',
  'zen',
  'arc',
  'quill',
  'tide',
  'ember',
  'orbit',
  'pixel',
  'vault',
  'beacon',
  'forge',
  'pulse',
  'echo',
  'atlas',
  'nimbus',
  'quant',
  'lumen',
  'vortex',
  'helix',
  'cobalt',
  'ferro',
  'sigma',
  'delta',
  'nova',
  'rapid',
  'swift',
  'iron',
  'silk',
  'rune',
] as const;

const SUFFIXES = [
  '',
  'ly',
  'ify',
  'io',
  'hub',
  'kit',
  'db',
  'flow',
  'stack',
  'lab',
  'ctl',
  'er',
  'ster',
  'x',
  'base',
  'mesh',
  'scope',
  'wave',
  '-operator',
  '-exporter',
  '-cli',
  '-rs',
  '.js',
  '.py',
  '-go',
  '-ui',
] as const;

const OWNERS = [
  'acme',
  'octo',
  'lambda-labs',
  'opencore',
  'devtools',
  'infra-team',
  'datacraft',
  'northwind',
  'bluefin',
  'tinybird',
] as const;
const TLDS = ['io', 'dev', 'com', 'org', 'net', 'sh', 'app', 'cloud'] as const;

/** A small deterministic PRNG (xorshift32 with a scrambled seed): the same seed always gives the same stream. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds over 32 bits; xorshift must never hold 0.
    let s = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0 || 0x6d2b79f5;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 0x1_0000_0000;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Early items far more often than late ones, as words are in real text. */
  pickSkewed<T>(items: readonly T[]): T {
    const u = this.next();
    return items[Math.floor(u * u * items.length)] as T;
  }
}

function plural(word: string): string {
  return word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** GitHub's anchor for a heading, for the table of contents. */
function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/\s+/g, '-');
}

class Generator {
  private readonly usedNames = new Set<string>();

  constructor(private readonly rng: Prng) {}

  productName(): string {
    const r = this.rng;
    const first = r.pick(STEMS);
    const second = r.chance(0.6) ? r.pick(STEMS) : '';
    let name = `${first}${second}${r.pick(SUFFIXES)}`;
    name = r.chance(0.5) ? capitalize(name) : name;
    if (r.chance(0.08)) name = `${capitalize(r.pick(TOPICS))} ${capitalize(r.pick(STEMS))}`;
    // Real lists rarely repeat a name; a second project with a taken name gets a number.
    let unique = name;
    for (let n = 2; this.usedNames.has(unique.toLowerCase()); n++) unique = `${name} ${n}`;
    this.usedNames.add(unique.toLowerCase());
    return unique;
  }

  url(name: string): { url: string; repo: string | undefined } {
    const r = this.rng;
    const slug = slugOf(name);
    const roll = r.next();
    if (roll < 0.6) {
      const repo = `${r.pick(OWNERS)}/${slug}`;
      return { url: `https://github.com/${repo}`, repo };
    }
    if (roll < 0.7) return { url: `https://gitlab.com/${r.pick(OWNERS)}/${slug}`, repo: undefined };
    if (roll < 0.9) return { url: `https://${slug.replace(/-/g, '')}.${r.pick(TLDS)}/`, repo: undefined };
    return { url: `https://docs.${slug.replace(/-/g, '')}.${r.pick(TLDS)}/en/latest/${r.pick(TOPICS)}`, repo: undefined };
  }

  description(): string {
    const r = this.rng;
    const topic = r.pickSkewed(TOPICS);
    const other = r.pickSkewed(TOPICS);
    const kind = r.pick(KINDS);
    let sentence: string;
    switch (r.int(0, 5)) {
      case 0: {
        const adjective = r.pick(ADJECTIVES);
        sentence = `${/^[aeiou]/.test(adjective) ? 'An' : 'A'} ${adjective} ${topic} ${kind} for ${other} ${plural(r.pick(KINDS))}.`;
        break;
      }
      case 1:
        sentence = `${capitalize(r.pick(ADJECTIVES))} ${kind} to ${r.pick(VERBS)} ${topic} with ${other}.`;
        break;
      case 2:
        sentence = `Collection of ${topic} ${plural(r.pick(RESOURCES))} and ${other} ${plural(r.pick(RESOURCES))}.`;
        break;
      case 3:
        sentence = `${capitalize(topic)} ${kind} written in ${r.pick(LANGUAGES)}, with ${other} support.`;
        break;
      case 4:
        sentence = `${capitalize(r.pick(RESOURCES))} on ${topic} and ${other} for beginners.`;
        break;
      default:
        sentence = `${capitalize(r.pick(VERBS))} ${topic} ${plural(r.pick(KINDS))} from the \`${other}\` command line.`;
    }
    if (r.chance(0.25)) {
      const [a, b, c] = [...new Set([r.pickSkewed(TOPICS), r.pickSkewed(TOPICS), r.pickSkewed(TOPICS)])];
      sentence += c !== undefined ? ` Supports ${a}, ${b} and ${c}.` : b !== undefined ? ` Supports ${a} and ${b}.` : ` Supports ${a}.`;
    }
    return sentence;
  }

  /** One list item's text after the bullet: the link, maybe badges, maybe a second link. */
  itemText(): string {
    const r = this.rng;
    const name = this.productName();
    const { url, repo } = this.url(name);
    const title = r.chance(0.03) ? `**${name}**` : name;
    let text = `[${title}](${url})`;
    if (repo !== undefined && r.chance(0.15)) {
      const badge = `[![Stars](https://img.shields.io/github/stars/${repo}?style=flat)](https://github.com/${repo})`;
      text = r.chance(0.5) ? `${badge} ${text}` : `${text} ${badge}`;
    }
    if (r.chance(0.05)) return text; // a bare link, no description
    text += ` ${r.chance(0.85) ? '-' : '—'} ${this.description()}`;
    if (r.chance(0.06)) text += ` ([docs](https://docs.${slugOf(name).replace(/-/g, '')}.${r.pick(TLDS)}/))`;
    return text;
  }

  /** `count` entries as a list, some with nested lists, some under a label item without a link. */
  list(count: number, bullet: string): string[] {
    const r = this.rng;
    const lines: string[] = [];
    let left = count;
    while (left > 0) {
      if (left >= 3 && r.chance(0.02)) {
        // A label item without a link: not an entry itself, its children are.
        const children = Math.min(left, r.int(2, 5));
        lines.push(`${bullet} ${capitalize(r.pick(TOPICS))} ${plural(r.pick(KINDS))}`);
        for (let i = 0; i < children; i++) lines.push(`  ${bullet} ${this.itemText()}`);
        left -= children;
        continue;
      }
      lines.push(`${bullet} ${this.itemText()}`);
      left -= 1;
      if (left > 0 && r.chance(0.07)) {
        const children = Math.min(left, r.int(1, 3));
        for (let i = 0; i < children; i++) lines.push(`  ${bullet} ${this.itemText()}`);
        left -= children;
      }
    }
    return lines;
  }

  /** `count` entries as a table: the header row is not an entry, every other row is. */
  table(count: number): string[] {
    const lines = ['| Project | Description |', '| --- | --- |'];
    for (let i = 0; i < count; i++) {
      const name = this.productName();
      lines.push(`| [${name}](${this.url(name).url}) | ${this.description()} |`);
    }
    return lines;
  }

  /** The body of one section: a list (mostly) or a table. */
  sectionBody(count: number): string[] {
    const r = this.rng;
    const lines: string[] = [];
    if (r.chance(0.2)) lines.push(`${this.description()}`, '');
    if (count <= 12 && r.chance(0.05)) return [...lines, ...this.table(count)];
    return [...lines, ...this.list(count, r.chance(0.8) ? '-' : '*')];
  }

  categoryName(): string {
    return `${capitalize(this.rng.pickSkewed(TOPICS))} ${this.rng.pick(AREAS)}`;
  }

  file(part: number, count: number): string {
    const r = this.rng;
    const topic = capitalize(r.pick(TOPICS));
    const out: string[] = [];
    if (r.chance(0.5)) out.push('---', `title: "Awesome ${topic}, part ${part}"`, 'draft: false', '---', '');
    out.push(`# Awesome ${topic} [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)`, '');
    if (r.chance(0.3)) out.push('<p align="center"><img src="https://example.org/logo.png" width="200"></p>', '');
    out.push(
      `> A curated list of ${topic.toLowerCase()} ${plural(r.pick(KINDS))}, ${plural(r.pick(RESOURCES))} and more. ${this.description()}`,
      '',
    );

    // Split the file's entries into groups (##); some split again into subsections (###).
    const groups: { name: string; split: boolean; sections: { name: string; count: number }[] }[] = [];
    let left = count;
    while (left > 0) {
      const name = this.categoryName();
      const split = r.chance(0.35);
      const sections: { name: string; count: number }[] = [];
      for (let i = 0, parts = split ? r.int(2, 5) : 1; i < parts && left > 0; i++) {
        const size = Math.min(left, r.int(5, 75));
        sections.push({ name: split ? this.categoryName() : name, count: size });
        left -= size;
      }
      groups.push({ name, split, sections });
    }

    out.push('## Contents', '');
    for (const group of groups) out.push(`- [${group.name}](#${anchorOf(group.name)})`);
    out.push('');

    for (const group of groups) {
      out.push(`## ${group.name}`, '');
      for (const section of group.sections) {
        if (group.split) out.push(`### ${section.name}`, '');
        out.push(...this.sectionBody(section.count), '');
        if (r.chance(0.02)) out.push('<!-- more to come -->', '');
      }
    }
    out.push(
      '## License',
      '',
      'To the extent possible under law, the authors have waived all copyright. See [CC0](https://creativecommons.org/publicdomain/zero/1.0/).',
      '',
    );
    return out.join('\n');
  }
}

/**
 * Awesome-list-like markdown files holding exactly `entryCount` entries, about
 * `ENTRIES_PER_FILE` to a file, named `generated/part-001.md` and so on.
 */
export function generateCatalogFiles(entryCount: number, seed = 1): GeneratedFile[] {
  if (!Number.isInteger(entryCount) || entryCount < 0) throw new RangeError(`entryCount must be a whole number ≥ 0, not ${entryCount}`);
  const fileCount = Math.max(1, Math.ceil(entryCount / ENTRIES_PER_FILE));
  const generator = new Generator(new Prng(seed));
  const files: GeneratedFile[] = [];
  const base = Math.floor(entryCount / fileCount);
  const extra = entryCount % fileCount;
  for (let i = 0; i < fileCount; i++) {
    const count = base + (i < extra ? 1 : 0);
    files.push({ file: `generated/part-${String(i + 1).padStart(3, '0')}.md`, text: generator.file(i + 1, count) });
  }
  return files;
}
