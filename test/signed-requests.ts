/**
 * What Discord does to reach an HTTP interactions endpoint: sign the body with the application's
 * Ed25519 key (over the timestamp followed by the raw body) and POST it. For the endpoint's tests
 * and `npm run bench`.
 */
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Signer {
  /** What DISCORD_PUBLIC_KEY takes: the raw public key, 64 hex characters. */
  publicKeyHex: string;
  /** The `X-Signature-*` headers for `body`, at `timestamp` (Unix seconds, now by default). */
  headers(body: Buffer | string, timestamp?: string): Record<string, string>;
}

/** A fresh key pair, as the developer portal gives an application one. */
export function newSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return signerOf(publicKey, privateKey);
}

function signerOf(publicKey: KeyObject, privateKey: KeyObject): Signer {
  const x = publicKey.export({ format: 'jwk' }).x ?? '';
  return {
    publicKeyHex: Buffer.from(x, 'base64url').toString('hex'),
    headers(body, timestamp = String(Math.floor(Date.now() / 1000))) {
      const signature = sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('hex');
      return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** From sending the request to the end of the answer. */
  ms: number;
}

/**
 * One request with node:http, so that tests control every byte and header (fetch adds its own).
 * `body` may be an iterable of chunks, sent with chunked encoding and no content-length. Once
 * the answer has come, an error writing the rest of the body (a server refusing a body it will
 * not read closes the connection) does not hide it; before that, it rejects.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Iterable<Buffer>; agent?: Agent } = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {}, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        // 'close' comes after 'end', and also when the connection is cut short.
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const { body } = options;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    for (const chunk of body) req.write(chunk);
    req.end();
  });
}

/** A signed POST of `payload` (an object, sent as JSON, or raw text) to the endpoint. */
export function postSigned(url: string, signer: Signer, payload: unknown, agent?: Agent): Promise<HttpAnswer> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return send(url, {
    body,
    headers: { 'content-type': 'application/json', ...signer.headers(body) },
    ...(agent ? { agent } : {}),
  });
}

/** A signed POST /interactions of `body` as raw bytes, for `sendAllAtOnce`. */
export function rawSignedRequest(signer: Signer, body: string): Buffer {
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...signer.headers(body) };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`POST /interactions HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n${body}`);
}

/**
 * Opens a connection per request first, then writes every request in one go, as a burst from
 * Discord arrives: the client's own work (signing, connecting) is not in the times, which run
 * from each request's write to the end of its answer. A connection closed without an answer
 * gives status 0.
 */
export async function sendAllAtOnce(port: number, requests: readonly Buffer[]): Promise<HttpAnswer[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < requests.length; i += 200)
    sockets.push(
      ...(await Promise.all(
        requests.slice(i, i + 200).map(
          () =>
            new Promise<Socket>((resolve) => {
              const socket = connect(port, '127.0.0.1', () => resolve(socket));
              socket.on('error', () => resolve(socket));
            }),
        ),
      )),
    );
  return Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<HttpAnswer>((resolve) => {
          const started = performance.now();
          let received = Buffer.alloc(0);
          socket.on('data', (chunk: Buffer) => {
            received = Buffer.concat([received, chunk]);
            const end = received.indexOf('\r\n\r\n');
            if (end < 0) return;
            const head = received.subarray(0, end).toString('latin1');
            const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? Number.NaN);
            if (received.length - end - 4 < length) return;
            const text = received.subarray(end + 4).toString('utf8');
            resolve({ status: Number(head.slice(9, 12)), headers: {}, text, ms: performance.now() - started });
            socket.destroy();
          });
          socket.on('close', () => resolve({ status: 0, headers: {}, text: '', ms: Number.NaN }));
          socket.write(requests[i] ?? '');
        }),
    ),
  );
}
