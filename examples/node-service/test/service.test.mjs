/**
 * The service over HTTP: a round trip through the CLI client, a client on
 * another backend (@hybridkem/noble), /v1/kem checked with node:crypto, the
 * error answers and CORS.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { getBackend } from '@hybridkem/auto';
import { armor, createKem, dearmor, decodePublicKey, encodeCiphertext, keyId } from '@hybridkem/core';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { createHpkeSuite, seal } from '@hybridkem/seal';
import { openResponse, sealRequest } from '../src/protocol.mjs';
import { startService } from '../src/service.mjs';
import { get, noble, nobleClientKeys, post, postPartial, removeDir, tempDir } from './helpers.mjs';

const CLIENT = fileURLToPath(new URL('../src/client.mjs', import.meta.url));
const SERVER = fileURLToPath(new URL('../src/server.mjs', import.meta.url));
// The labels as design.md states them, not imported from the code under test.
const REQUEST_AAD = new TextEncoder().encode('hybridkem-example/v1/request');
const CONFIRMATION_LABEL = 'hybridkem-example/v1/key-confirmation';
const SECRET_MESSAGE = 'plaintext-marker-7f3a: must never appear in an error';

/** Seals arbitrary plaintext bytes to the service key with noble, as a request would be. */
async function sealRaw(serviceKey, plaintext) {
  const { suite, publicKey } = decodePublicKey(dearmor(serviceKey).encoded);
  const hpke = createHpkeSuite({ kem: suite.name, kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend: noble });
  return seal(hpke, publicKey, new TextEncoder().encode(plaintext), { aad: REQUEST_AAD });
}

