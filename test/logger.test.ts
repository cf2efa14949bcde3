import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeError, withoutSecrets, withoutSecretValues } from '../src/logger.js';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('log lines', () => {
  it('redact secrets at the top level and one level down, and leave the caller’s object alone', () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    const fields = { token: 'abc', interaction: { id: '1', token: 'def' }, headers: { authorization: 'Bot xyz' }, keep: 'ok' };
    logger.info(fields, 'hello');
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      interaction: { id: '1', token: '[redacted]' },
      headers: { authorization: '[redacted]' },
      keep: 'ok',
      msg: 'hello',
    });
    expect(fields.token).toBe('abc');
    expect(fields.interaction.token).toBe('def');
  });

  it('return a line without secrets as it is, so the common line costs no copy', () => {
    const fields = { interaction: '1', command: 'search', options: { query: 'kube' } };
    expect(withoutSecrets(fields)).toBe(fields);
  });

  it('log errors with tokens cut out of Discord URLs', () => {
    const { stream, lines } = capture();
    const error = Object.assign(new Error('failed POST /api/v10/interactions/123/aW50ZXJhY3Rpb24/callback'), { status: 500 });
    createLogger('info', stream).error({ err: error }, 'could not send');
    const err = lines()[0]?.['err'] as Record<string, unknown>;
    expect(err['message']).toBe('failed POST /api/v10/interactions/123/[redacted]/callback');
    expect(err['status']).toBe(500);
    expect(safeError('PATCH /webhooks/9/aW50/messages/@original').message).toBe('PATCH /webhooks/9/[redacted]/messages/@original');
  });

  it('cut the bot token out wherever it appears: an error body echoing the Authorization header, a message, any field', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const { stream, lines } = capture();
    const logger = createLogger('info', stream, [token, undefined]);
    const echoed = Object.assign(new Error(`401: invalid header Authorization: Bot ${token}`), { rawError: { echoed: `Bot ${token}` } });
    logger.error({ err: echoed, note: `token=${token}`, nested: { deep: { deeper: token } } }, `sent Bot ${token}`);
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain(token);
    expect(line).toMatchObject({
      msg: 'sent Bot [redacted]',
      note: 'token=[redacted]',
      nested: { deep: { deeper: '[redacted]' } },
      err: { message: '401: invalid header Authorization: Bot [redacted]' },
    });
    expect(withoutSecretValues('a line without it', [token])).toBe('a line without it');
  });
});
