/**
 * The fake Discord works with the real discord.js client and nothing of ours: a bare client logs
 * in, becomes ready, receives interactions and answers them, and discord.js's own reply, defer,
 * edit, update and autocomplete bodies pass the payload validators.
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  GatewayDispatchEvents,
  GatewayIntentBits,
  REST,
  Routes,
  type APIInteraction,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidCallback, expectValidCommandsBody, expectValidWebhookBody } from './discord-payload.js';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';

const NO_MENTIONS = { parse: [] };

interface Harness {
  fake: FakeDiscord;
  client: Client;
  /** Errors discord.js reported (client `error`, shard errors, throws inside our listeners). */
  errors: unknown[];
  loginMs: number;
}

const open: Harness[] = [];

async function connect(fake = new FakeDiscord(), setup: (client: Client, errors: unknown[]) => void = () => undefined): Promise<Harness> {
  await fake.start();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  const errors: unknown[] = [];
  client.on('error', (error) => errors.push(error));
  client.on('shardError', (error) => errors.push(error));
  setup(client, errors);
  const harness: Harness = { fake, client, errors, loginMs: 0 };
  open.push(harness);
  const ready = once(client, 'clientReady');
  const started = performance.now();
  await client.login(FAKE_TOKEN);
  await ready;
  harness.loginMs = performance.now() - started;
  return harness;
}

afterEach(async () => {
  for (const { client, fake } of open.splice(0)) {
    await client.destroy();
    await fake.stop();
  }
});

