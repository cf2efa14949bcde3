import { quote } from '../text.js';
import type { NoticeAnswer } from './answer.js';

export function unknownCategory(name: string, suggestions: string[]): NoticeAnswer {
  return {
    kind: 'notice',
    tone: 'error',
    title: 'Unknown category',
    message: `No category matches ${quote(name)}.`,
    suggestions,
  };
}

export function emptyCatalog(): NoticeAnswer {
  return { kind: 'notice', tone: 'info', title: 'No links yet', message: 'The catalog has no links yet.', suggestions: [] };
}
