import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm);

/** Markdown to a syntax tree whose nodes keep their positions, for `file:line` in every report. */
export function parseMarkdown(markdown: string): Root {
  return processor.parse(markdown);
}
