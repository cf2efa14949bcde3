/**
 * The baseline for `npm run bench`: a bare discord.js bot that answers every interaction with the
 * same 25 autocomplete choices (as many as Discord shows), on the raw INTERACTION_CREATE
 * dispatch, like linkdex listens. Plain JavaScript started with plain `node`, as a compiled
 * linkdex is, so the two processes' memory, start and latency compare directly.
 *
 *   NODE_ENV=production DISCORD_TOKEN=… DISCORD_API_URL=http://127.0.0.1:port/api node bench/bare-bot.mjs
 *
 * Prints one line containing `ready as <tag>` when connected; exits 0 on SIGTERM or SIGINT.
 */
import { Client, GatewayDispatchEvents, GatewayIntentBits, Routes } from 'discord.js';

const token = process.env['DISCORD_TOKEN'];
const api = process.env['DISCORD_API_URL'];
if (!token || !api) {
  process.stderr.write('bare-bot: DISCORD_TOKEN and DISCORD_API_URL are required\n');
  process.exit(2);
}

const choices = Array.from({ length: 25 }, (_, i) => ({ name: `Constant choice number ${i + 1}`, value: `constant-${i + 1}` }));
const body = { type: 8, data: { choices } };

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api } });

client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction) => {
  client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false }).catch((error) => {
    process.stderr.write(`bare-bot: callback failed: ${String(error)}\n`);
  });
});

client.once('clientReady', (c) => {
  process.stdout.write(`${JSON.stringify({ msg: `ready as ${c.user.tag}`, pid: process.pid })}\n`);
});
client.on('error', (error) => process.stderr.write(`bare-bot: client error: ${String(error)}\n`));

function stop() {
  client.destroy().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await client.login(token);
