/** The platform CSPRNG (WebCrypto `getRandomValues`, present in Node, browsers, Deno, Bun, workerd). */
import { HybridKemError } from './errors.js';

const MAX_CHUNK = 65536; // getRandomValues' per-call quota

export function randomBytes(length: number): Uint8Array {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c?.getRandomValues) {
    throw new HybridKemError('ERR_INVALID_ARGUMENT', 'randomness: crypto.getRandomValues is not available on this platform');
  }
  const out = new Uint8Array(length);
  for (let o = 0; o < length; o += MAX_CHUNK) c.getRandomValues(out.subarray(o, Math.min(length, o + MAX_CHUNK)));
  return out;
}
