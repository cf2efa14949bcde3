export const PAGE_SIZE = 10;

/**
 * One page of items; a page number out of range is clamped, so an old button still shows
 * something. A size of Infinity is one page of every item.
 */
export function paginate<T>(
  items: readonly T[],
  requested: number,
  size = PAGE_SIZE,
): { items: T[]; page: number; pageCount: number; total: number } {
  if (size === Infinity) return { items: [...items], page: 1, pageCount: 1, total: items.length };
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const page = Number.isFinite(requested) ? Math.min(Math.max(1, Math.floor(requested)), pageCount) : 1;
  return { items: items.slice((page - 1) * size, page * size), page, pageCount, total: items.length };
}
