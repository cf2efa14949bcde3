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
  // Avoid cutting a surrogate pair in half, which would leave an invalid character behind.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A snippet of user content for a message: collapsed, shortened and quoted. */
export function quote(text: string, max = 60): string {
  return `“${truncate(collapseWhitespace(text), max)}”`;
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
