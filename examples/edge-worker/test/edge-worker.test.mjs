/**
 * The edge worker in a real workerd: a key pair made here with @hybridkem/noble
 * becomes its bindings; the node-service client and this test's own
 * sealRequest/openResponse talk to it over 127.0.0.1. Under CI=true a missing
 * workerd fails the test; elsewhere it is skipped with the reason.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dearmor } from '@hybridkem/core';
import { openResponse, sealRequest } from '@hybridkem/example-node-service/protocol';
import { backend as noble } from '@hybridkem/noble';
import { makeKeyPair, startEdgeWorker } from '../src/run.mjs';
import { runtime } from '../src/runtimes.mjs';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const workerdBinary = runtime.devBinary(packageRoot, 'workerd');
const skip = runtime.shouldRun(workerdBinary, { what: 'edge-worker workerd tests' }) ? false : `workerd unusable: ${workerdBinary.reason}`;
// The client CLI sits beside the exported protocol module (src/client.mjs is not an export).
const clientScript = fileURLToPath(new URL('client.mjs', import.meta.resolve('@hybridkem/example-node-service/protocol')));

const serviceKeys = makeKeyPair(noble);
// Expected key id computed outside the worker: SHA-256 of the encoded public key, first 16 bytes (WIRE-FORMAT §4).
const expectedKeyId = createHash('sha256').update(dearmor(serviceKeys.publicKey).encoded).digest('hex').slice(0, 32);
/** @type {Awaited<ReturnType<typeof startEdgeWorker>> | undefined} */
let worker;

before(async () => {
  if (skip) return;
  runtime.assertUsable(workerdBinary); // under CI=true: missing workerd is a failure
  worker = await startEdgeWorker(serviceKeys);
}, { timeout: 150_000 });

after(async () => {
  await worker?.stop(); // stops workerd's whole process group, also after a failure
});

const timeout = () => AbortSignal.timeout(30_000);

/** A sealed request from this test (noble), with a fresh reply key. */
async function sealedRequest(message) {
  const client = makeKeyPair(noble);
  const body = await sealRequest({ backend: noble, serviceKey: serviceKeys.publicKey, message, replyTo: client.publicKey });
  return { body, client };
}

const post = (body, headers = { 'content-type': 'application/octet-stream' }) =>
  fetch(`${worker.origin}/v1/sealed`, { method: 'POST', headers, body, signal: timeout() });

test('GET /v1/public-key serves the bound key and its key id', { skip, timeout: 60_000 }, async () => {
  const res = await fetch(`${worker.origin}/v1/public-key`, { signal: timeout() });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(res.headers.get('x-hybridkem-key-id'), expectedKeyId);
  assert.equal(await res.text(), serviceKeys.publicKey);
});

test("node-service's client gets its echo back from the worker", { skip, timeout: 60_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [clientScript, '--url', worker.origin, '--message', 'hello from the edge test'], {
    timeout: 45_000,
  });
  assert.equal(stdout.trim(), 'hello from the edge test');
});

test('a sealed request is answered by the edge worker on the wasm backend', { skip, timeout: 60_000 }, async () => {
  const message = 'ping ✓ édge';
  const { body, client } = await sealedRequest(message);
  const res = await post(body);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  assert.equal(res.headers.get('x-hybridkem-backend'), 'wasm');
  const answer = await openResponse(new Uint8Array(await res.arrayBuffer()), { backend: noble, privateKey: client.privateKey });
  assert.deepEqual(answer, { echo: message, length: message.length, servedBy: 'edge-worker', keyId: expectedKeyId });
});

test('a tampered request is 400 ERR_AUTHENTICATION and does not echo', { skip, timeout: 60_000 }, async () => {
  const { body } = await sealedRequest('secret words');
  body[body.length - 1] ^= 1; // flip a bit of the AEAD tag
  const res = await post(body);
  assert.equal(res.status, 400);
  const text = await res.text();
  assert.equal(JSON.parse(text).error.code, 'ERR_AUTHENTICATION');
  assert.ok(!text.includes('secret words'));
});

test('more than 65 536 bytes is 413 ERR_TOO_LARGE', { skip, timeout: 60_000 }, async () => {
  const res = await post(new Uint8Array(65_537));
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'ERR_TOO_LARGE');
  // Without content-length (a streamed, chunked body) the count while reading refuses it too.
  const chunks = [new Uint8Array(40_000), new Uint8Array(40_000)];
  const stream = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
  const chunked = await fetch(`${worker.origin}/v1/sealed`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: stream, duplex: 'half', signal: timeout(),
  });
  assert.equal(chunked.status, 413);
  assert.equal((await chunked.json()).error.code, 'ERR_TOO_LARGE');
});

test('wrong method 405, wrong content type 415, unknown path 404', { skip, timeout: 60_000 }, async () => {
  const get = await fetch(`${worker.origin}/v1/sealed`, { signal: timeout() });
  assert.equal(get.status, 405);
  assert.equal((await get.json()).error.code, 'ERR_METHOD');
  const json = await post('{}', { 'content-type': 'application/json' });
  assert.equal(json.status, 415);
  assert.equal((await json.json()).error.code, 'ERR_CONTENT_TYPE');
  const missing = await fetch(`${worker.origin}/nope`, { signal: timeout() });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'ERR_NOT_FOUND');
});
