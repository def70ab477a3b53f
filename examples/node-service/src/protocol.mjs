/**
 * The example protocol shared by the Node service, the edge worker and the
 * clients (browser, .NET, Kotlin). Runtime-neutral on purpose: no `node:`
 * imports, only @hybridkem packages and WebCrypto, so the same file runs in
 * Node, browsers and workerd.
 *
 *   client                                   service
 *   sealRequest({message, replyTo}) ──────▶  answerSealedRequest()
 *                                   ◀──────  sealed {echo, length, servedBy, keyId}
 *   openResponse()
 *
 * Requests and responses are one-shot sealed messages (spec/WIRE-FORMAT.md §7,
 * HPKE base mode, HKDF-SHA256, ChaCha20-Poly1305).
 * @module
 */
import { armor, createKem, dearmor, decodePrivateKey, decodePublicKey, encodePrivateKey, encodePublicKey, HybridKemError } from '@hybridkem/core';
import { createHpkeSuite, open, seal } from '@hybridkem/seal';

const utf8 = new TextEncoder();

/**
 * The aad of a request and of a response differ, so a sealed response can
 * never be replayed to the service as a request (or the other way round):
 * it fails to authenticate under the other label.
 */
export const REQUEST_AAD = utf8.encode('hybridkem-example/v1/request');
export const RESPONSE_AAD = utf8.encode('hybridkem-example/v1/response');
/** Domain separation for /v1/kem's MAC (key confirmation, NIST SP 800-56A Rev. 3 §5.9). */
export const KEY_CONFIRMATION_LABEL = utf8.encode('hybridkem-example/v1/key-confirmation');

/** A request of 4096 characters seals to well under 64 KiB; more is refused before it is read. */
export const MAX_SEALED_REQUEST_BYTES = 65536;
/** Characters (UTF-16 code units, JavaScript's `length`) in a request's message. */
export const MAX_MESSAGE_LENGTH = 4096;
/** core's dearmor reads at most 16384 characters (MAX_ARMORED_LENGTH); the service refuses more up front. */
export const MAX_ARMORED_CIPHERTEXT_LENGTH = 16384;

/** The HPKE KDF and AEAD of every sealed message in this protocol (the KEM is the key's suite). */
const KDF = 'HKDF-SHA256';
const AEAD = 'ChaCha20-Poly1305';

/**
 * An error the protocol reports to its caller: `code` ('ERR_…') and `status`
 * (the HTTP status a service answers with). Messages never contain a key,
 * secret or plaintext.
 */
export class ExampleProtocolError extends Error {
  /**
   * @param {string} code 'ERR_…'
   * @param {number} status HTTP status
   * @param {string} message what was wrong (no secrets, no plaintext)
   * @param {{cause?: unknown}} [options]
   */
  constructor(code, status, message, options) {
    super(message, options);
    this.name = 'ExampleProtocolError';
    this.code = code;
    this.status = status;
  }
}

/** A bad request: 400 ERR_BAD_REQUEST. */
function badRequest(message, cause) {
  return new ExampleProtocolError('ERR_BAD_REQUEST', 400, message, cause === undefined ? undefined : { cause });
}

/**
 * Turns any error into an ExampleProtocolError: the library's typed errors keep
 * their code with status 400 (the input was wrong, e.g. ERR_AUTHENTICATION for a
 * tampered message); anything else is a 500 whose message is not passed on
 * (it could say anything).
 * @param {unknown} error
 * @returns {ExampleProtocolError}
 */
export function toProtocolError(error) {
  if (error instanceof ExampleProtocolError) return error;
  if (error instanceof HybridKemError) return new ExampleProtocolError(error.code, 400, error.message, { cause: error });
  return new ExampleProtocolError('ERR_INTERNAL', 500, 'internal error', { cause: error });
}

/** Reads an armored object of the expected kind; wrong text or kind is a bad request. */
function dearmorKind(text, kind, field) {
  if (typeof text !== 'string') throw badRequest(`${field}: expected an armored ${kind}`);
  let decoded;
  try {
    decoded = dearmor(text);
  } catch (error) {
    throw toProtocolError(error); // ERR_ARMOR / ERR_TRUNCATED …, with the library's message
  }
  if (decoded.kind !== kind) throw badRequest(`${field}: expected an armored ${kind}, got ${decoded.kind}`);
  return decoded.encoded;
}

function hpkeSuite(suiteName, backend) {
  return createHpkeSuite({ kem: suiteName, kdf: KDF, aead: AEAD, backend });
}

/** Seals `plaintext` to an armored public key. */
async function sealTo(armoredPublicKey, plaintext, aad, backend, field) {
  const encoded = dearmorKind(armoredPublicKey, 'publicKey', field);
  const { suite, publicKey } = decodePublicKey(encoded);
  return seal(hpkeSuite(suite.name, backend), publicKey, plaintext, { aad });
}

/**
 * Client side: a fresh X-Wing reply key pair, both halves armored. The service
 * seals its response to `replyTo`; `privateKey` opens it (openResponse). The
 * raw private key bytes are wiped once armored.
 * @param {import('@hybridkem/core').Backend} backend
 * @returns {{replyTo: string, privateKey: string}}
 */
export function createReplyKey(backend) {
  const pair = createKem('X-Wing', backend).keygen();
  const replyTo = armor(encodePublicKey('X-Wing', pair.publicKey));
  const encodedPrivate = encodePrivateKey('X-Wing', pair.privateKey);
  pair.privateKey.fill(0);
  const privateKey = armor(encodedPrivate);
  encodedPrivate.fill(0);
  return { replyTo, privateKey };
}

