import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { armor, createKem, encodePrivateKey, encodePublicKey, HybridKemError, keyId, type Kem } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkKeyName,
  decryptPrivateKeyArmored,
  KeyFileError,
  KeyLockedError,
  KeyStoreError,
  MemoryKeyStore,
  resolveRecipient,
  type KdfParams,
  type KeyStore,
} from '../src/keys/index.js';
import { FileKeyStore } from '../src/node.js';

const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };
const PASS = 'store passphrase';

let kem: Kem;
interface TestKey {
  pub: Uint8Array;
  priv: Uint8Array;
  id: string;
  seedHex: string;
}
function newKey(): TestKey {
  const kp = kem.keygen();
  const pub = encodePublicKey('X-Wing', kp.publicKey);
  return { pub, priv: encodePrivateKey('X-Wing', kp.privateKey), id: keyId(pub), seedHex: Buffer.from(kp.privateKey).toString('hex') };
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hybridkem-keys-'));
  dirs.push(d);
  return d;
}

beforeAll(() => {
  kem = createKem('X-Wing', backend);
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function rejects(p: Promise<unknown>): Promise<HybridKemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HybridKemError);
  return e as HybridKemError;
}

describe('names', () => {
  it.each(['billing-service', 'a', 'x.y_z-0', 'a'.repeat(64), '__proto__'])('accepts %j', (n) => {
    expect(checkKeyName(n)).toBe(n);
  });
  it.each(['', 'Billing', 'a b', 'a/b', '../x', 'a'.repeat(65), 'é', '.', '..', '0123456789abcdef0123456789abcdef', 'name\n'])(
    'refuses %j',
    (n) => {
      const e = (() => {
        try {
          checkKeyName(n);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(KeyStoreError);
      expect((e as KeyStoreError).reason).toBe('invalid-name');
      expect((e as KeyStoreError).code).toBe('ERR_INVALID_ARGUMENT');
    },
  );
});

/** A passphrase store's keys are used only once unlocked; other stores need nothing. */
async function ready(store: KeyStore, ref: string): Promise<void> {
  if (store instanceof FileKeyStore && store.encrypted) await store.unlock(ref, PASS);
}

function contractTests(label: string, make: () => Promise<KeyStore>) {
  describe(`${label}: KeyStore contract`, () => {
    it('put/get by id and by name; list; delete', async () => {
      const store = await make();
      const a = newKey();
      const b = newKey();
      const stored = await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'billing-service' });
      expect(stored.keyId).toBe(a.id);
      expect(stored.name).toBe('billing-service');
      await store.put({ publicKey: b.pub });
      await ready(store, 'billing-service');

      const byId = await store.get(a.id);
      const byName = await store.get('billing-service');
      for (const k of [byId, byName]) {
        expect(k?.keyId).toBe(a.id);
        expect(k?.suite.name).toBe('X-Wing');
        expect(k?.publicKey).toEqual(a.pub);
        expect(k?.hasPrivateKey).toBe(true);
        expect(await k!.privateKey!()).toEqual(a.priv);
      }
      expect(byId?.names).toEqual(['billing-service']);
      const onlyPublic = await store.get(b.id);
      expect(onlyPublic?.hasPrivateKey).toBe(false);
      expect(onlyPublic?.privateKey).toBeUndefined();
      expect(onlyPublic?.name).toBeUndefined();

      expect(await store.get('nobody')).toBeUndefined();
      expect(await store.get('0'.repeat(32))).toBeUndefined();

      const listed = await store.list();
      expect(listed.map((k) => k.keyId).sort()).toEqual([a.id, b.id].sort());
      for (const k of listed) {
        expect('privateKey' in k).toBe(false);
        const text = `${JSON.stringify(k)} ${String(k)} ${inspect(k, { depth: 5, showHidden: true })}`;
        expect(text).not.toContain(a.seedHex);
      }
      expect(listed.find((k) => k.keyId === a.id)?.hasPrivateKey).toBe(true);

      // a second name for the same key
      await store.put({ publicKey: a.pub, name: 'billing-2' });
      expect((await store.get(a.id))?.names).toEqual(['billing-2', 'billing-service']);
      expect((await store.get('billing-2'))?.name).toBe('billing-2');

      expect(await store.delete('billing-service')).toBe(true);
      expect(await store.get(a.id)).toBeUndefined();
      expect(await store.get('billing-2')).toBeUndefined();
      expect(await store.delete(a.id)).toBe(false);
      expect((await store.list()).map((k) => k.keyId)).toEqual([b.id]);
    });

    it('privateKey() returns a fresh copy each call', async () => {
      const store = await make();
      const a = newKey();
      const k = await store.put({ publicKey: a.pub, privateKey: a.priv });
      await ready(store, a.id);
      const p1 = await k.privateKey!();
      p1.fill(0);
      expect(await k.privateKey!()).toEqual(a.priv);
      k.publicKey.fill(0);
      expect((await store.get(a.id))?.publicKey).toEqual(a.pub);
    });

    it('StoredKey never shows private bytes in JSON, toString or inspect', async () => {
      const store = await make();
      const a = newKey();
      await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'svc' });
      const k = (await store.get('svc'))!;
      const json = JSON.stringify(k);
      expect(JSON.parse(json)).toEqual({ keyId: a.id, name: 'svc', names: ['svc'], suite: 'X-Wing', publicKey: armor(a.pub), hasPrivateKey: true });
      const privB64 = Buffer.from(a.priv).toString('base64');
      for (const text of [json, String(k), `${k}`, inspect(k, { showHidden: true, depth: 10 }), JSON.stringify({ ...k })]) {
        expect(text).not.toContain(a.seedHex);
        expect(text).not.toContain(privB64);
      }
      // the enumerable properties hold no private bytes either
      for (const v of Object.values(k)) {
        if (v instanceof Uint8Array) expect(Buffer.from(v).toString('hex')).not.toContain(a.seedHex);
      }
    });

    it('refuses invalid names, taken names and mismatched keys', async () => {
      const store = await make();
      const a = newKey();
      const b = newKey();
      for (const name of ['Bad Name', '../etc', 'x'.repeat(65), a.id]) {
        const e = await rejects(store.put({ publicKey: a.pub, name }));
        expect((e as KeyStoreError).reason).toBe('invalid-name');
      }
      await rejects(store.get('Bad Name'));
      await rejects(store.delete('../x'));
      await store.put({ publicKey: a.pub, name: 'taken' });
      expect(((await rejects(store.put({ publicKey: b.pub, name: 'taken' }))) as KeyStoreError).reason).toBe('name-taken');
      // wrong kinds and malformed keys: core's typed errors
      expect((await rejects(store.put({ publicKey: a.priv }))).code).toBe('ERR_WRONG_KIND');
      expect((await rejects(store.put({ publicKey: a.pub, privateKey: a.pub }))).code).toBe('ERR_WRONG_KIND');
      expect((await rejects(store.put({ publicKey: a.pub.subarray(0, 100) }))).code).toBe('ERR_TRUNCATED');
      // a different private key for a key that has one
      await store.put({ publicKey: a.pub, privateKey: a.priv });
      await ready(store, a.id);
      expect(((await rejects(store.put({ publicKey: a.pub, privateKey: b.priv }))) as KeyStoreError).reason).toBe('key-mismatch');
    });

    it('resolveRecipient gives the raw public key, suite and id', async () => {
      const store = await make();
      const a = newKey();
      await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'billing-service' });
      for (const ref of ['billing-service', a.id]) {
        const r = await resolveRecipient(store, ref);
        expect(r.keyId).toBe(a.id);
        expect(r.suite.name).toBe('X-Wing');
        expect(r.publicKey).toEqual(a.pub.subarray(4));
        expect(r.encodedPublicKey).toEqual(a.pub);
        // usable with the KEM as is
        const { ciphertext, sharedSecret } = kem.encapsulate(r.publicKey);
        expect(kem.decapsulate(a.priv.subarray(4), ciphertext)).toEqual(sharedSecret);
      }
      expect(((await rejects(resolveRecipient(store, 'nobody'))) as KeyStoreError).reason).toBe('not-found');
      expect(((await rejects(resolveRecipient(store, 'No Such'))) as KeyStoreError).reason).toBe('invalid-name');
    });
  });
}

