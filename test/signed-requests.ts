/**
 * What Discord does to reach an HTTP interactions endpoint: sign the body with the application's
 * Ed25519 key (over the timestamp followed by the raw body) and POST it. For the endpoint's tests
 * and `npm run bench`.
 */
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request, type Agent } from 'node:http';

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
 * `body` may be an iterable of chunks, sent with chunked encoding and no content-length.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Iterable<Buffer>; agent?: Agent } = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {}, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
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
