import { commands } from '../commands/index.js';
import { configForEntryPoint, requireDeployConfig } from './config.js';
import { deployCommands } from './discord/deploy-commands.js';

/** `npm run deploy`: registers the slash commands, to one guild (DISCORD_GUILD_ID) or globally. */
async function main(): Promise<number> {
  const config = configForEntryPoint(requireDeployConfig);
  if (!config) return 2;
  try {
    const result = await deployCommands({
      token: config.discordToken,
      clientId: config.discordClientId,
      commands,
      ...(config.discordGuildId ? { guildId: config.discordGuildId } : {}),
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    });
    const where =
      result.scope === 'globally' ? 'globally (it can take up to an hour to appear everywhere)' : `to ${result.scope} (instant)`;
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Could not register the commands: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