describe('node-service', () => {
  let dir;
  let service;
  const seen = [];

  before(async () => {
    dir = await tempDir();
    service = await startService({ keyDir: dir, onMessage: (m) => seen.push(m) });
  });
  after(async () => {
    await service?.close();
    await removeDir(dir);
  });

  it('serves its armored public key with the key id core computes for it', async () => {
    const res = await get(`${service.url}/v1/public-key`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const text = await res.text();
    const { kind, encoded } = dearmor(text);
    assert.equal(kind, 'publicKey');
    assert.equal(decodePublicKey(encoded).suite.name, 'X-Wing');
    assert.equal(res.headers.get('x-hybridkem-key-id'), keyId(encoded));
    assert.equal(service.keyId, keyId(encoded));
    assert.equal(res.headers.get('access-control-allow-origin'), null, 'no CORS without allowOrigin');
  });

  it('answers /healthz', async () => {
    const res = await get(`${service.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
  });

  it('round trip through src/client.mjs: the echo printed is the message sent', async () => {
    const message = 'hello from the CLI client — ünïcödé';
    const child = spawnProcess(process.execPath, [CLIENT, '--url', service.url, '--message', message], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      const [code] = await Promise.race([
        once(child, 'exit'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('client did not exit within 20 s')), 20_000).unref()),
      ]);
      assert.equal(code, 0, `client failed: ${err}`);
      assert.equal(out, `${message}\n`);
      assert.ok(seen.includes(message), 'the service saw the message');
    } finally {
      await stopProcess(child);
    }
  });

  it('the CLI client fails with one line and exit code 1 when the service is not there', async () => {
    const child = spawnProcess(process.execPath, [CLIENT, '--url', 'http://127.0.0.1:1', '--message', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      const [code] = await Promise.race([
        once(child, 'exit'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('client did not exit within 20 s')), 20_000).unref()),
      ]);
      assert.equal(code, 1);
      assert.match(err, /^client: .+\n$/);
    } finally {
      await stopProcess(child);
    }
  });

  it('sealRequest/openResponse with @hybridkem/noble on the client side', async () => {
    // Two implementations: the service runs on auto's choice, which must not be noble here.
    assert.notEqual((await getBackend()).name, 'noble', 'auto chose noble: the client and the service would share an implementation');
    const serviceKey = await (await get(`${service.url}/v1/public-key`)).text();
    const { replyTo, privateKey } = nobleClientKeys();
    const message = 'noble client, native/auto service';
    const body = await sealRequest({ backend: noble, serviceKey, message, replyTo });
    const res = await post(`${service.url}/v1/sealed`, 'application/octet-stream', body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    const answer = await openResponse(res.bytes, { backend: noble, privateKey });
    assert.deepEqual(answer, { echo: message, length: message.length, servedBy: 'node-service', keyId: keyId(dearmor(serviceKey).encoded) });
  });

  it('/v1/kem: the confirmation is HMAC-SHA256(shared secret, label ‖ ciphertext object) as node:crypto computes it', async () => {
    const serviceKey = await (await get(`${service.url}/v1/public-key`)).text();
    const { suite, publicKey } = decodePublicKey(dearmor(serviceKey).encoded);
    const { ciphertext, sharedSecret } = createKem(suite, noble).encapsulate(publicKey);
    const object = encodeCiphertext(suite, ciphertext);
    const expected = createHmac('sha256', sharedSecret).update(CONFIRMATION_LABEL, 'utf8').update(object).digest('base64');
    const res = await post(`${service.url}/v1/kem`, 'text/plain', armor(object));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(res.text), { keyId: service.keyId, confirmation: expected });
  });

  it('/v1/kem refuses a public key where a ciphertext belongs (400) and a wrong content-type (415)', async () => {
    const serviceKey = await (await get(`${service.url}/v1/public-key`)).text();
    const wrongKind = await post(`${service.url}/v1/kem`, 'text/plain', serviceKey);
    assert.equal(wrongKind.status, 400);
    assert.equal(JSON.parse(wrongKind.text).error.code, 'ERR_BAD_REQUEST');
    const wrongType = await post(`${service.url}/v1/kem`, 'application/json', '{}');
    assert.equal(wrongType.status, 415);
    assert.equal(JSON.parse(wrongType.text).error.code, 'ERR_CONTENT_TYPE');
  });

  describe('errors', () => {
    const errorBodies = [];
    let serviceKey;
    before(async () => {
      serviceKey = await (await get(`${service.url}/v1/public-key`)).text();
    });
    after(() => {
      for (const body of errorBodies) assert.ok(!body.includes('plaintext-marker-7f3a'), `an error body echoes the message: ${body}`);
    });

    /** Asserts a JSON error answer and keeps its body for the no-plaintext check. */
    function expectError(res, status, code) {
      errorBodies.push(res.text ?? res.body);
      assert.equal(res.status, status, res.text ?? res.body);
      const { error } = JSON.parse(res.text ?? res.body);
      assert.equal(error.code, code);
      assert.equal(typeof error.message, 'string');
      return error;
    }

    it('a sealed request with one byte flipped → 400 ERR_AUTHENTICATION', async () => {
      const { replyTo } = nobleClientKeys();
      const body = await sealRequest({ backend: noble, serviceKey, message: SECRET_MESSAGE, replyTo });
      body[body.length - 20] ^= 0x01; // inside the last chunk's ciphertext
      const res = await post(`${service.url}/v1/sealed`, 'application/octet-stream', body);
      assert.equal(res.headers.get('content-type'), 'application/json');
      expectError(res, 400, 'ERR_AUTHENTICATION');
    });

    it('a 70 000-byte body → 413 before the server reads it all (content-length, and counted when chunked)', async () => {
      // Only 1000 of the 70 000 declared bytes are ever sent.
      expectError(await postPartial(`${service.url}/v1/sealed`, { declaredLength: 70_000, sentBytes: 1000 }), 413, 'ERR_TOO_LARGE');
      // Chunked, no content-length: 70 000 bytes sent, body never ended.
      expectError(await postPartial(`${service.url}/v1/sealed`, { sentBytes: 70_000 }), 413, 'ERR_TOO_LARGE');
      // The service still answers afterwards.
      assert.equal((await get(`${service.url}/healthz`)).status, 200);
    });

    it('wrong content-type → 415, GET on /v1/sealed → 405, unknown path → 404', async () => {
      expectError(await post(`${service.url}/v1/sealed`, 'application/json', '{}'), 415, 'ERR_CONTENT_TYPE');
      const res = await get(`${service.url}/v1/sealed`);
      expectError({ status: res.status, text: await res.text() }, 405, 'ERR_METHOD');
      const missing = await get(`${service.url}/v1/nothing-here`);
      expectError({ status: missing.status, text: await missing.text() }, 404, 'ERR_NOT_FOUND');
    });

    it('invalid JSON inside a valid seal → 400 ERR_BAD_REQUEST', async () => {
      const body = await sealRaw(serviceKey, `{"message": "${SECRET_MESSAGE}", "replyTo": `);
      expectError(await post(`${service.url}/v1/sealed`, 'application/octet-stream', body), 400, 'ERR_BAD_REQUEST');
    });

    it('a message of 4097 characters → 400 ERR_BAD_REQUEST; 4096 is answered', async () => {
      const { replyTo, privateKey } = nobleClientKeys();
      const tooLong = SECRET_MESSAGE + 'x'.repeat(4097 - SECRET_MESSAGE.length);
      const body = await sealRaw(serviceKey, JSON.stringify({ message: tooLong, replyTo }));
      expectError(await post(`${service.url}/v1/sealed`, 'application/octet-stream', body), 400, 'ERR_BAD_REQUEST');

      const longest = 'y'.repeat(4096);
      const ok = await post(`${service.url}/v1/sealed`, 'application/octet-stream', await sealRaw(serviceKey, JSON.stringify({ message: longest, replyTo })));
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await openResponse(ok.bytes, { backend: noble, privateKey })).length, 4096);
    });

    it('missing fields and a bad replyTo → 400', async () => {
      expectError(await post(`${service.url}/v1/sealed`, 'application/octet-stream', await sealRaw(serviceKey, JSON.stringify({ message: SECRET_MESSAGE }))), 400, 'ERR_BAD_REQUEST');
      expectError(
        await post(`${service.url}/v1/sealed`, 'application/octet-stream', await sealRaw(serviceKey, JSON.stringify({ message: SECRET_MESSAGE, replyTo: 'not armor' }))),
        400,
        'ERR_ARMOR',
      );
    });
  });
});

describe('src/server.mjs', () => {
  it('starts on --port 0, prints its URL and key id, serves the client, stops on SIGTERM', async () => {
    const dir = await tempDir();
    const server = spawnProcess(process.execPath, [SERVER, '--port', '0', '--keys', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`server printed no URL within 20 s: ${out}`)), 20_000);
        server.stdout.on('data', (c) => {
          out += c;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+) \(key id ([0-9a-f]{32})\)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        });
        server.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server exited with ${code}`));
        });
      });
      const [, url, id] = line;
      const res = await get(`${url}/v1/public-key`);
      assert.equal(res.headers.get('x-hybridkem-key-id'), id);
      assert.equal(keyId(dearmor(await res.text()).encoded), id);
    } finally {
      await stopProcess(server);
      await removeDir(dir);
    }
  });
});

describe('node-service with allowOrigin', () => {
  let dir;
  let service;
  const origin = 'http://127.0.0.1:5173';
  before(async () => {
    dir = await tempDir();
    service = await startService({ keyDir: dir, allowOrigin: origin });
  });
  after(async () => {
    await service?.close();
    await removeDir(dir);
  });

  it('answers the CORS preflight with 204 and puts the CORS headers on every response', async () => {
    const pre = await get(`${service.url}/v1/sealed`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), origin);
    assert.match(pre.headers.get('access-control-allow-methods'), /\bPOST\b/);
    assert.match(pre.headers.get('access-control-allow-headers'), /content-type/i);

    const key = await get(`${service.url}/v1/public-key`, { headers: { origin } });
    assert.equal(key.headers.get('access-control-allow-origin'), origin);
    assert.equal(key.headers.get('access-control-expose-headers'), 'x-hybridkem-key-id');

    const error = await get(`${service.url}/nowhere`, { headers: { origin } });
    assert.equal(error.status, 404);
    assert.equal(error.headers.get('access-control-allow-origin'), origin);
  });
});
