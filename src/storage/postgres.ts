import type { Storage } from './storage.js';

export function openPostgresStorage(options: { url: string }): Promise<Storage> {
  void options;
  return Promise.reject(new Error('PostgreSQL is not supported yet'));
}
