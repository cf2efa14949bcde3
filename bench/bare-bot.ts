/**
 * The baseline for `npm run bench:e2e`: a bare discord.js bot that answers every interaction with
 * one constant autocomplete choice, on the raw INTERACTION_CREATE dispatch, like the real bot
 * listens. Started as `node --import tsx bench/bare-bot.ts`, the same way as `npm start`, so the
 * two processes' memory and latency compare directly.
 *
 *   DISCORD_TOKEN=… DISCORD_API_URL=http://127.0.0.1:port/api node --import tsx bench/bare-bot.ts
 *
 * Prints one line containing `ready as <tag>` when connected; exits 0 on SIGTERM or SIGINT.
 */
import { Client, GatewayDispatchEvents, GatewayIntentBits, Routes, type APIInteraction } from 'discord.js';

const token = process.env['DISCORD_TOKEN'];
const api = process.env['DISCORD_API_URL'];
if (!token || !api) {
  process.stderr.write('bare-bot: DISCORD_TOKEN and DISCORD_API_URL are required\n');
  process.exit(2);
}

const body = { type: 8, data: { choices: [{ name: 'x', value: 'x' }] } };

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api } });

client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
  client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false }).catch((error: unknown) => {
    process.stderr.write(`bare-bot: callback failed: ${String(error)}\n`);
  });
});

client.once('clientReady', (c) => {
  process.stdout.write(`${JSON.stringify({ msg: `ready as ${c.user.tag}`, pid: process.pid })}\n`);
});
client.on('error', (error) => process.stderr.write(`bare-bot: client error: ${String(error)}\n`));

function stop(): void {
  client.destroy().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await client.login(token);
