import { commands, messageCommands } from './commands/index.js';
import { requireDeployConfig } from './config.js';
import { deployCommands } from './discord/deploy-commands.js';
import { explainDiscordFailure } from './discord/explain-failure.js';
import { entryConfig } from './entry.js';

/** `npm run deploy`: registers the slash commands, to one guild (DISCORD_GUILD_ID) or globally. */
async function main(): Promise<number> {
  const entry = entryConfig('deploy', process.argv.slice(2), requireDeployConfig);
  if ('exitCode' in entry) return entry.exitCode;
  const { config } = entry;
  try {
    const result = await deployCommands({
      token: config.discordToken,
      clientId: config.discordClientId,
      commands,
      messageCommands,
      ...(config.discordGuildId ? { guildId: config.discordGuildId } : {}),
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    });
    const where =
      result.scope === 'globally' ? 'globally (it can take up to an hour to appear everywhere)' : `to ${result.scope} (instant)`;
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}\n`);
    return 0;
  } catch (error) {
    const failure = explainDiscordFailure(error, {
      doing: 'Could not register the commands',
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
      ...(config.discordGuildId ? { guildId: config.discordGuildId } : {}),
    });
    process.stderr.write(`${failure.message}\n`);
    return 1;
  }
}

process.exitCode = await main();
