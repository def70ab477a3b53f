/**
 * A sealed message's header is not authenticated, so
 * openFrom must never run the passphrase KDF for it. Encrypted store keys are
 * unlocked explicitly; a locked one fails at once with ERR_KEY_LOCKED. The
 * KDFs are counted at the module boundary (@noble/hashes), so any path to
 * them counts, not just the one we expect.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKem, encodePrivateKey, encodePublicKey, keyId } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import * as argon2 from '@noble/hashes/argon2.js';
import * as scrypt from '@noble/hashes/scrypt.js';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { KeyLockedError, openFrom, sealFor, type KdfParams } from '../src/index.js';
import { FileKeyStore } from '../src/node.js';

vi.mock('@noble/hashes/argon2.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@noble/hashes/argon2.js')>();
  return { ...actual, argon2id: vi.fn(actual.argon2id), argon2idAsync: vi.fn(actual.argon2idAsync) };
});
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt), scryptAsync: vi.fn(actual.scryptAsync) };
});
const spies = [argon2.argon2id, argon2.argon2idAsync, scrypt.scrypt, scrypt.scryptAsync] as unknown as ReturnType<typeof vi.fn>[];
const kdfRuns = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);

const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };
const PASS = 'store passphrase';
const utf8 = (s: string) => new TextEncoder().encode(s);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A store holding one X-Wing key with a private key encrypted under PASS. */
async function storeWithKey() {
  const dir = await mkdtemp(join(tmpdir(), 'hybridkem-locked-'));
  dirs.push(dir);
  const store = new FileKeyStore(dir, { passphrase: PASS, kdf: CHEAP });
  const kp = createKem('X-Wing', backend).keygen();
  const pub = encodePublicKey('X-Wing', kp.publicKey);
  await store.put({ publicKey: pub, privateKey: encodePrivateKey('X-Wing', kp.privateKey), name: 'svc' });
  return { dir, store, id: keyId(pub) };
}

/**
 * What an attacker can send without any key: a well-formed header naming the
 * victim's key id (spec/WIRE-FORMAT.md §7.2, written out by hand here) and
 * random bytes for enc (1120) and one final chunk (32). 1178 bytes.
 */
function forgedMessage(id: string): Uint8Array {
  const header = [0x01, 0x04, 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03, ...Buffer.from(id, 'hex'), 16, 0x00];
  expect(header.length).toBe(26);
  return new Uint8Array([...header, ...crypto.getRandomValues(new Uint8Array(1120 + 32))]);
}

describe('openFrom never runs the passphrase KDF for an incoming message', () => {
  it('a forged message naming a locked key fails at once with ERR_KEY_LOCKED and no KDF run', async () => {
    const { dir, store, id } = await storeWithKey();
    const forged = forgedMessage(id);
    // The store that wrote the key (it holds the passphrase) and a fresh one alike.
    for (const s of [store, new FileKeyStore(dir, { passphrase: PASS }), new FileKeyStore(dir)]) {
      const before = kdfRuns();
      for (let i = 0; i < 3; i++) {
        const e = await openFrom(s, forged, { backend }).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect((e as KeyLockedError).code).toBe('ERR_KEY_LOCKED');
        expect(e).toBeInstanceOf(KeyLockedError);
        expect((e as Error).message).toContain(id);
        expect((e as Error).message).not.toContain(PASS);
      }
      expect(kdfRuns()).toBe(before);
    }
    // A genuine message fails the same way while the key is locked.
    const genuine = await sealFor(store, 'svc', utf8('hello'), { backend });
    await expect(openFrom(store, genuine, { backend })).rejects.toMatchObject({ code: 'ERR_KEY_LOCKED' });
  });

  it('unlock runs the KDF once; then messages open, forged ones fail to authenticate, with no further KDF run', async () => {
    const { store, id } = await storeWithKey();
    const before = kdfRuns();
    await store.unlock('svc', PASS);
    expect(kdfRuns()).toBe(before + 1);
    for (let i = 0; i < 3; i++) {
      const sealed = await sealFor(store, 'svc', utf8(`message ${i}`), { backend });
      expect(await openFrom(store, sealed, { backend })).toEqual(utf8(`message ${i}`));
      await expect(openFrom(store, forgedMessage(id), { backend })).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION' });
    }
    expect(kdfRuns()).toBe(before + 1);
    // a bad lifetime is refused before the KDF
    await expect(store.unlock('svc', PASS, { lifetimeMs: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(kdfRuns()).toBe(before + 1);
    await store.lock('svc');
    await expect(openFrom(store, forgedMessage(id), { backend })).rejects.toMatchObject({ code: 'ERR_KEY_LOCKED' });
    expect(kdfRuns()).toBe(before + 1);
  });

  it('an unlocked key is wiped when its lifetime ends', async () => {
    const { store, id } = await storeWithKey();
    // Fake setTimeout only (shouldAdvanceTime keeps the KDF's own yields running), so the hour passes at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    await store.unlock(id, PASS, { lifetimeMs: 3_600_000 });
    const sealed = await sealFor(store, id, utf8('in time'), { backend });
    expect(await openFrom(store, sealed, { backend })).toEqual(utf8('in time'));
    vi.advanceTimersByTime(3_600_000);
    const before = kdfRuns();
    await expect(openFrom(store, sealed, { backend })).rejects.toMatchObject({ code: 'ERR_KEY_LOCKED' });
    expect(kdfRuns()).toBe(before);
  });
});
