// The pkcs11 key-storage tier (spec/MESH.md §14) against a real SoftHSM 2
// token made for this file in a temporary directory (SOFTHSM2_CONF points at
// a config whose token directory is that temporary directory). Under CI=true
// a missing SoftHSM or pkcs11js fails these tests; elsewhere they are
// skipped with the reason.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCI } from '@hybridkem/core/testing';
import type { KdfParams } from '@hybridkem/seal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDirectoryRecord,
  createIssuer,
  createMemoryNodeStore,
  createReceiver,
  decodeDirectoryRecord,
  generateIdentity,
  IdentityError,
  KeyStoreError,
  loadIdentity,
  loadTieredIdentity,
  openPkcs11Tier,
  passphraseFileTier,
  saveTieredIdentity,
  SOFTHSM2_MODULE,
  TrustedDirectory,
  wipeIdentity,
  type Pkcs11Tier,
} from '../src/index.js';
import { importPkcs11js } from '../src/keystore/pkcs11.js';
import { makeCrypto, signingKeys, T0, utf8 } from './helpers.js';

const MODULE = process.env.SOFTHSM2_MODULE ?? SOFTHSM2_MODULE;
const TOKEN = 'hk-mesh-test';
const PIN = '4711-user-pin';
const SO_PIN = '0815-so-pin';
const KEY = 'node-identity-wrap';
const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };

type Pkcs11js = Awaited<ReturnType<typeof importPkcs11js>>;
type Pkcs11 = InstanceType<Pkcs11js['PKCS11']>;

/** Runs `fn` in a user session of the test token opened with pkcs11js directly (from outside the tier), logged out and closed after. */
async function inUserSession(fn: (lib: Pkcs11js, p: Pkcs11, session: ReturnType<Pkcs11['C_OpenSession']>) => void): Promise<void> {
  const lib = await importPkcs11js();
  const p = new lib.PKCS11();
  p.load(MODULE);
  p.C_Initialize();
  try {
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === TOKEN)!;
    const s = p.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    p.C_Login(s, lib.CKU_USER, PIN);
    fn(lib, p, s);
    p.C_Logout(s);
    p.C_CloseSession(s);
  } finally {
    p.C_Finalize();
    p.close();
  }
}

function softhsmUtil(): string | undefined {
  for (const p of ['/usr/bin/softhsm2-util', '/usr/local/bin/softhsm2-util']) if (existsSync(p)) return p;
  return undefined;
}
let pkcs11jsError: string | undefined;
try {
  await importPkcs11js();
} catch (e) {
  pkcs11jsError = (e as Error).message;
}
const util = softhsmUtil();
const missing = [
  ...(util === undefined ? ['softhsm2-util (Debian package softhsm2)'] : []),
  ...(existsSync(MODULE) ? [] : [`the SoftHSM 2 module ${MODULE} (Debian package softhsm2)`]),
  ...(pkcs11jsError === undefined ? [] : [pkcs11jsError]),
];
const reason = `the pkcs11 tier tests need ${missing.join('; ')} (bash scripts/setup-mesh-toolchain.sh, then scripts/pnpm install)`;

describe('SoftHSM 2 and pkcs11js', () => {
  // Runs always under CI=true, where a missing piece is a failure.
  it.skipIf(missing.length > 0 && !inCI)('are present', () => {
    if (missing.length > 0) throw new Error(`${reason} (required under CI=true)`);
  });
});

const run = missing.length === 0;
if (!run && !inCI) console.warn(`keystore-pkcs11.test.ts: skipped: ${reason}`);

