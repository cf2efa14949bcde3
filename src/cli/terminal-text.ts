/**
 * Text from the content (titles, URLs, file names) reaches the user's terminal. Control characters
 * in it could clear the screen, recolour or retitle the terminal, or hide text (bidirectional
 * overrides), so none reaches it: text loses them, JSON escapes them.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text without the characters a terminal would act on rather than show. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, '');
}

/**
 * JSON with those characters escaped (`\u001b`): the same data for a program, inert on a terminal.
 * `JSON.stringify` escapes C0 itself but leaves DEL, C1 and the bidi controls as they are.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