describe('FakeDiscord with a bare discord.js client', () => {
  it('logs in, becomes ready, and a raw callback answers a dispatched command', async () => {
    const seen: Interaction[] = [];
    const { fake, client, errors, loginMs } = await connect(undefined, (c, errs) => {
      c.ws.on(GatewayDispatchEvents.InteractionCreate, (data: APIInteraction) => {
        const body = { type: 4, data: { content: 'pong', allowed_mentions: NO_MENTIONS } };
        c.rest.post(Routes.interactionCallback(data.id, data.token), { body, auth: false }).catch((error: unknown) => errs.push(error));
      });
      c.on('interactionCreate', (interaction) => seen.push(interaction));
    });

    expect(client.user?.tag).toBe('linkdex');
    expect(client.user?.id).toBe(FAKE_IDS.botUser);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(FAKE_IDS.application);
    expect(client.guilds.cache.size).toBe(1);
    const guild = client.guilds.cache.get(FAKE_IDS.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.memberCount).toBe(42);
    expect(guild?.channels.cache.get(FAKE_IDS.channel)?.name).toBe('general');
    expect(loginMs).toBeLessThan(1_000);

    const identify = await fake.identified;
    expect(identify.intents).toBe(GatewayIntentBits.Guilds);
    expect(identify.token).toBe(FAKE_TOKEN);
    expect(identify.query).toMatchObject({ v: '10', encoding: 'json' });
    expect(identify.query['compress']).toBeUndefined();
    expect(fake.connections).toBe(1);
    const gatewayBot = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayBot?.headers['authorization']).toBe(`Bot ${FAKE_TOKEN}`);

    const payload = commandInteraction('search', { query: 'rust', public: true });
    const reply = await fake.dispatchInteraction(payload);
    expect(reply.body).toEqual({ type: 4, data: { content: 'pong', allowed_mentions: { parse: [] } } });
    expectValidCallback(reply.body);
    expect(reply.status).toBe(204);
    expect(reply.ms).toBeLessThan(1_000);
    expect(reply.request.headers['authorization']).toBeUndefined();

    expect(seen).toHaveLength(1);
    const interaction = seen[0];
    if (!interaction?.isChatInputCommand()) throw new Error('expected a chat input command interaction');
    expect(interaction.id).toBe(payload.id);
    expect(interaction.commandName).toBe('search');
    expect(interaction.options.getString('query')).toBe('rust');
    expect(interaction.options.getBoolean('public')).toBe(true);
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.guild?.id).toBe(FAKE_IDS.guild);
    expect(interaction.channel?.id).toBe(FAKE_IDS.channel);
    expect(interaction.user.username).toBe('ada');
    expect(interaction.member?.user.id).toBe(FAKE_IDS.member);

    // A second callback for the same interaction is refused as Discord does.
    const again = client.rest.post(Routes.interactionCallback(payload.id, payload.token), {
      body: { type: 4, data: { content: 'again', allowed_mentions: NO_MENTIONS } },
      auth: false,
    });
    await expect(again).rejects.toMatchObject({ code: 40060, status: 400 });

    expect(errors).toEqual([]);
    expect(fake.unknownRequests).toEqual([]);
  });

  it('answers what discord.js itself sends: reply, deferReply + editReply, update, respond, withResponse', async () => {
    const { fake, errors } = await connect(undefined, (c, errs) => {
      c.on('interactionCreate', (interaction) => {
        const handle = async (): Promise<void> => {
          if (interaction.isChatInputCommand() && interaction.commandName === 'search') {
            const embed = new EmbedBuilder()
              .setTitle('Rust')
              .setDescription('A language')
              .addFields({ name: 'Link', value: 'https://www.rust-lang.org' })
              .setFooter({ text: 'page 1/2' });
            const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
              new ButtonBuilder().setCustomId('search:next').setLabel('Next').setStyle(ButtonStyle.Secondary),
            );
            await interaction.reply({ embeds: [embed], components: [row], allowedMentions: { parse: [] } });
          } else if (interaction.isChatInputCommand() && interaction.commandName === 'slow') {
            await interaction.deferReply();
            await interaction.editReply({ content: 'done', allowedMentions: { parse: [] } });
          } else if (interaction.isChatInputCommand() && interaction.commandName === 'fetch') {
            const response = await interaction.reply({ content: 'fetched', allowedMentions: { parse: [] }, withResponse: true });
            if (response.resource?.message?.content !== 'fetched') throw new Error('withResponse did not return the message');
          } else if (interaction.isAutocomplete()) {
            await interaction.respond([{ name: `${interaction.options.getFocused()}…`, value: 'rust' }]);
          } else if (interaction.isButton()) {
            await interaction.update({ content: 'page 2', components: [], allowedMentions: { parse: [] } });
          }
        };
        handle().catch((error: unknown) => errs.push(error));
      });
    });

    const search = await fake.dispatchInteraction(commandInteraction('search', { query: 'rust' }));
    expectValidCallback(search.body);
    expect(search.body.type).toBe(4);

    const slow = commandInteraction('slow');
    const deferred = await fake.dispatchInteraction(slow);
    expect(deferred.body.type).toBe(5);
    expectValidCallback(deferred.body);
    const edit = await fake.waitForWebhook(slow.token);
    expect(edit).toMatchObject({ method: 'PATCH', messageId: '@original', status: 200, applicationId: FAKE_IDS.application });
    expectValidWebhookBody(edit.body, 'PATCH');

    const fetched = await fake.dispatchInteraction(commandInteraction('fetch'));
    expect(fetched.status).toBe(200);
    expect(fetched.withResponse).toBe(true);
    expectValidCallback(fetched.body);

    const complete = await fake.dispatchInteraction(autocompleteInteraction('search', { query: 'ru', category: 'lang' }, 'query'));
    expect(complete.body).toEqual({ type: 8, data: { choices: [{ name: 'ru…', value: 'rust' }] } });
    expectValidCallback(complete.body);

    const click = await fake.dispatchInteraction(buttonInteraction('search:next'));
    expect(click.body.type).toBe(7);
    expectValidCallback(click.body);

    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toEqual([]);
    expect(fake.unknownRequests).toEqual([]);
  });

  it('refuses a callback after the deadline with 10062, as Discord does after 3 s', async () => {
    const fake = new FakeDiscord({ interactionDeadlineMs: 30 });
    const results: unknown[] = [];
    await connect(fake, (c) => {
      c.ws.on(GatewayDispatchEvents.InteractionCreate, (data: APIInteraction) => {
        setTimeout(() => {
          c.rest.post(Routes.interactionCallback(data.id, data.token), { body: { type: 5 }, auth: false }).then(
            () => results.push('ok'),
            (error: unknown) => results.push(error),
          );
        }, 60);
      });
    });
    const reply = await fake.dispatchInteraction(commandInteraction('search', { query: 'x' }));
    expect(reply.status).toBe(404);
    expect(reply.ms).toBeGreaterThanOrEqual(30);
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toBeInstanceOf(DiscordAPIError);
    expect(results[0]).toMatchObject({ code: 10062 });
  });

  it('resumes after the gateway asks for a reconnect, and keeps dispatching', async () => {
    const { fake, client } = await connect(undefined, (c) => {
      c.ws.on(GatewayDispatchEvents.InteractionCreate, (data: APIInteraction) => {
        void c.rest.post(Routes.interactionCallback(data.id, data.token), {
          body: { type: 4, data: { content: 'back', allowed_mentions: NO_MENTIONS } },
          auth: false,
        });
      });
    });
    const resumed = once(fake, 'resume');
    fake.requestReconnect();
    const [resume] = (await resumed) as [{ resumed: boolean; seq: number }];
    expect(resume.resumed).toBe(true);
    expect(resume.seq).toBeGreaterThanOrEqual(2);
    await expect.poll(() => fake.identifiedConnections).toBe(1);
    expect(fake.identifies).toHaveLength(1);
    const reply = await fake.dispatchInteraction(commandInteraction('search', { query: 'again' }));
    expect(reply.body).toMatchObject({ type: 4 });
    expect(client.isReady()).toBe(true);
  });

  it('gives a timely error when the bot does not answer', async () => {
    const { fake } = await connect();
    const started = performance.now();
    await expect(fake.dispatchInteraction(commandInteraction('search', { query: 'x' }), { timeoutMs: 100 })).rejects.toThrow(
      /no callback for interaction \d+ \(type 2, \/search\) within 100 ms/,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('FakeDiscord REST', () => {
  it('records a bulk overwrite of commands, echoes them with ids, and survives a 429', async () => {
    const fake = new FakeDiscord();
    await fake.start();
    const rest = new REST({ api: fake.apiUrl }).setToken(FAKE_TOKEN);
    try {
      const commands = [
        {
          name: 'search',
          description: 'Search the catalog',
          options: [{ type: 3, name: 'query', description: 'What to look for', required: true, autocomplete: true }],
        },
        { name: 'random', description: 'A random link' },
      ];
      expectValidCommandsBody(commands);
      fake.failNext('/applications/', 429);
      const answer = (await rest.put(Routes.applicationCommands(FAKE_IDS.application), { body: commands })) as {
        id: string;
        name: string;
        application_id: string;
        version: string;
      }[];
      expect(answer.map((c) => c.name)).toEqual(['search', 'random']);
      for (const command of answer) {
        expect(command.id).toMatch(/^\d{17,20}$/);
        expect(command.application_id).toBe(FAKE_IDS.application);
      }
      const puts = fake.requests.filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.status)).toEqual([429, 200]);
      expect(fake.commandDeploys).toEqual([{ route: `/applications/${FAKE_IDS.application}/commands`, scope: 'global', body: commands }]);

      await rest.put(Routes.applicationGuildCommands(FAKE_IDS.application, FAKE_IDS.guild), { body: [] });
      expect(fake.commandDeploys[1]).toMatchObject({ scope: FAKE_IDS.guild, body: [] });
      expect(fake.commands('global').map((c) => c.name)).toEqual(['search', 'random']);

      const anonymous = new REST({ api: fake.apiUrl, retries: 0 });
      await expect(anonymous.put(Routes.applicationCommands(FAKE_IDS.application), { body: [], auth: false })).rejects.toMatchObject({
        status: 401,
      });
      await expect(rest.get('/sticker-packs/123' as `/${string}`)).rejects.toMatchObject({ status: 404 });
      expect(fake.unknownRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /sticker-packs/123']);
    } finally {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await fake.stop();
    }
  });
});
