import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenFailure } from '../src/observability/listen-failure.js';

function failure(code: string, message = `listen ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('listenFailure with the address HOST chose', () => {
  it('names the address and the port variable when the port is taken', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const error = await new Promise<unknown>((resolve) => createServer().once('error', resolve).listen(port, '127.0.0.1'));
    holder.close();
    expect(listenFailure(error, port, 'PORT', { host: '127.0.0.1' })).toBe(
      `PORT: port ${port} on 127.0.0.1 is already in use; stop what listens there or choose another PORT`,
    );
  });

  it('blames HOST for an address this machine does not have', () => {
    for (const code of ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(listenFailure(failure(code), 8080, 'PORT', { host: 'bot.example' })).toBe(
        'HOST: bot.example is not an address of this machine; set HOST to one of its addresses (0.0.0.0 for all)',
      );
    }
  });

  it('names the port variable for a privileged port, and keeps the message of anything else', () => {
    expect(listenFailure(failure('EACCES'), 80, 'PORT', { host: '::' })).toBe(
      'PORT: port 80 on :: needs privileges this process does not have; choose a PORT above 1023',
    );
    expect(listenFailure(failure('EMFILE', 'too many open files'), 8080, 'PORT', { host: '0.0.0.0' })).toBe(
      'PORT: cannot listen on port 8080 on 0.0.0.0: too many open files',
    );
  });

  it('words a server on every address as before, the note given alone or with no host', () => {
    const before = listenFailure(failure('EADDRINUSE'), 9101, 'METRICS_PORT', ' (METRICS_PORT 9100 + shard 1)');
    expect(before).toBe(
      'METRICS_PORT: port 9101 (METRICS_PORT 9100 + shard 1) is already in use; stop what listens there or choose another METRICS_PORT',
    );
    expect(listenFailure(failure('EADDRINUSE'), 9101, 'METRICS_PORT', { note: ' (METRICS_PORT 9100 + shard 1)' })).toBe(before);
    // Without a host, an address error is not HOST's doing.
    expect(listenFailure(failure('EADDRNOTAVAIL', 'boom'), 9100, 'METRICS_PORT')).toBe('METRICS_PORT: cannot listen on port 9100: boom');
  });
});
