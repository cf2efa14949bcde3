/**
 * One copy of each repeated value of a catalog. Thousands of entries name the same category, page,
 * file and headings; parsed or deserialised, each would carry its own copy of those strings and its
 * own `section` array (some 250 bytes an entry). Interned, they share one string and one frozen array.
 */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #sections = new Map<string, readonly string[]>();

  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** A frozen array shared by every entry under the same headings. */
  section(headings: readonly string[]): string[] {
    const key = JSON.stringify(headings);
    let known = this.#sections.get(key);
    if (known === undefined) {
      known = Object.freeze(headings.map((h) => this.string(h)));
      this.#sections.set(key, known);
    }
    // Frozen: an entry that changed its section would change every entry under those headings.
    return known as string[];
  }
}
