/**
 * The service's key on disk: a 0600 .key file in keyDir, the same key id
 * after a restart, and a passphrase-encrypted store whose .key file does not
 * hold the raw key.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dearmor, decodePrivateKey } from '@hybridkem/core';
import { FileKeyStore } from '@hybridkem/seal/node';
import { openResponse, sealRequest } from '../src/protocol.mjs';
import { startService } from '../src/service.mjs';
import { get, noble, nobleClientKeys, post, removeDir, tempDir } from './helpers.mjs';

const dirs = [];
const services = [];
after(async () => {
  await Promise.all(services.map((s) => s.close()));
  await Promise.all(dirs.map(removeDir));
});

async function start(options) {
  const service = await startService(options);
  services.push(service);
  return service;
}

/** One sealed round trip with a noble client; returns the opened answer. */
async function roundTrip(service, message) {
  const serviceKey = await (await get(`${service.url}/v1/public-key`)).text();
  const { replyTo, privateKey } = nobleClientKeys();
  const res = await post(`${service.url}/v1/sealed`, 'application/octet-stream', await sealRequest({ backend: noble, serviceKey, message, replyTo }));
  assert.equal(res.status, 200, res.text);
  return openResponse(res.bytes, { backend: noble, privateKey });
}

describe('key store', () => {
  it('writes <keyId>.key with mode 0600 and keeps the key id across a restart', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await start({ keyDir: dir });
    const keyFile = join(dir, `${first.keyId}.key`);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.match(await readFile(keyFile, 'utf8'), /-----BEGIN HYBRIDKEM PRIVATE KEY-----/);
    assert.ok((await readdir(dir)).includes(`${first.keyId}.pub`));
    await first.close();

    const second = await start({ keyDir: dir });
    assert.equal(second.keyId, first.keyId);
    assert.equal(second.publicKey, first.publicKey);
    assert.equal((await roundTrip(second, 'after restart')).echo, 'after restart');
  });

  it('with a passphrase: the .key file is encrypted, the service works, a wrong passphrase is refused', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const passphrase = 'correct horse battery staple';
    const service = await start({ keyDir: dir, passphrase });
    const text = await readFile(join(dir, `${service.keyId}.key`), 'utf8');
    assert.match(text, /-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----/);

    // The raw key, read back through seal's own store (not the service), must not be in the file.
    const store = new FileKeyStore(dir);
    const key = await store.unlock(service.keyId, passphrase);
    const encoded = await key.privateKey();
    const { privateKey: seed } = decodePrivateKey(encoded);
    store.lockAll();
    const fileBytes = Buffer.from(dearmor(text).encoded);
    assert.equal(fileBytes.indexOf(Buffer.from(seed)), -1, 'the .key file contains the raw private key');
    assert.ok(!text.includes(Buffer.from(encoded).toString('base64').slice(8, 40)), 'the .key file contains the unencrypted key object');

    assert.equal((await roundTrip(service, 'encrypted at rest')).echo, 'encrypted at rest');
    await service.close();

    await assert.rejects(startService({ keyDir: dir, passphrase: 'wrong passphrase' }), { code: 'ERR_AUTHENTICATION' });
    const again = await start({ keyDir: dir, passphrase });
    assert.equal(again.keyId, service.keyId);
  });
});
