// @ts-check
/**
 * Browser client of examples/node-service: generates an ephemeral X-Wing reply key in the page,
 * seals the typed message to the service key and opens the sealed reply. The service URL comes
 * from `?service=http://127.0.0.1:PORT`.
 */
// @hybridkem/auto re-exports @hybridkem/core, so one dependency gives both.
import { getBackend } from '@hybridkem/auto';
import { createReplyKey, openResponse, sealRequest } from '@hybridkem/example-node-service/protocol';

const TIMEOUT_MS = 10_000; // bound every network wait
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const service = (new URLSearchParams(location.search).get('service') ?? '').replace(/\/+$/, '');

/** @param {string} message */
async function roundTrip(message) {
  const backend = await getBackend(); // wasm if it loads, else noble
  $('backend').textContent = backend.name;
  // Ephemeral reply key: lives only in this page; the private half never leaves it.
  const { replyTo, privateKey } = createReplyKey(backend);

  const keyResponse = await fetch(`${service}/v1/public-key`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!keyResponse.ok) throw new Error(`GET /v1/public-key: HTTP ${keyResponse.status}`);
  $('key-id').textContent = keyResponse.headers.get('x-hybridkem-key-id') ?? '';
  const serviceKey = await keyResponse.text();

  const body = await sealRequest({ backend, serviceKey, message, replyTo });
  const response = await fetch(`${service}/v1/sealed`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`POST /v1/sealed: HTTP ${response.status}`);
  const reply = await openResponse(new Uint8Array(await response.arrayBuffer()), { backend, privateKey });
  $('reply').textContent = reply.echo;
}

$('form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('error').textContent = '';
  $('reply').textContent = '';
  // Errors carry a code and a message, never the plaintext.
  roundTrip(/** @type {HTMLInputElement} */ ($('message')).value).catch((error) => {
    $('error').textContent = `${error?.code ?? 'ERR'}: ${error?.message ?? error}`;
  });
});
