/**
 * A PostgreSQL URL as logs and messages may show it: where the database is and who connects,
 * never the password.
 */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(the default database)';
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const user = parsed.username ? ` as ${decodeURIComponent(parsed.username)}` : '';
    return `PostgreSQL database ${database} on ${host}:${parsed.port || '5432'}${user}`;
  } catch {
    return 'the PostgreSQL database of DATABASE_URL';
  }
}