describe.runIf(run)('the pkcs11 key-storage tier (SoftHSM 2)', () => {
  const crypto = makeCrypto();
  let root: string;
  const opened: Pkcs11Tier[] = [];
  const open = async (o: { pin?: string; keyLabel?: string; createKey?: boolean; token?: string } = {}) => {
    const t = await openPkcs11Tier({ module: MODULE, token: o.token ?? TOKEN, pin: o.pin ?? PIN, keyLabel: o.keyLabel ?? KEY, createKey: o.createKey ?? false });
    opened.push(t);
    return t;
  };
  const closeAll = async () => {
    for (const t of opened.splice(0)) await t.close();
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hybridkem-mesh-pkcs11-'));
    const tokens = join(root, 'tokens');
    execFileSync('mkdir', ['-m', '0700', tokens]);
    const conf = join(root, 'softhsm2.conf');
    await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
    process.env.SOFTHSM2_CONF = conf;
    execFileSync(util!, ['--init-token', '--free', '--label', TOKEN, '--so-pin', SO_PIN, '--pin', PIN], { env: process.env, stdio: 'pipe' });
  });
  afterAll(async () => {
    await closeAll();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  /** A v1 signing private key object of the test suite (kind 0x06). */
  const signingKey = () => signingKeys(crypto).privateKey;

  it('generates the token key on first open and round-trips an encoded private key; the blob is laid out as §14 says', async () => {
    const first = await open({ createKey: true });
    expect(first.createdKey).toBe(true);
    const secret = signingKey();
    const blob = await first.protect(secret, { identity: 'node-a', key: 'signing' });
    await closeAll();
    const again = await open(); // no createKey: the key is on the token now
    expect(again.createdKey).toBe(false);
    expect(Buffer.from(await again.unprotect(blob, { identity: 'node-a', key: 'signing' })).equals(Buffer.from(secret))).toBe(true);
    // version, tier pkcs11, key kind 0x06, label, name, 12-byte IV, length, ciphertext + 16-byte tag
    const l = KEY.length;
    const n = 'node-a'.length;
    expect([...blob.subarray(0, 4)]).toEqual([0x01, 0x02, 0x06, l]);
    expect(Buffer.from(blob.subarray(4, 4 + l)).toString('latin1')).toBe(KEY);
    expect(blob[4 + l]).toBe(n);
    expect(Buffer.from(blob.subarray(5 + l, 5 + l + n)).toString('latin1')).toBe('node-a');
    const cOff = 5 + l + n + 12;
    expect((blob[cOff]! << 8) | blob[cOff + 1]!).toBe(secret.length + 16);
    expect(blob.length).toBe(cOff + 2 + secret.length + 16);
    // The ciphertext does not hold the key in the clear (no 16-byte window of it).
    const hay = Buffer.from(blob);
    for (let i = 0; i + 16 <= secret.length; i += 16) expect(hay.indexOf(Buffer.from(secret.subarray(i, i + 16)))).toBe(-1);
    // Two blobs of one key differ (random IV).
    const blob2 = await again.protect(secret, { identity: 'node-a', key: 'signing' });
    expect(Buffer.from(blob2).equals(Buffer.from(blob))).toBe(false);
    await closeAll();
  });

  it('keeps the AES key on the token: CKA_VALUE cannot be read, it cannot be wrapped out, it is marked sensitive and never extractable', async () => {
    await (await open({ createKey: true })).close();
    opened.length = 0;
    // From outside the tier: pkcs11js directly, a session of its own.
    await inUserSession((lib, p, s) => {
      p.C_FindObjectsInit(s, [{ type: lib.CKA_LABEL, value: KEY }]);
      const [key] = p.C_FindObjects(s, 2);
      p.C_FindObjectsFinal(s);
      expect(key).toBeDefined();
      expect(() => p.C_GetAttributeValue(s, key!, [{ type: lib.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      const [extractable, sensitive, never, always] = p
        .C_GetAttributeValue(s, key!, [{ type: lib.CKA_EXTRACTABLE }, { type: lib.CKA_SENSITIVE }, { type: lib.CKA_NEVER_EXTRACTABLE }, { type: lib.CKA_ALWAYS_SENSITIVE }])
        .map((a) => a.value[0]);
      expect([extractable, sensitive, never, always]).toEqual([0, 1, 1, 1]);
      // Wrapping it under another token key is refused too.
      const wrapper = p.C_GenerateKey(s, { mechanism: lib.CKM_AES_KEY_GEN }, [
        { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
        { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
        { type: lib.CKA_VALUE_LEN, value: 32 },
        { type: lib.CKA_TOKEN, value: false },
        { type: lib.CKA_WRAP, value: true },
      ]);
      expect(() => p.C_WrapKey(s, { mechanism: lib.CKM_AES_KEY_WRAP_PAD }, wrapper, key!, Buffer.alloc(256))).toThrow(/CKR_KEY_UNEXTRACTABLE/);
    });
  });

  it('refuses a modified blob with a typed error: header fields before the token sees it, IV, ciphertext and tag by the token (GCM)', async () => {
    const tier = await open({ createKey: true });
    const secret = signingKey();
    const binding = { identity: 'node-a', key: 'signing' } as const;
    const blob = await tier.protect(secret, binding);
    const l = KEY.length;
    const ivOff = 5 + l + 6;
    const flip = (off: number) => {
      const c = blob.slice();
      c[off]! ^= 0x01;
      return c;
    };
    const refusal = async (b: Uint8Array, bind: { identity: string; key: 'kem' | 'signing' } = binding) => {
      try {
        await tier.unprotect(b, bind);
      } catch (e) {
        expect(e).toBeInstanceOf(KeyStoreError);
        return e as KeyStoreError;
      }
      throw new Error('expected a KeyStoreError');
    };
    for (const off of [ivOff, ivOff + 11, ivOff + 14, blob.length - 17, blob.length - 1]) {
      const e = await refusal(flip(off));
      expect([e.reason, e.code], `byte ${off}`).toEqual(['authentication', 'ERR_AUTHENTICATION']);
      expect(e.message).not.toContain(PIN);
    }
    // The name is in the AAD: a blob relabelled for another identity of the same length fails the tag.
    const relabelled = blob.slice();
    relabelled.set(utf8('node-b'), 5 + l);
    expect((await refusal(relabelled, { identity: 'node-b', key: 'signing' })).reason).toBe('authentication');
    // So is the key kind: the signing blob presented as the KEM key.
    const rekind = blob.slice();
    rekind[2] = 0x02;
    expect((await refusal(rekind, { identity: 'node-a', key: 'kem' })).reason).toBe('authentication');
    // A blob presented for another binding than the one in it: mismatch, without asking the token.
    expect((await refusal(blob, { identity: 'node-c', key: 'signing' })).reason).toBe('mismatch');
    expect((await refusal(blob, { identity: 'node-a', key: 'kem' })).reason).toBe('mismatch');
    // Structure: every cut is malformed; so are a bad version, tier, key byte, length, and trailing bytes.
    for (let n = 0; n < blob.length; n += 7) expect((await refusal(blob.subarray(0, n))).reason, `cut at ${n}`).toBe('malformed');
    expect((await refusal(flip(0))).reason).toBe('malformed');
    expect((await refusal(flip(1))).reason).toBe('malformed');
    const badKey = blob.slice();
    badKey[2] = 0x05;
    expect((await refusal(badKey)).reason).toBe('malformed');
    const longer = new Uint8Array(blob.length + 1);
    longer.set(blob);
    expect((await refusal(longer)).reason).toBe('malformed');
    const huge = blob.slice();
    huge[ivOff + 12] = 0xff;
    expect((await refusal(huge)).message).toMatch(/ciphertext length 65\d\d\d/);
    // The unmodified blob still opens.
    expect(Buffer.from(await tier.unprotect(blob, binding)).equals(Buffer.from(secret))).toBe(true);
    await closeAll();
  });

  it('a blob made under another token key with the same label fails the tag; one made under another label is a mismatch', async () => {
    const a = await open({ createKey: true });
    const blob = await a.protect(signingKey(), { identity: 'node-a', key: 'signing' });
    const other = await open({ createKey: true, keyLabel: 'other-key' });
    const e = await other.unprotect(blob, { identity: 'node-a', key: 'signing' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeyStoreError);
    expect((e as KeyStoreError).reason).toBe('mismatch');
    // Same label, another key: relabel the blob (the label is in the AAD, so this is also a relabelling) and open it under other-key.
    const relabelled = new Uint8Array(blob.length - KEY.length + 'other-key'.length);
    relabelled.set([0x01, 0x02, 0x06, 'other-key'.length]);
    relabelled.set(utf8('other-key'), 4);
    relabelled.set(blob.subarray(4 + KEY.length), 4 + 'other-key'.length);
    const e2 = await other.unprotect(relabelled, { identity: 'node-a', key: 'signing' }).catch((x: unknown) => x);
    expect((e2 as KeyStoreError).reason).toBe('authentication');
    await closeAll();
  });

  it('a wrong PIN, an unknown token, a missing key and a key that could leave the token are typed errors', async () => {
    const wrong = await openPkcs11Tier({ module: MODULE, token: TOKEN, pin: 'not-the-pin', keyLabel: KEY }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(KeyStoreError);
    expect(wrong).toMatchObject({ reason: 'pin-incorrect', code: 'ERR_AUTHENTICATION', pkcs11Code: 'CKR_PIN_INCORRECT' });
    expect((wrong as Error).message).not.toContain('not-the-pin');
    expect(await openPkcs11Tier({ module: MODULE, token: 'no-such-token', pin: PIN, keyLabel: KEY }).catch((e: unknown) => e)).toMatchObject({ reason: 'token-not-found' });
    expect(await openPkcs11Tier({ module: MODULE, token: TOKEN, pin: PIN, keyLabel: 'never-made' }).catch((e: unknown) => e)).toMatchObject({ reason: 'key-not-found' });
    expect(await openPkcs11Tier({ module: join(root, 'no-such-module.so'), token: TOKEN, pin: PIN, keyLabel: KEY }).catch((e: unknown) => e)).toMatchObject({
      reason: 'unavailable',
      code: 'ERR_BACKEND_UNAVAILABLE',
    });
    // An extractable AES key under a label: the tier refuses to use it.
    await inUserSession((lib, p, s) => {
      p.C_GenerateKey(s, { mechanism: lib.CKM_AES_KEY_GEN }, [
        { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
        { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
        { type: lib.CKA_VALUE_LEN, value: 32 },
        { type: lib.CKA_TOKEN, value: true },
        { type: lib.CKA_PRIVATE, value: true },
        { type: lib.CKA_SENSITIVE, value: false },
        { type: lib.CKA_EXTRACTABLE, value: true },
        { type: lib.CKA_ENCRYPT, value: true },
        { type: lib.CKA_DECRYPT, value: true },
        { type: lib.CKA_LABEL, value: 'leaky' },
      ]);
    });
    const leaky = await openPkcs11Tier({ module: MODULE, token: TOKEN, pin: PIN, keyLabel: 'leaky' }).catch((e: unknown) => e);
    expect(leaky).toMatchObject({ reason: 'key-policy' });
    expect((leaky as Error).message).toMatch(/not \(always\) sensitive, extractable/);
  });

  it('names the optional dependency when pkcs11js cannot be loaded', async () => {
    const e = await importPkcs11js('pkcs11js-that-is-not-installed').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KeyStoreError);
    expect(e).toMatchObject({ reason: 'unavailable', code: 'ERR_BACKEND_UNAVAILABLE' });
    expect((e as Error).message).toMatch(/^the pkcs11 tier needs the optional dependency pkcs11js, which did not build: /);
  });

  it('a node identity stored in the pkcs11 tier loads, and its KEM key opens an envelope sealed to its directory record', async () => {
    const dir = join(root, 'node-p');
    const id = generateIdentity({ crypto, role: 'node', name: 'node-p' });
    const tier = await open({ createKey: true });
    await saveTieredIdentity(dir, id, tier);
    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'kem.p11', 'kem.pub', 'signing.p11', 'signing.pub']);
    for (const f of ['kem.p11', 'signing.p11']) {
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
      const bytes = await readFile(join(dir, f));
      const secret = Buffer.from(f === 'kem.p11' ? id.kem!.privateKey : id.signing.privateKey);
      for (let i = 0; i + 16 <= secret.length; i += 16) expect(bytes.indexOf(secret.subarray(i, i + 16))).toBe(-1);
    }
    const kemPublicKey = id.kem!.publicKey;
    wipeIdentity(id);
    await closeAll();
    // The passphrase loader finds no passphrase-encrypted key here.
    expect(await loadIdentity(dir, { passphrase: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(IdentityError);

    const loaded = await loadTieredIdentity(dir, await open(), { crypto });
    expect(JSON.stringify(loaded)).not.toContain('privateKey');
    expect(Buffer.from(loaded.kem!.publicKey).equals(Buffer.from(kemPublicKey))).toBe(true);

    // The anchor records the node in the pkcs11 tier; an issuer seals a key to it.
    const anchor = signingKeys(crypto);
    const issuer = signingKeys(crypto);
    const directory = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
    const a = { crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, revision: 1, issuedAt: T0 };
    directory.add(createDirectoryRecord({ ...a, role: 'issuer', name: 'issuer-a', signingPublicKey: issuer.publicKey, keyNamePattern: '*' }));
    const nodeRecord = directory.add(
      createDirectoryRecord({ ...a, role: 'node', name: 'node-p', kemPublicKey: loaded.kem!.publicKey, signingPublicKey: loaded.signing.publicKey, storageTier: 'pkcs11' }),
    );
    expect(nodeRecord.storageTier).toBe('pkcs11');
    expect(decodeDirectoryRecord(nodeRecord.bytes).bytes[21]).toBe(0x02);
    const clock = { now: () => T0 + 1000 };
    const env = await createIssuer({ crypto, signingPrivateKey: issuer.privateKey, signingPublicKey: issuer.publicKey, clock }).issue({
      recipientKemPublicKey: nodeRecord.kemPublicKey!,
      keyName: 'svc-db',
      version: 1,
      key: utf8('the service key'),
    });
    const receiver = createReceiver({ crypto, kemPrivateKey: loaded.kem!.privateKey, kemPublicKey: loaded.kem!.publicKey, directory, store: createMemoryNodeStore(), clock });
    const applied = await receiver.receive(env.bytes);
    expect(new TextDecoder().decode(applied.key)).toBe('the service key');
    wipeIdentity(loaded);
    await closeAll();
  });

  it('a blob of another identity in the directory is refused (mismatch), before any key is used', async () => {
    const tier = await open({ createKey: true });
    const one = generateIdentity({ crypto, role: 'node', name: 'node-one' });
    const two = generateIdentity({ crypto, role: 'node', name: 'node-two' });
    await saveTieredIdentity(join(root, 'one'), one, tier);
    await saveTieredIdentity(join(root, 'two'), two, tier);
    await writeFile(join(root, 'two', 'kem.p11'), await readFile(join(root, 'one', 'kem.p11')));
    const e = await loadTieredIdentity(join(root, 'two'), tier, { crypto }).catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: 'mismatch' });
    wipeIdentity(one);
    wipeIdentity(two);
    await closeAll();
  });

  it('the passphrase-file tier writes what loadIdentity reads', async () => {
    const dir = join(root, 'node-f');
    const id = generateIdentity({ crypto, role: 'node', name: 'node-f' });
    const tier = passphraseFileTier({ passphrase: 'correct horse', kdf: CHEAP });
    await saveTieredIdentity(dir, id, tier);
    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'kem.key', 'kem.pub', 'signing.key', 'signing.pub']);
    const viaIdentity = await loadIdentity(dir, { passphrase: 'correct horse', crypto });
    const viaTier = await loadTieredIdentity(dir, tier, { crypto });
    expect(Buffer.from(viaIdentity.kem!.privateKey).equals(Buffer.from(id.kem!.privateKey))).toBe(true);
    expect(Buffer.from(viaTier.signing.privateKey).equals(Buffer.from(id.signing.privateKey))).toBe(true);
    const wrong = await loadTieredIdentity(dir, passphraseFileTier({ passphrase: 'wrong' }), { crypto }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ reason: 'authentication', code: 'ERR_AUTHENTICATION' });
    for (const i of [id, viaIdentity, viaTier]) wipeIdentity(i);
  });
});
