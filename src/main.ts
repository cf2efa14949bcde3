import { buildApp } from './app.js';
import { entryConfig, unreadableContent } from './entry.js';
import { runGateway } from './run-gateway.js';
import { runHttp } from './run-http.js';
import { startOpeningStorage } from './storage/open-storage.js';

/**
 * `npm start`: the gateway bot when a token is set, otherwise the console on the catalog; the
 * HTTP interactions endpoint with MODE=http, or `--http` (`npm run start:http`). A content path
 * that cannot be read stops the start (exit 2) before any connection; the bot and the endpoint
 * then connect first and open the storage and load the catalog beside the connection.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const entry = entryConfig(args.includes('--http') ? 'start:http' : 'start', args);
  if ('exitCode' in entry) return entry.exitCode;
  const { config, flagFor } = entry;
  const refused = await unreadableContent(config, flagFor);
  if (refused !== undefined) return refused;
  const { discordToken, discordPublicKey } = config;
  // loadConfig requires the public key when MODE=http.
  const http = config.mode === 'http' ? discordPublicKey : undefined;
  if (http || discordToken) {
    // Opened while the connection starts; what needs it waits for it, and a database that cannot
    // be opened stops the start (exit 2).
    const storage = startOpeningStorage({ databaseUrl: config.databaseUrl?.reveal(), stateDir: config.stateDir });
    const app = buildApp(config, { storage, storageOpening: storage.opened });
    if (http) return runHttp(app, http);
    if (discordToken) return runGateway(app, discordToken);
  }
  // The console loads the catalog before it answers: its code is imported only when it runs.
  const { runLocalConsole } = await import('./local-console.js');
  return runLocalConsole(buildApp(config, { surface: 'console' }));
}

process.exitCode = await main();
// A shard's IPC channel to the sharding manager would keep the process alive once it is done,
// stopped or failed: a shard that cannot start must exit at once, not when the manager gives up.
process.channel?.unref();