contractTests('MemoryKeyStore', async () => new MemoryKeyStore());
contractTests('FileKeyStore', async () => new FileKeyStore(await tempDir()));
contractTests('FileKeyStore with passphrase', async () => new FileKeyStore(await tempDir(), { passphrase: PASS, kdf: CHEAP }));

describe('MemoryKeyStore with a backend', () => {
  it('checks that a private key belongs to its public key', async () => {
    const store = new MemoryKeyStore({ backend });
    const a = newKey();
    const b = newKey();
    expect(((await rejects(store.put({ publicKey: a.pub, privateKey: b.priv }))) as KeyStoreError).reason).toBe('key-mismatch');
    await store.put({ publicKey: a.pub, privateKey: a.priv });
    store.clear();
    expect(await store.list()).toEqual([]);
  });
});

describe('FileKeyStore on disk', () => {
  it('writes one armored .pub per key, a 0600 .key and a names.json index', async () => {
    const dir = await tempDir();
    const store = new FileKeyStore(dir);
    const a = newKey();
    const b = newKey();
    await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'billing-service' });
    await store.put({ publicKey: b.pub, name: 'public-only' });
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([`${a.id}.key`, `${a.id}.pub`, `${b.id}.pub`, 'names.json'].sort());
    expect(await readFile(join(dir, `${a.id}.pub`), 'utf8')).toBe(armor(a.pub));
    expect(await readFile(join(dir, `${a.id}.key`), 'utf8')).toBe(armor(a.priv));
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, `${a.id}.key`))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, `${a.id}.pub`))).mode & 0o777).toBe(0o644);
    }
    expect(JSON.parse(await readFile(join(dir, 'names.json'), 'utf8'))).toEqual({
      version: 1,
      names: { 'billing-service': a.id, 'public-only': b.id },
    });
    // a second store object on the same directory sees the same keys
    const again = new FileKeyStore(dir);
    expect(await (await again.get('billing-service'))!.privateKey!()).toEqual(a.priv);
  });

  it('writes atomically: no temporary files remain, concurrent puts all land in the index', async () => {
    const dir = await tempDir();
    const store = new FileKeyStore(dir);
    const keys = Array.from({ length: 12 }, () => newKey());
    await Promise.all(keys.map((k, i) => store.put({ publicKey: k.pub, privateKey: k.priv, name: `svc-${i}` })));
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const index = JSON.parse(await readFile(join(dir, 'names.json'), 'utf8'));
    expect(Object.keys(index.names).length).toBe(12);
    for (const [i, k] of keys.entries()) expect(index.names[`svc-${i}`]).toBe(k.id);
    expect((await store.list()).length).toBe(12);
  });

  it('a passphrase store writes encrypted .key files, used only once unlocked', async () => {
    const dir = await tempDir();
    const store = new FileKeyStore(dir, { passphrase: PASS, kdf: CHEAP });
    expect(store.encrypted).toBe(true);
    const a = newKey();
    await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'secret' });
    const text = await readFile(join(dir, `${a.id}.key`), 'utf8');
    expect(text.startsWith('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect(await decryptPrivateKeyArmored(text, PASS)).toEqual(a.priv);

    // Locked, in the store that wrote it as in another one: ERR_KEY_LOCKED, whatever passphrase the store holds.
    for (const s of [store, new FileKeyStore(dir)]) {
      const k = (await s.get('secret'))!;
      expect(k.publicKey).toEqual(a.pub); // public part readable without it
      expect(k.hasPrivateKey).toBe(true);
      const e = await rejects(k.privateKey!());
      expect(e).toBeInstanceOf(KeyLockedError);
      expect(e.code).toBe('ERR_KEY_LOCKED');
      expect(e.message).toContain(a.id);
      expect(e.message).not.toContain(a.seedHex);
    }

    const wrong = new FileKeyStore(dir);
    const e2 = await rejects(wrong.unlock(a.id, 'not it'));
    expect(e2).toBeInstanceOf(KeyFileError);
    expect(e2.code).toBe('ERR_AUTHENTICATION');
    expect(e2.message).not.toContain('not it');
    expect((await rejects((await wrong.get(a.id))!.privateKey!())).code).toBe('ERR_KEY_LOCKED');
    // put of the same private key cannot compare with a locked key: refused, no KDF
    expect((await rejects(wrong.put({ publicKey: a.pub, privateKey: a.priv }))).code).toBe('ERR_KEY_LOCKED');

    // unlock by name, use, lock again; the store's own passphrase is not needed to unlock
    const other = new FileKeyStore(dir);
    await other.unlock('secret', PASS);
    expect(await (await other.get(a.id))!.privateKey!()).toEqual(a.priv);
    await other.put({ publicKey: a.pub, privateKey: a.priv }); // same key: accepted
    expect(await other.lock('secret')).toBe(true);
    expect(await other.lock('secret')).toBe(false);
    expect((await rejects((await other.get(a.id))!.privateKey!())).code).toBe('ERR_KEY_LOCKED');
    await other.unlock(a.id, PASS);
    other.lockAll();
    expect((await rejects((await other.get(a.id))!.privateKey!())).code).toBe('ERR_KEY_LOCKED');
    // read limits are forwarded (here lowered below the file's m = 64 KiB): refused before the KDF
    expect((await rejects(other.unlock(a.id, PASS, { limits: { argon2id: { mMax: 32 } } }))).message).toContain('argon2id.mMax');
    // unknown keys and bad lifetimes are typed errors
    expect(((await rejects(other.unlock('nobody', PASS))) as KeyStoreError).reason).toBe('not-found');
    for (const lifetimeMs of [0, -1, 1.5, 2 ** 31]) {
      expect((await rejects(other.unlock(a.id, PASS, { lifetimeMs }))).code).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('a store without a passphrase still reads a plaintext .key', async () => {
    const dir = await tempDir();
    const a = newKey();
    await new FileKeyStore(dir).put({ publicKey: a.pub, privateKey: a.priv });
    expect(await (await new FileKeyStore(dir, { passphrase: PASS }).get(a.id))!.privateKey!()).toEqual(a.priv);
  });

  describe('corrupted files give typed errors', () => {
    let dir: string;
    let a: TestKey;
    let b: TestKey;
    let store: FileKeyStore;
    beforeAll(async () => {
      a = newKey();
      b = newKey();
    });
    async function fresh(passphrase?: string) {
      dir = await tempDir();
      store = new FileKeyStore(dir, passphrase ? { passphrase, kdf: CHEAP } : {});
      await store.put({ publicKey: a.pub, privateKey: a.priv, name: 'a' });
    }

    it('.pub: bad armor, wrong kind, truncated, invalid key, another key, oversized', async () => {
      await fresh();
      const pubFile = join(dir, `${a.id}.pub`);
      const good = armor(a.pub);
      const cases: [string, string | Uint8Array][] = [
        ['ERR_ARMOR', 'garbage'],
        ['ERR_ARMOR', good.replace('PUBLIC KEY', 'PRIVATE KEY')],
        ['ERR_WRONG_KIND', armor(a.priv)],
        ['ERR_TRUNCATED', armor(a.pub.subarray(0, a.pub.length - 1))],
        ['ERR_TRAILING_DATA', armor(new Uint8Array([...a.pub, 0]))],
        ['ERR_UNKNOWN_SUITE', armor(new Uint8Array([1, 1, 0x12, 0x34, ...a.pub.subarray(4)]))],
        ['ERR_INVALID_MLKEM_KEY', armor(new Uint8Array([1, 1, 0x64, 0x7a, 0xff, 0xff, ...a.pub.subarray(6)]))],
        ['ERR_INVALID_ARGUMENT', armor(b.pub)], // another key under a's id
        ['ERR_INVALID_ARGUMENT', 'A'.repeat(20000)],
      ];
      for (const [code, content] of cases) {
        await writeFile(pubFile, content);
        for (const ref of ['a', a.id]) expect((await rejects(store.get(ref))).code).toBe(code);
        expect((await rejects(store.list())).code).toBe(code);
        expect((await rejects(resolveRecipient(store, 'a'))).code).toBe(code);
      }
    });

    it('.key: bad armor, wrong kind, another suite, tampered encrypted key', async () => {
      await fresh();
      const keyFile = join(dir, `${a.id}.key`);
      const k = (await store.get('a'))!;
      const p384 = createKem('MLKEM1024-P384', backend).keygen();
      const cases: [string, string][] = [
        ['ERR_ARMOR', 'garbage'],
        ['ERR_WRONG_KIND', armor(a.pub)],
        ['ERR_TRUNCATED', armor(a.priv.subarray(0, 20))],
        ['ERR_INVALID_ARGUMENT', armor(encodePrivateKey('MLKEM1024-P384', p384.privateKey))],
      ];
      for (const [code, content] of cases) {
        await writeFile(keyFile, content);
        const e = await rejects(k.privateKey!());
        expect(e.code).toBe(code);
        expect(e.message).not.toContain(a.seedHex);
      }
    });

    it('encrypted .key with a flipped byte is ERR_AUTHENTICATION', async () => {
      await fresh(PASS);
      const keyFile = join(dir, `${a.id}.key`);
      const text = await readFile(keyFile, 'utf8');
      const lines = text.split('\n');
      // change one base64 character in the middle of the object (the salt / nonce area)
      const c = lines[1]!;
      lines[1] = c.slice(0, 30) + (c[30] === 'A' ? 'B' : 'A') + c.slice(31);
      await writeFile(keyFile, lines.join('\n'));
      const e = await rejects(store.unlock('a', PASS));
      expect(e).toBeInstanceOf(KeyFileError);
      expect(e.code).toBe('ERR_AUTHENTICATION');
    });

    it('names.json: not JSON, wrong shape, bad names, dangling name', async () => {
      await fresh();
      const index = join(dir, 'names.json');
      const cases: string[] = [
        '{',
        '[]',
        '{"version":2,"names":{}}',
        '{"version":1,"names":[]}',
        '{"version":1,"names":{"Bad Name":"' + a.id + '"}}',
        '{"version":1,"names":{"a":"not-an-id"}}',
        '{"version":1,"names":{"a":"' + '0'.repeat(32) + '"}}',
      ];
      for (const content of cases) {
        await writeFile(index, content);
        const e = (await rejects(store.get('a'))) as KeyStoreError;
        expect(e).toBeInstanceOf(KeyStoreError);
        expect(e.reason).toBe('corrupt-index');
      }
      await writeFile(index, ' '.repeat((1 << 20) + 1));
      expect(((await rejects(store.list())) as KeyStoreError).reason).toBe('corrupt-index');
    });
  });

  it('an empty or missing directory is an empty store', async () => {
    const dir = join(await tempDir(), 'not-yet');
    const store = new FileKeyStore(dir);
    expect(await store.list()).toEqual([]);
    expect(await store.get('x')).toBeUndefined();
    const a = newKey();
    await store.put({ publicKey: a.pub });
    if (process.platform !== 'win32') expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await store.list()).length).toBe(1);
  });
});
