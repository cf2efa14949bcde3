import type { Migration } from 'kysely';
import { initial } from './0001-initial.js';

/**
 * Every migration, in order. A name starts with its schema version (four digits); a new one is
 * appended, never edited once released: databases in the field have run it.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};
