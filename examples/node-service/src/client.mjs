#!/usr/bin/env node
/**
 * Sends one sealed message to the example service and prints the echo:
 *
 *   node src/client.mjs --url http://127.0.0.1:8080 --message "hello"
 *
 * It makes a fresh key pair for the reply (used once, never stored), fetches
 * the service's public key, seals {message, replyTo} to it and opens the
 * sealed response. On failure: one line on stderr and exit code 1.
 * @module
 */
import { parseArgs } from 'node:util';
import { getBackend } from '@hybridkem/auto';
import { createReplyKey, openResponse, sealRequest } from './protocol.mjs';

const TIMEOUT_MS = 10_000;

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string' }, message: { type: 'string' } } });
  if (!values.url || values.message === undefined) throw new Error('usage: client.mjs --url URL --message TEXT');
  const base = values.url.replace(/\/+$/, '');
  const backend = await getBackend();

  // The reply key: the service seals its response to this public key.
  const { replyTo, privateKey } = createReplyKey(backend);

  const keyResponse = await fetch(`${base}/v1/public-key`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!keyResponse.ok) throw new Error(`GET /v1/public-key: ${await describe(keyResponse)}`);
  const serviceKey = await keyResponse.text();

  const body = await sealRequest({ backend, serviceKey, message: values.message, replyTo });
  const response = await fetch(`${base}/v1/sealed`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`POST /v1/sealed: ${await describe(response)}`);
  const result = await openResponse(new Uint8Array(await response.arrayBuffer()), { backend, privateKey });
  // The service's key id is inside the authenticated response: it must be the key we sealed to.
  const keyId = keyResponse.headers.get('x-hybridkem-key-id');
  if (keyId && result.keyId !== keyId) throw new Error(`the response names key ${result.keyId}, not ${keyId}`);
  console.log(result.echo);
}

/** "413 ERR_TOO_LARGE: …" from a JSON error body, else the status. */
async function describe(response) {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text);
    return `${response.status} ${error.code}: ${error.message}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

try {
  await main();
} catch (error) {
  console.error(`client: ${error.code ? `${error.code}: ` : ''}${error.message}`);
  process.exit(1);
}
