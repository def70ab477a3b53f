/**
 * The example service as a Cloudflare-Workers-style module worker (workerd):
 * GET /v1/public-key and POST /v1/sealed of examples/node-service, answered
 * with the same protocol code (answerSealedRequest) and servedBy "edge-worker".
 *
 * Bindings: PRIVATE_KEY (secret text, the armored X-Wing private key) and
 * PUBLIC_KEY (text, its armored public key). The backend comes from
 * @hybridkem/auto's workerd entry (WebAssembly, else pure JavaScript); every
 * response names it in `x-hybridkem-backend`.
 * @module
 */
import { getBackend } from '@hybridkem/auto';
import { dearmor, decodePrivateKey, keyId as computeKeyId } from '@hybridkem/core';
import { createHpkeSuite, open } from '@hybridkem/seal';
import {
  answerSealedRequest,
  ExampleProtocolError,
  MAX_SEALED_REQUEST_BYTES,
  toProtocolError,
} from '@hybridkem/example-node-service/protocol';

/** One key per isolate: decoded on the first request, reused after. */
let keyPromise;

/**
 * @param {{PRIVATE_KEY?: string, PUBLIC_KEY?: string}} env
 * @returns {Promise<{backend: import('@hybridkem/core').Backend, keyId: string, publicKey: string, open: (sealed: Uint8Array, aad: Uint8Array) => Promise<Uint8Array>}>}
 */
function loadKey(env) {
  if (keyPromise) return keyPromise;
  keyPromise = (async () => {
    if (typeof env.PRIVATE_KEY !== 'string' || typeof env.PUBLIC_KEY !== 'string') {
      // A deployment error, not the client's: 500, and the message names only the binding.
      throw new ExampleProtocolError('ERR_CONFIG', 500, 'the worker needs the PRIVATE_KEY and PUBLIC_KEY text bindings');
    }
    const backend = await getBackend();
    const publicObject = dearmor(env.PUBLIC_KEY);
    const privateObject = dearmor(env.PRIVATE_KEY);
    if (publicObject.kind !== 'publicKey' || privateObject.kind !== 'privateKey') {
      throw new ExampleProtocolError('ERR_CONFIG', 500, 'PUBLIC_KEY / PRIVATE_KEY bindings hold the wrong kind of armored object');
    }
    const { suite, privateKey } = decodePrivateKey(privateObject.encoded);
    privateObject.encoded.fill(0);
    // HPKE suite of the example protocol (design: HKDF-SHA256, ChaCha20-Poly1305).
    const hpke = createHpkeSuite({ kem: suite.name, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
    return {
      backend,
      keyId: computeKeyId(publicObject.encoded),
      publicKey: env.PUBLIC_KEY,
      open: (sealed, aad) => open(hpke, privateKey, sealed, { aad }),
    };
  })();
  // A failed load is not cached: the next request tries again.
  keyPromise.catch(() => {
    keyPromise = undefined;
  });
  return keyPromise;
}

/**
 * Reads at most `limit` bytes of the body: a declared content-length over the
 * limit is refused before reading, and the count is checked while reading
 * (a chunked body has no content-length).
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<Uint8Array>}
 */
async function readBounded(request, limit) {
  const tooLarge = () => new ExampleProtocolError('ERR_TOO_LARGE', 413, `the body exceeds ${limit} bytes`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A JSON error body; the message says what was wrong and never quotes the request. */
function errorResponse(error, headers) {
  const e = toProtocolError(error);
  return Response.json({ error: { code: e.code, message: e.message } }, { status: e.status, headers });
}

export default {
  /**
   * @param {Request} request
   * @param {{PRIVATE_KEY?: string, PUBLIC_KEY?: string}} env
   */
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const headers = new Headers();
    try {
      const key = await loadKey(env);
      headers.set('x-hybridkem-backend', key.backend.name);
      if (pathname === '/v1/public-key' || pathname === '/healthz') {
        if (request.method !== 'GET') throw new ExampleProtocolError('ERR_METHOD', 405, `${pathname} accepts GET only`);
        if (pathname === '/healthz') return new Response('ok', { headers });
        headers.set('content-type', 'text/plain; charset=utf-8');
        headers.set('x-hybridkem-key-id', key.keyId);
        return new Response(key.publicKey, { headers });
      }
      if (pathname === '/v1/sealed') {
        if (request.method !== 'POST') throw new ExampleProtocolError('ERR_METHOD', 405, '/v1/sealed accepts POST only');
        const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
        if (type !== 'application/octet-stream') {
          throw new ExampleProtocolError('ERR_CONTENT_TYPE', 415, '/v1/sealed expects application/octet-stream');
        }
        const sealed = await readBounded(request, MAX_SEALED_REQUEST_BYTES);
        const answer = await answerSealedRequest(sealed, {
          backend: key.backend,
          open: key.open,
          servedBy: 'edge-worker',
          keyId: key.keyId,
        });
        headers.set('content-type', 'application/octet-stream');
        return new Response(answer, { headers });
      }
      throw new ExampleProtocolError('ERR_NOT_FOUND', 404, 'no such path');
    } catch (error) {
      return errorResponse(error, headers);
    }
  },
};
