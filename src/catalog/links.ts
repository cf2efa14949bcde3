/** What a link's destination is, decided once so the extractor and the checker agree. */
export type LinkTarget =
  | { kind: 'web'; url: URL }
  | { kind: 'anchor' }
  | { kind: 'relative' }
  | { kind: 'unsafe'; scheme: string }
  | { kind: 'other-scheme'; scheme: string }
  | { kind: 'invalid'; reason: string };

/** Schemes that run code or read local files when clicked: never acceptable in a shared catalog. */
const UNSAFE_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob']);

const IMAGE_EXTENSIONS = ['.svg', '.png', '.gif', '.jpg', '.jpeg', '.webp', '.ico', '.bmp'];
const BADGE_HOSTS = new Set(['img.shields.io', 'shields.io', 'badgen.net', 'badge.fury.io', 'flat.badgen.net']);

function schemeOf(raw: string): string | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  const scheme = raw.slice(0, colon);
  const valid = /^[a-z][a-z0-9+.-]*$/i.test(scheme);
  return valid ? scheme.toLowerCase() : undefined;
}

function isIpAddress(hostname: string): boolean {
  if (hostname.startsWith('[')) return true; // IPv6 literal
  const parts = hostname.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p));
}

export function classifyLink(raw: string): LinkTarget {
  const href = raw.trim();
  if (href === '') return { kind: 'invalid', reason: 'the link has no URL' };
  if (href.startsWith('#')) return { kind: 'anchor' };
  const scheme = schemeOf(href);
  if (scheme === undefined) return { kind: 'relative' };
  if (UNSAFE_SCHEMES.has(scheme)) return { kind: 'unsafe', scheme };
  if (scheme !== 'http' && scheme !== 'https') return { kind: 'other-scheme', scheme };
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { kind: 'invalid', reason: 'it is not a valid URL' };
  }
  if (url.hostname === '') return { kind: 'invalid', reason: 'it has no host' };
  if (!url.hostname.includes('.') && !isIpAddress(url.hostname)) {
    return { kind: 'invalid', reason: `its host “${url.hostname}” has no dot` };
  }
  if (url.hostname.startsWith('.') || url.hostname.endsWith('..')) {
    return { kind: 'invalid', reason: `its host “${url.hostname}” is malformed` };
  }
  return { kind: 'web', url };
}

/** A link to a picture (a logo, a badge, a screenshot) rather than to a resource. */
export function isImageOrBadgeUrl(url: URL): boolean {
  if (BADGE_HOSTS.has(url.hostname)) return true;
  const path = url.pathname.toLowerCase();
  if (path.endsWith('/badge.svg') || path.includes('/badge/')) return true;
  return IMAGE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/**
 * The form two URLs are compared in to spot duplicates: scheme, `www.`, host case and a trailing
 * slash do not make a different page.
 */
export function normalizeUrl(url: URL): string {
  const host = url.host.toLowerCase().replace(/^www\./, '');
  let path = url.pathname;
  while (path.endsWith('/')) path = path.slice(0, -1);
  return `${host}${path}${url.search}${url.hash}`;
}

/** `normalizeUrl` for a URL as written; text that does not parse compares as itself. */
export function normalizeUrlText(raw: string): string {
  try {
    return normalizeUrl(new URL(raw));
  } catch {
    return raw;
  }
}

/** The host as a member reads it: `github.com`, not `www.github.com`. */
export function displayHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** A text fragment (`#:~:text=`) highlights a quote; it breaks when the page changes and some browsers ignore it. */
export function hasTextFragment(url: URL): boolean {
  return url.hash.includes(':~:');
}
