import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Shutdown, SHUTDOWN_DEADLINE_MS, type ShutdownOptions } from '../src/shutdown.js';

/** A shutdown on a test emitter, with what it logged and the exit codes it asked for. */
function shutdownFor(options: ShutdownOptions = {}) {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, fields: fields as Record<string, unknown>, msg });
  const log = { info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') };
  const signals = new EventEmitter();
  const exits: number[] = [];
  const shutdown = new Shutdown(log as never, { signals, exit: (code) => void exits.push(code), ...options });
  return { shutdown, lines, signals, exits };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('the shutdown', () => {
  it('runs the steps phase by phase, whatever order they were registered in, each once', async () => {
    const { shutdown } = shutdownFor();
    const ran: string[] = [];
    const step = (name: string) => () => void ran.push(name);
    shutdown.add('logs', 'flush logs', step('flush logs'));
    shutdown.add('catalog', 'close the catalog watch', step('close the catalog watch'));
    shutdown.add('jobs', 'stop the daily post', step('stop the daily post'));
    // The drain takes a while: nothing after it starts before it ends.
    shutdown.add('drain', 'drain in-flight answers', async () => {
      await tick();
      ran.push('drain in-flight answers');
    });
    shutdown.add('storage', 'close the storage', step('close the storage'));
    shutdown.add('accept', 'stop accepting', step('stop accepting'));
    shutdown.add('catalog', 'close the reload', step('close the reload'));
    await Promise.all([shutdown.stop(), shutdown.stop()]);
    expect(ran).toEqual([
      'stop accepting',
      'drain in-flight answers',
      'stop the daily post',
      'close the catalog watch',
      'close the reload',
      'close the storage',
      'flush logs',
    ]);
  });

  it('logs a step that fails, names it, and runs the ones after it', async () => {
    const { shutdown, lines } = shutdownFor();
    const ran: string[] = [];
    shutdown.add('drain', 'disconnecting', () => Promise.reject(new Error('socket hang up')));
    shutdown.add('catalog', 'closing the catalog', () => void ran.push('catalog'));
    await shutdown.stop();
    expect(ran).toEqual(['catalog']);
    expect(lines).toEqual([
      { level: 'error', fields: { err: new Error('socket hang up'), step: 'disconnecting' }, msg: 'error while stopping: disconnecting' },
    ]);
  });

  it('gives up waiting at the deadline: names the step still running, starts the ones left, and says it timed out', async () => {
    vi.useFakeTimers();
    const { shutdown, lines } = shutdownFor();
    const ran: string[] = [];
    shutdown.add('drain', 'disconnecting', () => new Promise<void>(() => undefined));
    shutdown.add('catalog', 'closing the catalog', () => void ran.push('catalog'));
    let done = false;
    void shutdown.stop().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(SHUTDOWN_DEADLINE_MS - 1);
    expect({ done, ran, timedOut: shutdown.timedOut }).toEqual({ done: false, ran: [], timedOut: false });
    await vi.advanceTimersByTimeAsync(1);
    expect({ done, ran, timedOut: shutdown.timedOut }).toEqual({ done: true, ran: ['catalog'], timedOut: true });
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { step: 'disconnecting', deadlineMs: SHUTDOWN_DEADLINE_MS },
        msg: 'stopped at the deadline while disconnecting',
      },
    ]);
  });

  it('does not time out when every step ends in time', async () => {
    vi.useFakeTimers();
    const { shutdown, lines } = shutdownFor({ deadlineMs: 100 });
    shutdown.add('drain', 'disconnecting', () => new Promise<void>((resolve) => setTimeout(resolve, 99)));
    const stopped = shutdown.stop();
    await vi.advanceTimersByTimeAsync(200);
    await stopped;
    expect({ timedOut: shutdown.timedOut, lines }).toEqual({ timedOut: false, lines: [] });
  });

  it('starts on SIGTERM or SIGINT once listening, announcing the signal once', async () => {
    const announced: string[] = [];
    const { shutdown, signals } = shutdownFor({ announce: (signal) => void announced.push(signal) });
    const ran: string[] = [];
    shutdown.add('drain', 'disconnecting', () => void ran.push('drain'));
    signals.emit('SIGTERM');
    // Not listening yet: the signal is not its business.
    expect(shutdown.started).toBe(false);
    const stopped = shutdown.untilStopped();
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    expect(await stopped).toEqual({ signal: 'SIGTERM' });
    expect({ announced, ran }).toEqual({ announced: ['SIGTERM'], ran: ['drain'] });
  });

  it('logs the bots’ "shutting down" line with the signal by default', async () => {
    const { shutdown, signals, lines } = shutdownFor();
    const stopped = shutdown.untilStopped();
    signals.emit('SIGINT');
    await stopped;
    expect(lines).toEqual([{ level: 'info', fields: { signal: 'SIGINT' }, msg: 'shutting down' }]);
  });

  it('on an uncaught error: logs it as fatal, runs the steps, then exits 1', async () => {
    const { shutdown, signals, lines, exits } = shutdownFor();
    const ran: string[] = [];
    shutdown.add('drain', 'disconnecting', async () => {
      await tick();
      ran.push('drain');
      expect(exits).toEqual([]);
    });
    shutdown.listen();
    signals.emit('uncaughtException', new Error('boom'));
    expect(await shutdown.stopping).toEqual({ fatal: true });
    await shutdown.stop();
    await tick();
    expect({ ran, exits }).toEqual({ ran: ['drain'], exits: [1] });
    expect(lines).toEqual([{ level: 'fatal', fields: { err: new Error('boom') }, msg: 'uncaught error, stopping: boom' }]);
  });

  it('runs a step added once the stop has started at once: what starts late is still stopped', async () => {
    const { shutdown } = shutdownFor();
    await shutdown.stop({ finished: true });
    const ran: string[] = [];
    shutdown.add('catalog', 'closing the catalog', () => void ran.push('catalog'));
    await tick();
    expect(ran).toEqual(['catalog']);
    expect(await shutdown.stopping).toEqual({ finished: true });
  });
});
