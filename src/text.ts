/** Small string helpers shared by the parser, the index and the renderers. */

/** One line of readable text: runs of whitespace, and control characters, become one space. */
export function collapseWhitespace(text: string): string {
  return text
    .split(/[\s\p{Cc}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** Shortens to at most `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  return `${sliceWhole(text, max - 1)}…`;
}

/** The first `max` code units of `text`, one fewer where a surrogate pair would be cut in half (an invalid character). */
export function sliceWhole(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A snippet of user content for a message: collapsed, shortened and quoted, with nothing hidden in it. */
export function quote(text: string, max = 60): string {
  return `“${truncate(collapseWhitespace(withoutHiddenCharacters(text)), max)}”`;
}

/** Letters that carry their accent in the letter itself, so no normalization splits it off. */
const UNDECOMPOSABLE: Record<string, string> = { ł: 'l', đ: 'd', ø: 'o', ħ: 'h', ŧ: 't', ı: 'i', ß: 'ss' };

/** Lower case without accents, so "Café" and "cafe", "Łódź" and "lodz" compare equal. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łđøħŧıß]/g, (letter) => UNDECOMPOSABLE[letter] ?? letter);
}

export function hasLetterOrDigit(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Hidden characters: content must look like what it is. A right-to-left override makes
// "\u202Egnp.exe" read "exe.png"; zero-width characters make a title look empty, or two words
// look alike. Joiners and selectors survive only where emoji and scripts need them.

/** Characters that reorder the text around them (overrides, embeddings, isolates, marks). */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters no font draws: zero-width spaces, joiners, selectors, tags, fillers, soft hyphens, bidi controls. */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const ONLY_LOW = /^[\0-\xac]*$/;
const VARIATION_SELECTOR = /[\u180b-\u180d\u180f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;
const JOINER = /[\u200c\u200d]/u;
/** A subdivision flag (England, Scotland, Wales): a black flag, then tag letters ended by CANCEL TAG. */
const FLAG_TAGS = /^\u{1f3f4}[\u{e0020}-\u{e007e}]{1,30}\u{e007f}/u;
const EMOJI_PART = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]/u;

/** Whether a zero-width joiner next to this character can be needed: in an emoji, or a non-Latin script. */
function joinable(char: string | undefined): boolean {
  if (char === undefined) return false;
  return EMOJI_PART.test(char) || (/[\p{L}\p{M}]/u.test(char) && !/\p{Script=Latin}/u.test(char));
}

/** Whether `text` has a character no font draws (which may still be a joiner an emoji needs). */
export function hasHiddenCharacter(text: string): boolean {
  // Every such character is above U+00AC: most text is settled by a much cheaper test.
  return !ONLY_LOW.test(text) && IGNORABLE.test(text);
}

/** Text without the characters that hide or reorder it; emoji and scripts that need joiners keep them. */
export function withoutHiddenCharacters(text: string): string {
  if (!hasHiddenCharacter(text)) return text;
  const chars = Array.from(text);
  let out = '';
  let last: string | undefined;
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '\u{1f3f4}') {
      const flag = FLAG_TAGS.exec(chars.slice(i, i + 32).join(''));
      if (flag) {
        out += flag[0];
        i += Array.from(flag[0]).length - 1;
        last = char;
        continue;
      }
    }
    const drawn = !IGNORABLE.test(char);
    const keep =
      drawn ||
      (VARIATION_SELECTOR.test(char) && last !== undefined && !/\s/u.test(last) && !IGNORABLE.test(last)) ||
      (JOINER.test(char) && joinable(last) && joinable(chars[i + 1]));
    if (!keep) continue;
    out += char;
    // A selector belongs to the character before it; a joiner's neighbour is what it joins.
    if (drawn) last = char;
    else if (VARIATION_SELECTOR.test(char)) last = char === '\ufe0f' ? char : last;
  }
  return out;
}

/** The hidden characters that `withoutHiddenCharacters` removes from `text`, named, in order of first appearance. */
export function hiddenCharacters(text: string): { bidi: string[]; invisible: string[] } {
  const bidi = new Set<string>();
  const invisible = new Set<string>();
  if (!hasHiddenCharacter(text)) return { bidi: [], invisible: [] };
  // A joiner kept in an emoji does not count; the same joiner removed elsewhere does.
  const keptCount = new Map<string, number>();
  for (const char of withoutHiddenCharacters(text)) keptCount.set(char, (keptCount.get(char) ?? 0) + 1);
  for (const char of text) {
    if (!IGNORABLE.test(char)) continue;
    const left = keptCount.get(char) ?? 0;
    if (left > 0) {
      keptCount.set(char, left - 1);
      continue;
    }
    (BIDI_CONTROL.test(char) ? bidi : invisible).add(describeCharacter(char));
  }
  return { bidi: [...bidi], invisible: [...invisible] };
}

const CHARACTER_NAMES: Record<string, string> = {
  '\u00ad': 'SOFT HYPHEN',
  '\u034f': 'COMBINING GRAPHEME JOINER',
  '\u061c': 'ARABIC LETTER MARK',
  '\u115f': 'HANGUL CHOSEONG FILLER',
  '\u1160': 'HANGUL JUNGSEONG FILLER',
  '\u200b': 'ZERO WIDTH SPACE',
  '\u200c': 'ZERO WIDTH NON-JOINER',
  '\u200d': 'ZERO WIDTH JOINER',
  '\u200e': 'LEFT-TO-RIGHT MARK',
  '\u200f': 'RIGHT-TO-LEFT MARK',
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2060': 'WORD JOINER',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\u3164': 'HANGUL FILLER',
  '\ufeff': 'ZERO WIDTH NO-BREAK SPACE',
  '\uffa0': 'HALFWIDTH HANGUL FILLER',
};

/** `U+202E RIGHT-TO-LEFT OVERRIDE`: how a problem names a character nobody can see. */
export function describeCharacter(char: string): string {
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CHARACTER_NAMES[char];
  return name ? `${code} ${name}` : code;
}

/** Whether anything in `text` is drawn: not only spaces, hidden characters, lone marks or blank braille. */
export function hasVisibleCharacter(text: string): boolean {
  return /[^\s\p{Default_Ignorable_Code_Point}\p{M}\p{Cc}\u2800]/u.test(text);
}

/** A character as %XX for each of its UTF-8 bytes (encodeURIComponent leaves parentheses alone). */
function percentEncode(char: string): string {
  return Array.from(new TextEncoder().encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * A URL as it can be shown and linked: what would hide, reorder or end it (hidden characters,
 * controls, spaces, a backslash, parentheses and angle brackets, and `*`, which would close the bold
 * around a link) percent-encoded, everything else as written.
 */
export function safeUrl(url: string): string {
  return url.replace(/[\p{Default_Ignorable_Code_Point}\p{Cc}\s\\()<>*]/gu, percentEncode);
}

// ---------------------------------------------------------------------------------------------
// Discord markdown

/**
 * Content as Discord text that shows exactly as written: no formatting, link, heading, subtext,
 * quote, list, mention, timestamp or emoji can come from it. Each special character is escaped
 * once, with a backslash, which Discord shows as nothing; hidden characters are removed first.
 */
export function escapeDiscordMarkdown(text: string): string {
  return (
    withoutHiddenCharacters(text)
      // Emphasis, code, spoilers, masked links, and every <…> form (mentions, channels, commands, timestamps, emoji, autolinks).
      .replace(/[\\*_~`|[\]<>]/g, '\\$&')
      // @everyone and @here render highlighted even when allowed_mentions stops the ping.
      .replace(/@(?=everyone|here)/giu, '\\@')
      // A bare https://… becomes a link whose text is not the entry's title.
      .replace(/:(?=\/\/)/g, '\\:')
      // Headings (#), subtext (-#), lists (- + 1.) where a line starts.
      .replace(/(^|\n)([ \t]*)(#{1,6}|-#|[-+]|\d+\.)(?=[ \t]|$)/g, (_, start: string, indent: string, marker: string) => {
        return `${start}${indent}${marker.replace(/[#\-+.]/g, '\\$&')}`;
      })
  );
}

/** Folded words: lower case, no accents, split on anything that is not a letter or digit. */
export function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
