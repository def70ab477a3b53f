/** Shared by the tests: temp key directories, a noble client key pair, bounded HTTP. */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armor, createKem, encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { backend as noble } from '@hybridkem/noble';

export { noble };

/** A fresh directory for a key store; remove it with `removeDir`. */
export const tempDir = () => mkdtemp(join(tmpdir(), 'hybridkem-node-service-'));
export const removeDir = (dir) => rm(dir, { recursive: true, force: true });

/** A client key pair made with @hybridkem/noble (not the service's backend), armored. */
export function nobleClientKeys() {
  const kem = createKem('X-Wing', noble);
  const pair = kem.keygen();
  return {
    replyTo: armor(encodePublicKey('X-Wing', pair.publicKey)),
    privateKey: armor(encodePrivateKey('X-Wing', pair.privateKey)),
  };
}

/** fetch with a 10 s bound. */
export const get = (url, init = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });

/** POST `body` with `type`; returns {status, headers, bytes, text}. */
export async function post(url, type, body) {
  const res = await get(url, { method: 'POST', headers: { 'content-type': type }, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder().decode(bytes) };
}

/**
 * Sends headers claiming `declaredLength` bytes (or chunked, when undefined)
 * and then only `sentBytes`, never ending the body: a server that waits for
 * the whole body never answers, so the 5 s bound fails the test.
 * @returns {Promise<{status: number, body: string}>}
 */
export function postPartial(url, { declaredLength, sentBytes }) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/octet-stream' };
    if (declaredLength !== undefined) headers['content-length'] = String(declaredLength);
    const req = request(url, { method: 'POST', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no response within 5 s: the server waited for the rest of the body'));
    }, 5_000);
    req.once('response', (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.once('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') });
      });
      res.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    req.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.write(Buffer.alloc(sentBytes, 0x61));
  });
}