/**
 * Client side: seals `{message, replyTo}` to the service's armored public key.
 * @param {{backend: import('@hybridkem/core').Backend, serviceKey: string, message: string, replyTo: string}} args
 *   serviceKey: the service's armored public key (GET /v1/public-key);
 *   replyTo: the client's own armored public key, the response is sealed to it
 * @returns {Promise<Uint8Array>} the body of POST /v1/sealed
 */
export async function sealRequest({ backend, serviceKey, message, replyTo }) {
  checkMessage(message);
  dearmorKind(replyTo, 'publicKey', 'replyTo'); // fail here rather than at the service
  const plaintext = utf8.encode(JSON.stringify({ message, replyTo }));
  return sealTo(serviceKey, plaintext, REQUEST_AAD, backend, 'serviceKey');
}

function checkMessage(message) {
  if (typeof message !== 'string' || message.length === 0) throw badRequest('message: expected a non-empty string');
  if (message.length > MAX_MESSAGE_LENGTH) {
    throw badRequest(`message: at most ${MAX_MESSAGE_LENGTH} characters, got ${message.length}`);
  }
}

/**
 * Server side (node-service and edge-worker): opens a sealed request, checks
 * it and returns the sealed response.
 * @param {Uint8Array} sealed the request body
 * @param {{
 *   backend: import('@hybridkem/core').Backend,
 *   open: (sealed: Uint8Array, aad: Uint8Array) => Promise<Uint8Array>,
 *   servedBy: 'node-service' | 'edge-worker',
 *   keyId: string,
 *   onMessage?: (message: string) => void,
 * }} options open: opens with the service's private key (e.g. seal's openFrom);
 *   onMessage: called with each authenticated message (for tests and metrics)
 * @returns {Promise<Uint8Array>} the response body
 * @throws {ExampleProtocolError} 400 with the library's code (ERR_AUTHENTICATION …) or ERR_BAD_REQUEST
 */
export async function answerSealedRequest(sealed, { backend, open: openSealed, servedBy, keyId, onMessage }) {
  let plaintext;
  try {
    plaintext = await openSealed(sealed, REQUEST_AAD);
  } catch (error) {
    throw toProtocolError(error);
  }
  let request;
  try {
    // fatal: invalid UTF-8 is refused, not replaced.
    request = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    // JSON.parse's message quotes the input, i.e. plaintext: say only what was wrong.
    throw badRequest('the sealed request is not UTF-8 JSON');
  } finally {
    plaintext.fill(0);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw badRequest('the sealed request is not a JSON object');
  }
  const { message, replyTo } = request;
  checkMessage(message);
  if (typeof replyTo !== 'string') throw badRequest('replyTo: expected an armored public key');
  onMessage?.(message);
  const response = { echo: message, length: message.length, servedBy, keyId };
  try {
    return await sealTo(replyTo, utf8.encode(JSON.stringify(response)), RESPONSE_AAD, backend, 'replyTo');
  } catch (error) {
    throw toProtocolError(error);
  }
}

/**
 * Client side: opens a sealed response with the client's armored private key.
 * @param {Uint8Array} sealed the response body
 * @param {{backend: import('@hybridkem/core').Backend, privateKey: string}} args
 * @returns {Promise<{echo: string, length: number, servedBy: string, keyId: string}>}
 */
export async function openResponse(sealed, { backend, privateKey }) {
  const encoded = dearmorKind(privateKey, 'privateKey', 'privateKey');
  const { suite, privateKey: seed } = decodePrivateKey(encoded);
  encoded.fill(0);
  let plaintext;
  try {
    plaintext = await open(hpkeSuite(suite.name, backend), seed, sealed, { aad: RESPONSE_AAD });
  } finally {
    seed.fill(0);
  }
  let response;
  try {
    response = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw badRequest('the sealed response is not UTF-8 JSON');
  }
  if (typeof response?.echo !== 'string' || typeof response.length !== 'number') {
    throw badRequest('the sealed response lacks echo or length');
  }
  return response;
}

/**
 * Server side, POST /v1/kem: decapsulates an armored ciphertext object and
 * proves the service got the shared secret without revealing it:
 * confirmation = HMAC-SHA256(key = shared secret, KEY_CONFIRMATION_LABEL ‖ ciphertext object bytes).
 * @param {string} armoredCiphertext
 * @param {{decapsulate: (ciphertextObject: Uint8Array) => Uint8Array | Promise<Uint8Array>, keyId: string}} options
 *   decapsulate: takes the wire ciphertext object, checks its suite, returns the shared secret
 * @returns {Promise<{keyId: string, confirmation: string}>} confirmation in base64
 */
export async function confirmKey(armoredCiphertext, { decapsulate, keyId }) {
  if (typeof armoredCiphertext !== 'string' || armoredCiphertext.length > MAX_ARMORED_CIPHERTEXT_LENGTH) {
    throw badRequest(`expected an armored ciphertext of at most ${MAX_ARMORED_CIPHERTEXT_LENGTH} characters`);
  }
  const object = dearmorKind(armoredCiphertext, 'ciphertext', 'ciphertext');
  let secret;
  try {
    secret = await decapsulate(object);
  } catch (error) {
    throw toProtocolError(error);
  }
  try {
    const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const data = new Uint8Array(KEY_CONFIRMATION_LABEL.length + object.length);
    data.set(KEY_CONFIRMATION_LABEL);
    data.set(object, KEY_CONFIRMATION_LABEL.length);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
    return { keyId, confirmation: toBase64(mac) };
  } finally {
    secret.fill(0);
  }
}

/** Standard base64 without Buffer (not in browsers) or Uint8Array.prototype.toBase64 (not everywhere yet). */
function toBase64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
