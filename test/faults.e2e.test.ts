/**
 * The real bot, started as `npm start` does, against the fake Discord when things go wrong: the
 * gateway drops, asks for a reconnect or invalidates the session; REST rate-limits or keeps
 * failing the interaction callback; SIGTERM arrives while interactions are in flight.
 */
import { performance } from 'node:perf_hooks';
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCallback } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord, type RecordedRequest } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { startScript, until, type Running } from './processes.js';

type Bot = Running;

/** `npm start` is `node dist/src/main.js`: the bot, logging JSON lines, against `fake`. */
function startBot(fake: FakeDiscord): Bot {
  return startScript('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl });
}

function logLines(bot: Bot): Record<string, unknown>[] {
  return bot
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function ready(bot: Bot): Promise<void> {
  await until(
    () => bot.output().includes('"msg":"ready as') && bot.output().includes('"msg":"serving '),
    () => `the ready and serving log lines; output so far:\n${bot.output()}`,
    20_000,
  );
}

async function kill(bot: Bot | undefined): Promise<void> {
  if (!bot || bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  bot.child.kill('SIGKILL');
  await bot.exit;
}

type Message = Extract<APIInteractionResponse, { data?: unknown }> & { data: Record<string, unknown> };

async function ask(fake: FakeDiscord, payload: APIInteraction): Promise<Message> {
  const reply = await fake.dispatchInteraction(payload);
  expect(reply.status).toBe(204);
  expectValidCallback(reply.body);
  return reply.body as Message;
}

/** The bot still answers: /help with the catalog size, checked to the text. */
async function expectAnswering(fake: FakeDiscord): Promise<void> {
  const reply = await ask(fake, commandInteraction('help', {}));
  expect(reply.type).toBe(4);
  expect(JSON.stringify(reply.data)).toContain('233 links in 23 categories');
}

function callbackRequests(fake: FakeDiscord, interactionId: string): RecordedRequest[] {
  return fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${interactionId}/`));
}

// One bot for the faults it survives; each SIGTERM test has its own bot and fake, started alongside.
const fake = new FakeDiscord();
const fakeForShutdown = new FakeDiscord();
const fakeForGrace = new FakeDiscord();
let bot: Bot | undefined;
let botForShutdown: Bot | undefined;
let botForGrace: Bot | undefined;

beforeAll(async () => {
  await Promise.all([fake.start(), fakeForShutdown.start(), fakeForGrace.start()]);
  bot = startBot(fake);
  botForShutdown = startBot(fakeForShutdown);
  botForGrace = startBot(fakeForGrace);
  await Promise.all([ready(bot), ready(botForShutdown), ready(botForGrace)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([kill(bot), kill(botForShutdown), kill(botForGrace)]);
  await Promise.all([fake.stop(), fakeForShutdown.stop(), fakeForGrace.stop()]);
});

function running(): Bot {
  if (!bot) throw new Error('the bot did not start');
  return bot;
}

describe('REST refuses the interaction callback', () => {
  it('waits out a 429 with retry-after and still delivers the answer within the deadline', async () => {
    fake.addFault({
      pathPrefix: '/interactions/',
      method: 'POST',
      status: 429,
      headers: { 'retry-after': '0.3', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 0.3, global: false, code: 0 },
      times: 1,
    });
    const payload = autocompleteInteraction('search', { query: 'kube' }, 'query');
    const reply = await fake.dispatchInteraction(payload);
    expectValidCallback(reply.body);
    expect(reply.body.type).toBe(8);
    expect(reply.status).toBe(204);
    expect(reply.ms).toBeLessThan(3000);
    const attempts = callbackRequests(fake, payload.id);
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    const [limited, accepted] = attempts;
    // The retry waited for retry-after (0.3 s), not a blind immediate retry.
    expect((accepted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(280);
    expect(logLines(running()).filter((l) => l['interaction'] === payload.id && l['level'] === 50)).toEqual([]);
  });

  it('logs a callback that fails with 500 past discord.js’s retries, with the interaction id, and goes on answering', async () => {
    fake.addFault({ pathPrefix: '/interactions/', method: 'POST', status: 500, times: 4 });
    const payload = commandInteraction('search', { query: 'kafka' });
    const unanswered = fake.dispatchInteraction(payload, { timeoutMs: 1500 });
    await until(
      () => logLines(running()).some((l) => l['interaction'] === payload.id && l['msg'] === 'could not send the answer'),
      `the error line for ${payload.id}; output:\n${running().output()}`,
    );
    await expect(unanswered).rejects.toThrow(`no callback for interaction ${payload.id}`);
    // The first attempt and discord.js's 3 retries, all 500; no fifth.
    expect(callbackRequests(fake, payload.id).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    const errors = logLines(running()).filter((l) => l['interaction'] === payload.id && l['level'] === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'could not send the answer', err: expect.objectContaining({ status: 500 }) });
    expect(running().output()).not.toContain(FAKE_TOKEN);
    expect(running().child.exitCode).toBeNull();
    await expectAnswering(fake);
  });

  it('does not log the interaction token when a callback fails (it lets anyone post as the bot for 15 minutes)', async () => {
    fake.addFault({ pathPrefix: '/interactions/', method: 'POST', status: 500, times: 4 });
    const payload = commandInteraction('help', {});
    const unanswered = fake.dispatchInteraction(payload, { timeoutMs: 1500 }).catch(() => 'unanswered');
    await until(
      () => logLines(running()).some((l) => l['interaction'] === payload.id && l['msg'] === 'could not send the answer'),
      `the error line for ${payload.id}`,
    );
    expect(await unanswered).toBe('unanswered');
    const line = running()
      .output()
      .split('\n')
      .find((l) => l.includes(`"interaction":"${payload.id}"`));
    expect(line).toContain('could not send the answer');
    expect(line).not.toContain(payload.token);
  });
});

describe('the gateway drops or moves the bot', () => {
  it('resumes the session after the gateway closes with 4000, and answers the next interaction', async () => {
    const identifies = fake.identifies.length;
    const resumes = fake.resumes.length;
    const started = performance.now();
    fake.closeGateway(4000);
    await until(() => fake.resumes.length > resumes && fake.identifiedConnections === 1, 'a RESUME after close 4000');
    expect(fake.resumes.slice(resumes)).toEqual([expect.objectContaining({ token: FAKE_TOKEN, resumed: true })]);
    expect(fake.identifies).toHaveLength(identifies);
    expect(performance.now() - started).toBeLessThan(3000);
    await expectAnswering(fake);
  });

  it('resumes after RECONNECT (op 7) and answers, once, an interaction sent as the reconnect was asked', async () => {
    const identifies = fake.identifies.length;
    const resumes = fake.resumes.length;
    const callbacks = fake.callbacks.length;
    fake.requestReconnect();
    // Sent on the old socket right behind op 7: either the bot reads it there, or the fake replays it on RESUME.
    const during = commandInteraction('search', { query: 'kafka' });
    const duringReply = fake.dispatchInteraction(during);
    await until(() => fake.resumes.length > resumes && fake.identifiedConnections === 1, 'a RESUME after op 7');
    expect(fake.resumes.slice(resumes)).toEqual([expect.objectContaining({ token: FAKE_TOKEN, resumed: true })]);
    expect(fake.identifies).toHaveLength(identifies);
    const reply = await duringReply;
    expect(reply.status).toBe(204);
    expectValidCallback(reply.body);
    await expectAnswering(fake);
    // Exactly one callback each: no second answer to a replayed event.
    expect(fake.callbacks.slice(callbacks).map((c) => [c.interactionId, c.status])).toEqual([
      [during.id, 204],
      [expect.any(String), 204],
    ]);
  });
});

// Last on the shared bot: @discordjs/ws spaces IDENTIFYs 5 s apart (max_concurrency 1), so a new
// IDENTIFY waits out what is left of the 5 s since the first one; the tests above use that time.
describe('the gateway invalidates the session', () => {
  it('identifies anew when the session is invalidated (op 9, not resumable), and answers the next interaction', async () => {
    const identifies = fake.identifies.length;
    const resumes = fake.resumes.length;
    fake.invalidateSession(false);
    await until(() => fake.identifies.length > identifies && fake.identifiedConnections === 1, 'a new IDENTIFY after op 9');
    expect(fake.identifies.slice(identifies)).toEqual([expect.objectContaining({ token: FAKE_TOKEN, intents: 1 })]);
    expect(fake.resumes).toHaveLength(resumes);
    await expectAnswering(fake);
  });
});

describe('SIGTERM during a burst of interactions', () => {
  it('answers every interaction received before the signal, then exits 0 within 5 s', async () => {
    const shutdownBot = botForShutdown;
    if (!shutdownBot) throw new Error('the bot did not start');
    const slow = 6;
    for (let i = 0; i < slow; i++) fakeForShutdown.delayNext('/interactions/', 300);
    const payloads: APIInteraction[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 4 === 0) payloads.push(autocompleteInteraction('search', { query: 'ku' }, 'query'));
      else if (i % 4 === 1) payloads.push(commandInteraction('search', { query: 'kafka' }));
      else if (i % 4 === 2) payloads.push(commandInteraction('category', { name: 'devops' }));
      else payloads.push(commandInteraction('help', {}));
    }
    const replies = payloads.map((p) => fakeForShutdown.dispatchInteraction(p, { timeoutMs: 6000 }));
    // Every interaction has reached the bot (its callback is on the way); the slow ones are held by the fake.
    await until(
      () => payloads.every((p) => callbackRequests(fakeForShutdown, p.id).length > 0),
      'a callback request for every interaction',
    );
    expect(fakeForShutdown.callbacks.length).toBeLessThanOrEqual(20 - slow);
    const signalled = performance.now();
    shutdownBot.child.kill('SIGTERM');
    const answers = await Promise.all(replies);
    for (const answer of answers) {
      expect(answer.status).toBe(204);
      expectValidCallback(answer.body);
    }
    expect(answers.map((a) => a.interactionId)).toEqual(payloads.map((p) => p.id));
    expect(await shutdownBot.exit).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5000);
    const lines = logLines(shutdownBot);
    expect(lines.filter((l) => l['msg'] === 'shutting down')).toEqual([expect.objectContaining({ signal: 'SIGTERM' })]);
    expect(lines.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50)).toEqual([]);
    expect(fakeForShutdown.callbacks.map((c) => c.status)).toEqual(new Array(20).fill(204));
  });

  it('answers an interaction that reaches the bot after the signal while it is still connected', async () => {
    // Discord keeps sending interactions until the gateway closes, and one written just before the
    // signal can be read just after it; both must be answered, not dropped in silence.
    const graceBot = botForGrace;
    if (!graceBot) throw new Error('the bot did not start');
    fakeForGrace.delayNext('/interactions/', 1000);
    const slow = commandInteraction('help', {});
    const slowReply = fakeForGrace.dispatchInteraction(slow);
    await until(() => callbackRequests(fakeForGrace, slow.id).length > 0, 'the slow callback request');
    const signalled = performance.now();
    graceBot.child.kill('SIGTERM');
    await until(() => graceBot.output().includes('"msg":"shutting down"'), 'the shutting down line');
    expect(fakeForGrace.identifiedConnections).toBe(1);
    const late = commandInteraction('search', { query: 'kafka' });
    const lateReply = fakeForGrace.dispatchInteraction(late, { timeoutMs: 2000 }).catch((error: unknown) => error);
    expect((await slowReply).status).toBe(204);
    expect(await graceBot.exit).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5000);
    const answer = await lateReply;
    expect(answer).toMatchObject({ interactionId: late.id, status: 204 });
    expectValidCallback((answer as { body: unknown }).body);
  });
});
