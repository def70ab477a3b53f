/**
 * The example HTTP service (Node `http`): publishes an X-Wing public key and
 * answers sealed requests with sealed responses (./protocol.mjs), and key
 * confirmations for clients that only have the KEM (/v1/kem).
 *
 * The private key lives in a FileKeyStore directory (mode 0600 file,
 * optionally passphrase-encrypted) and never leaves the store's `privateKey()`
 * except for the moment a request is opened. Nothing secret is logged: the
 * service logs nothing at all; callers see the URL and key id.
 * @module
 */
import { createServer } from 'node:http';
import { getBackend } from '@hybridkem/auto';
import { armor, createKem, decodeCiphertext, decodePrivateKey, encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { openFrom } from '@hybridkem/seal';
import { FileKeyStore } from '@hybridkem/seal/node';
import {
  answerSealedRequest,
  confirmKey,
  ExampleProtocolError,
  MAX_ARMORED_CIPHERTEXT_LENGTH,
  MAX_SEALED_REQUEST_BYTES,
  toProtocolError,
} from './protocol.mjs';

const KEY_NAME = 'service';
const SUITE = 'X-Wing';

/**
 * Loads the key named "service" from the store, or makes one on first start.
 * @returns {Promise<import('@hybridkem/seal').StoredKey>}
 */
async function loadOrCreateKey(store, backend, passphrase) {
  let key = await store.get(KEY_NAME);
  if (key === undefined) {
    const kem = createKem(SUITE, backend);
    const pair = kem.keygen();
    const privateKey = encodePrivateKey(SUITE, pair.privateKey);
    pair.privateKey.fill(0);
    try {
      key = await store.put({ publicKey: encodePublicKey(SUITE, pair.publicKey), privateKey, name: KEY_NAME });
    } catch (error) {
      // Another process created it first (same keyDir): use theirs.
      key = await store.get(KEY_NAME);
      if (key === undefined) throw error;
    } finally {
      privateKey.fill(0);
    }
  }
  // An encrypted key is usable only once unlocked (the one KDF run, at start-up).
  if (passphrase !== undefined) await store.unlock(KEY_NAME, passphrase);
  return key;
}

/** The media type of a content-type header, lower case, without parameters. */
function mediaType(req) {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads the request body, at most `limit` bytes: refused on content-length
 * before reading anything, and counted while reading (a chunked body has none).
 * @returns {Promise<Buffer>}
 */
function readBody(req, limit) {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new ExampleProtocolError('ERR_TOO_LARGE', 413, `the body is ${declared} bytes; at most ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const parts = [];
    let length = 0;
    const onData = (chunk) => {
      length += chunk.length;
      if (length > limit) {
        req.off('data', onData);
        req.pause(); // stop reading; the response closes the connection
        reject(new ExampleProtocolError('ERR_TOO_LARGE', 413, `the body exceeds ${limit} bytes`));
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts, length)));
    req.once('error', reject);
  });
}

/**
 * Starts the HTTP service. Keys are in a FileKeyStore under `keyDir`; on first
 * start it generates an X-Wing key named "service". `passphrase` (optional)
 * encrypts it at rest.
 * @param {{
 *   host?: string, port?: number, keyDir: string, passphrase?: string,
 *   allowOrigin?: string, backend?: import('@hybridkem/core').Backend,
 *   onMessage?: (message: string) => void,
 * }} options
 * @returns {Promise<{url: string, keyId: string, publicKey: string, close(): Promise<void>}>}
 */
export async function startService({ host = '127.0.0.1', port = 0, keyDir, passphrase, allowOrigin, backend, onMessage } = {}) {
  if (typeof keyDir !== 'string' || keyDir === '') throw new TypeError('startService: keyDir (a directory) is required');
  backend ??= await getBackend();
  const store = new FileKeyStore(keyDir, { backend, ...(passphrase !== undefined ? { passphrase } : {}) });
  const key = await loadOrCreateKey(store, backend, passphrase);
  const keyId = key.keyId;
  const publicKey = armor(key.publicKey);
  const kem = createKem(key.suite, backend);

  /** Opens with the store's private key, found by the key id in the sealed header. */
  const open = (sealed, aad) => openFrom(store, sealed, { aad, backend });

  /** /v1/kem: the ciphertext object must be for the service key's suite. */
  const decapsulate = async (object) => {
    const { suite, ciphertext } = decodeCiphertext(object);
    if (suite.id !== key.suite.id) {
      throw new ExampleProtocolError('ERR_BAD_REQUEST', 400, `ciphertext: expected suite ${key.suite.name}, got ${suite.name}`);
    }
    const encoded = await key.privateKey();
    const { privateKey } = decodePrivateKey(encoded);
    encoded.fill(0);
    try {
      return kem.decapsulate(privateKey, ciphertext);
    } finally {
      privateKey.fill(0);
    }
  };

  const cors = allowOrigin
    ? { 'access-control-allow-origin': allowOrigin, 'access-control-expose-headers': 'x-hybridkem-key-id' }
    : {};

  function send(res, status, headers, body) {
    res.writeHead(status, { ...cors, ...headers });
    res.end(body);
  }

  function sendError(res, error) {
    const e = toProtocolError(error);
    const headers = { 'content-type': 'application/json' };
    // A refused body may be partly unread: close rather than read the rest.
    if (e.status === 413) headers.connection = 'close';
    send(res, e.status, headers, JSON.stringify({ error: { code: e.code, message: e.message } }));
  }

  const methodError = (allowed) => new ExampleProtocolError('ERR_METHOD', 405, `use ${allowed}`);
  const contentTypeError = (type) => new ExampleProtocolError('ERR_CONTENT_TYPE', 415, `content-type must be ${type}`);

  async function handle(req, res) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const routes = { '/healthz': 'GET', '/v1/public-key': 'GET', '/v1/sealed': 'POST', '/v1/kem': 'POST' };
    const allowed = routes[path];
    if (allowed === undefined) throw new ExampleProtocolError('ERR_NOT_FOUND', 404, 'no such path');
    if (req.method === 'OPTIONS' && allowOrigin) {
      // CORS preflight: the browser asks before a POST with a content-type.
      send(res, 204, {
        'access-control-allow-methods': `${allowed}, OPTIONS`,
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
      return;
    }
    if (req.method !== allowed) {
      res.setHeader('allow', allowed);
      throw methodError(allowed);
    }
    switch (path) {
      case '/healthz':
        return send(res, 200, { 'content-type': 'text/plain; charset=utf-8' }, 'ok');
      case '/v1/public-key':
        return send(res, 200, { 'content-type': 'text/plain; charset=utf-8', 'x-hybridkem-key-id': keyId }, publicKey);
      case '/v1/sealed': {
        if (mediaType(req) !== 'application/octet-stream') throw contentTypeError('application/octet-stream');
        const body = await readBody(req, MAX_SEALED_REQUEST_BYTES);
        const sealed = new Uint8Array(body.buffer, body.byteOffset, body.length);
        const response = await answerSealedRequest(sealed, { backend, open, servedBy: 'node-service', keyId, onMessage });
        return send(res, 200, { 'content-type': 'application/octet-stream' }, response);
      }
      case '/v1/kem': {
        if (mediaType(req) !== 'text/plain') throw contentTypeError('text/plain');
        // Armor is ASCII: characters = bytes, so the byte bound is the character bound.
        const body = await readBody(req, MAX_ARMORED_CIPHERTEXT_LENGTH);
        const result = await confirmKey(body.toString('latin1'), { decapsulate, keyId });
        return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(result));
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    keyId,
    publicKey,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.lockAll(); // wipe the unlocked key
    },
  };
}
