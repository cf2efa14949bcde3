import { Buffer } from 'node:buffer';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Discord signs with the application's Ed25519 key; a request older or newer than this is refused (replay). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** The application's public key as the developer portal shows it (64 hex characters), ready for `crypto.verify`. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a Discord public key is 64 hexadecimal characters');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * What can be checked before the body is read: both headers present and well formed, and the
 * timestamp (Unix seconds) within five minutes of `nowMs`. A forged or replayed request is
 * refused on its headers alone, so its body is never read into memory.
 */
export function checkSignatureHeaders(signature: string | undefined, timestamp: string | undefined, nowMs: number = Date.now()): Verdict {
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing signature headers' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: 'malformed signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp more than 5 minutes off' };
  return { ok: true };
}

/**
 * Checks Discord's `X-Signature-Ed25519` over `X-Signature-Timestamp` followed by the raw body,
 * as received: a re-serialised body would not match. The timestamp (Unix seconds) must be within
 * five minutes of `nowMs`. Says why a request is refused, without echoing what it sent.
 */
export function verifyDiscordRequest(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
  nowMs: number = Date.now(),
): Verdict {
  const headers = checkSignatureHeaders(signature, timestamp, nowMs);
  if (!headers.ok || signature === undefined || timestamp === undefined) return headers;
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? { ok: true } : { ok: false, reason: 'bad signature' };
}
