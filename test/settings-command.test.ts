/**
 * /settings without a database: how Discord sees it (subcommands, permission, servers only), what
 * a member's input becomes, and every refusal a member can meet before anything is saved.
 */
import type { APIInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { OPERATOR, type AnyCommand } from '../src/commands/command.js';
import { settings } from '../src/commands/settings.js';
import { commandDefinitions } from '../src/discord/command-definitions.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { interactionFromApi } from '../src/discord/interaction-from-api.js';
import { silentLogger } from '../src/logger.js';
import { completeTimeZone, localClock, parseTimeOfDay, resolveTimeZone } from '../src/pick/local-time.js';
import { ConsoleSession } from '../src/console/console-session.js';
import { FAKE_IDS } from '../dev/fake-discord/fake-discord.js';
import { subcommandAutocompleteInteraction, subcommandInteraction } from '../dev/fake-discord/interactions.js';
import { expectValidCallback, expectValidCommandsBody } from './discord-payload.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex();

async function answer(api: APIInteraction): Promise<{ type: number; data: Record<string, unknown> }> {
  const { callback } = await answerInteraction(api, {
    linkdex: () => linkdex,
    commands,
    now: () => new Date('2026-03-01T12:00:00Z'),
    services: { logger: silentLogger() },
    onError: (error) => {
      throw error;
    },
  });
  expectValidCallback(callback);
  return callback as unknown as { type: number; data: Record<string, unknown> };
}

/** The notice's embed title and text, and whether only the member sees it. */
async function notice(api: APIInteraction): Promise<{ title: string; text: string; ephemeral: boolean }> {
  const { data } = await answer(api);
  const embed = (data['embeds'] as { title: string; description: string }[])[0];
  return { title: embed?.title ?? '', text: embed?.description ?? '', ephemeral: data['flags'] === 64 };
}

const text = { id: FAKE_IDS.channel, type: 0 };
const daily = (options: Record<string, string>, channels = [text]) =>
  subcommandInteraction('settings', 'daily', { channel: FAKE_IDS.channel, ...options }, channels);

describe('/settings as Discord registers it', () => {
  it('has four subcommands, is for members who may manage the server, and is not offered in DMs', () => {
    const body = commandDefinitions(commands);
    expectValidCommandsBody(body);
    const definition = body.find((c) => c.name === 'settings');
    expect(definition).toEqual({
      type: 1,
      name: 'settings',
      description: "This server's link of the day and cooldown",
      default_member_permissions: 32,
      contexts: [0],
      options: [
        { type: 1, name: 'show', description: "This server's settings, and the defaults it follows", options: [] },
        {
          type: 1,
          name: 'daily',
          description: 'Post the link of the day in a channel at a local time',
          options: [
            { type: 7, name: 'channel', description: 'A text or announcement channel', required: true, channel_types: [0, 5] },
            {
              type: 3,
              name: 'time',
              description: 'Local time, 24-hour HH:MM, such as 09:00',
              required: true,
              autocomplete: false,
              max_length: 200,
            },
            {
              type: 3,
              name: 'timezone',
              description: 'A time zone, such as Europe/Berlin',
              required: true,
              autocomplete: true,
              max_length: 200,
            },
            {
              type: 3,
              name: 'category',
              description: 'Pick from this category only',
              required: false,
              autocomplete: true,
              max_length: 200,
            },
          ],
        },
        { type: 1, name: 'daily-off', description: 'No link of the day in this server', options: [] },
        {
          type: 1,
          name: 'cooldown',
          description: 'How many commands a member may run in how many seconds',
          options: [
            {
              type: 4,
              name: 'commands',
              description: 'Commands per member in the window; 0 turns the cooldown off',
              required: true,
              min_value: 0,
              max_value: 100,
            },
            { type: 4, name: 'seconds', description: 'The window, in seconds', required: true, min_value: 1, max_value: 3600 },
          ],
        },
      ],
    });
    // The other commands stay as they were: no permission, every context.
    expect(body.find((c) => c.name === 'search')).not.toHaveProperty('default_member_permissions');
    expect(body.find((c) => c.name === 'search')).not.toHaveProperty('contexts');
  });
});

describe("a subcommand's input", () => {
  it('names the subcommand and carries its options, a channel with its kind as Discord resolved it', () => {
    const api = subcommandInteraction('settings', 'daily', { channel: '42', time: '09:00', timezone: 'Europe/Berlin' }, [
      { id: '42', type: 5 },
    ]);
    expect(interactionFromApi(api, commands)).toMatchObject({
      kind: 'slash',
      command: 'settings',
      input: { subcommand: 'daily', channel: { id: '42', kind: 'announcement' }, time: '09:00', timezone: 'Europe/Berlin' },
    });
    const cooldown = subcommandInteraction('settings', 'cooldown', { commands: 3, seconds: 20 });
    expect(interactionFromApi(cooldown, commands)).toMatchObject({ input: { subcommand: 'cooldown', commands: 3, seconds: 20 } });
  });
});

describe('/settings refuses what it cannot use, privately and before saving anything', () => {
  it.each([
    ['25:00', '“25:00” is not a time of day. Use 24-hour HH:MM, such as 09:00 or 18:30.'],
    ['9:5', '“9:5” is not a time of day. Use 24-hour HH:MM, such as 09:00 or 18:30.'],
    ['noon', '“noon” is not a time of day. Use 24-hour HH:MM, such as 09:00 or 18:30.'],
  ])('a bad time %s', async (time, message) => {
    expect(await notice(daily({ time, timezone: 'Europe/Berlin' }))).toEqual({
      title: 'Bad time',
      text: message,
      ephemeral: true,
    });
  });

  it('an unknown time zone, with the zones it may mean', async () => {
    expect(await notice(daily({ time: '09:00', timezone: 'Europe/Berln' }))).toEqual({
      title: 'Unknown time zone',
      text:
        // Discord shows the escaped underscore as an underscore.
        'No time zone is called “Europe/Berln”. Pick one from the list, such as Europe/Berlin or America/New\\_York.\n\n' +
        '**Did you mean:**\n• Europe/Berlin',
      ephemeral: true,
    });
  });

  it('an unknown category, with did-you-mean as /category says it', async () => {
    const answer = await notice(daily({ time: '09:00', timezone: 'UTC', category: 'dist' }));
    expect(answer).toEqual({
      title: 'Ambiguous category',
      text: '“dist” matches more than one category; type more of the name.\n\n**Did you mean:**\n• Distributed Systems\n• Distributed messaging, Streams',
      ephemeral: true,
    });
    expect((await notice(daily({ time: '09:00', timezone: 'UTC', category: 'zzqxv' }))).text).toMatch(
      /^No such category “zzqxv”\. The categories are: /,
    );
  });

  it('a channel the link of the day cannot be posted in', async () => {
    const voice = daily({ time: '09:00', timezone: 'UTC' }, [{ id: FAKE_IDS.channel, type: 2 }]);
    expect(await notice(voice)).toEqual({
      title: 'Cannot post there',
      text: `<#${FAKE_IDS.channel}> is not a text or announcement channel: pick one the link of the day can be posted in.`,
      ephemeral: true,
    });
  });

  it.each([
    [{ commands: 101, seconds: 10 }, 'commands must be a whole number from 0 to 100.'],
    [{ commands: 5, seconds: 0 }, 'seconds must be a whole number from 1 to 3600.'],
    [{ commands: 5, seconds: 3601 }, 'seconds must be a whole number from 1 to 3600.'],
  ])('a cooldown out of bounds %j', async (options, message) => {
    expect(await notice(subcommandInteraction('settings', 'cooldown', options))).toEqual({
      title: 'Out of range',
      text: message,
      ephemeral: true,
    });
  });

  it('says the database cannot be reached when there is none, instead of failing', async () => {
    expect(await notice(subcommandInteraction('settings', 'show'))).toEqual({
      title: 'Settings not available',
      text: 'The bot cannot reach its database right now, so nothing was saved. Try again in a minute.',
      ephemeral: true,
    });
  });

  it('answers outside a server that it only works in one: a DM, the console', async () => {
    const run = (command: AnyCommand) =>
      command.run({ linkdex, now: new Date(), commands, services: { logger: silentLogger() }, ...OPERATOR }, { subcommand: 'show' }, 1);
    expect(await run(settings as unknown as AnyCommand)).toMatchObject({
      kind: 'notice',
      code: 'guild-only',
      title: 'Only in a server',
      message: "/settings changes a server's settings: run it in that server.",
    });
    const session = new ConsoleSession(() => linkdex, commands);
    expect((await session.handle('/settings show')).text).toContain(
      "Only in a server: /settings changes a server's settings: run it in that server.",
    );
  });
});

describe('time zones and times', () => {
  it('reads HH:MM only', () => {
    expect(['09:00', '00:00', '23:59', '25:00', '9:5', 'noon', '24:00', ' 18:30 '].map(parseTimeOfDay)).toEqual([
      540,
      0,
      1439,
      undefined,
      undefined,
      undefined,
      undefined,
      1110,
    ]);
  });

  it('finds a zone by its name in any case, by its city alone, or by an alias', () => {
    expect(resolveTimeZone('europe/berlin')).toEqual({ found: true, zone: 'Europe/Berlin' });
    expect(resolveTimeZone('Berlin')).toEqual({ found: true, zone: 'Europe/Berlin' });
    expect(resolveTimeZone('new york')).toEqual({ found: true, zone: 'America/New_York' });
    expect(resolveTimeZone('utc')).toEqual({ found: true, zone: 'UTC' });
    expect(resolveTimeZone('Mars/Olympus')).toEqual({ found: false, suggestions: [] });
  });

  it('completes "Berlin" and "berl" with Europe/Berlin, as the autocomplete offers it', async () => {
    expect(completeTimeZone('berl', 25)).toEqual(['Europe/Berlin']);
    const { data } = await answer(subcommandAutocompleteInteraction('settings', 'daily', { timezone: 'Berlin' }, 'timezone'));
    expect(data['choices']).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
    const ny = await answer(subcommandAutocompleteInteraction('settings', 'daily', { timezone: 'new_y' }, 'timezone'));
    expect(ny.data['choices']).toEqual([{ name: 'America/New York', value: 'America/New_York' }]);
  });

  it('completes categories from the catalog', async () => {
    const { data } = await answer(subcommandAutocompleteInteraction('settings', 'daily', { category: 'obs' }, 'category'));
    expect(data['choices']).toEqual([{ name: 'Observability (49)', value: 'Observability' }]);
  });

  it('tells the local day and time, across a DST change', () => {
    // Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on 2026-03-29.
    expect(localClock(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', minutes: 119 });
    expect(localClock(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', minutes: 180 });
    // Still the day before in Los Angeles, already the next in Tokyo.
    expect(localClock(new Date('2026-03-01T06:00:00Z'), 'America/Los_Angeles')).toEqual({ day: '2026-02-28', minutes: 22 * 60 });
    expect(localClock(new Date('2026-03-01T16:00:00Z'), 'Asia/Tokyo')).toEqual({ day: '2026-03-02', minutes: 60 });
  });
});
