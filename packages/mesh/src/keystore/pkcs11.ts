/**
 * The `pkcs11` key-storage tier (spec/MESH.md §14): a node's identity
 * private keys (encoded v1 KEM private key, kind 0x02; composite signing
 * private key, kind 0x06) encrypted by a PKCS#11 token with AES-256-GCM
 * (CKM_AES_GCM, PKCS#11 v2.40 Current Mechanisms §2.10.6, parameters
 * CK_GCM_PARAMS) under a secret key that the token generated
 * (CKM_AES_KEY_GEN) and that cannot leave it: CKA_SENSITIVE true,
 * CKA_EXTRACTABLE false, CKA_WRAP false (PKCS#11 v2.40 Base §4.9: a
 * sensitive key's CKA_VALUE cannot be read, an unextractable key cannot be
 * wrapped out). The key on the token only ever encrypts and decrypts these
 * blobs; decrypting needs the token and its user PIN.
 *
 * What the token does not do: SoftHSM 2.6 implements PKCS#11 v2.40 and has no
 * ML-KEM (nor X-Wing or ML-DSA). The token wraps our private keys (ML-KEM
 * seeds and classical scalars inside the v1 objects); the KEM itself and
 * the signatures run in this process, on the keys the token decrypted, and
 * those keys are in this process's memory while the node runs. The tier
 * protects the keys at rest (a copied disk or backup yields nothing without
 * the token and PIN), not a running node.
 *
 * Why GCM rather than C_WrapKey with CKM_AES_KEY_WRAP_PAD (RFC 5649): a
 * wrap mechanism wraps key objects, so each private key would first have to
 * be imported into the token as an extractable secret-key object and
 * unwrapping would make another object whose value must be readable again;
 * GCM encrypts the bytes directly and authenticates additional data, which
 * binds each blob to its identity, its key and the token key's label. SoftHSM
 * 2.6.1 lists both (C_GetMechanismInfo: CKM_AES_GCM with CKF_ENCRYPT |
 * CKF_DECRYPT). The 96-bit IV is random per blob (NIST SP 800-38D §8.2.2);
 * a node's key is encrypted a handful of times, far below the 2^32 limit of
 * §8.3.
 *
 * Blob layout (big-endian):
 *
 *     0x01 (version) ‖ 0x02 (tier pkcs11) ‖ key (0x02 KEM private key, 0x06 signing private key)
 *     ‖ l (1) ‖ token key label (l, 1..64) ‖ n (1) ‖ identity name (n, 1..64)
 *     ‖ IV (12) ‖ C (2) ‖ ciphertext ‖ tag (C bytes, 17..4112)
 *
 * AAD = ASCII "hybridkem/v1/mesh/keystore/pkcs11" ‖ every byte before the IV.
 *
 * pkcs11js (an N-API addon built by node-gyp) is an optional dependency of
 * @hybridkem/mesh and is loaded only when this tier is opened.
 * @module
 */
import type * as Pkcs11Js from 'pkcs11js';
import type { StorageTier } from '../directory/record.js';
import { checkBinding, checkEncodedPrivateKey, KeyStoreError, PROTECTED_KEY_OBJECT_KINDS, type KeyBinding, type KeyStorageTier, type ProtectedKeyKind } from './tier.js';

/** The additional-data label of a pkcs11 blob. */
export const PKCS11_BLOB_LABEL = 'hybridkem/v1/mesh/keystore/pkcs11';
export const PKCS11_BLOB_VERSION = 0x01;
/** GCM IV length (96 bits, NIST SP 800-38D §5.2.1.1) and tag length (128 bits). */
export const PKCS11_GCM_IV_LENGTH = 12;
export const PKCS11_GCM_TAG_LENGTH = 16;
export const MAX_PKCS11_LABEL_LENGTH = 64;
/** The longest key this tier encrypts: more than any encoded v1 private key. */
export const MAX_PKCS11_PLAINTEXT_LENGTH = 4096;
/** The default location of Debian's SoftHSM 2 module (package softhsm2). */
export const SOFTHSM2_MODULE = '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so';

const LABEL = /^[A-Za-z0-9._-]{1,64}$/;
const NAME = /^[a-z0-9-]{1,64}$/;
const KEY_BYTES: Readonly<Record<ProtectedKeyKind, number>> = PROTECTED_KEY_OBJECT_KINDS;
const TIER_BYTE = 0x02;

export interface Pkcs11TierOptions {
  /** Path of the PKCS#11 module (a shared library), e.g. {@link SOFTHSM2_MODULE}. */
  readonly module: string;
  /** The token's label (CK_TOKEN_INFO.label, trailing blanks ignored). */
  readonly token: string;
  /** The token's user PIN. Never logged or put in an error. */
  readonly pin: string;
  /** CKA_LABEL of the AES key on the token: 1-64 characters of [A-Za-z0-9._-]. */
  readonly keyLabel: string;
  /**
   * Generate the AES key on the token when it has none with that label
   * (default false: `key-not-found`). Provisioning sets it; a running node should not.
   */
  readonly createKey?: boolean;
}

/** An open pkcs11 tier: a logged-in session and the token key's handle. */
export interface Pkcs11Tier extends KeyStorageTier {
  readonly tier: 'pkcs11';
  readonly keyLabel: string;
  /** Whether this open generated the key (createKey and none was there). */
  readonly createdKey: boolean;
}

type Lib = typeof Pkcs11Js;

/**
 * Loads pkcs11js (optional dependency). Exported for the tests, which load
 * a name that is not installed to see the error.
 * @throws {KeyStoreError} `unavailable` when it is not installed or its addon did not build
 */
export async function importPkcs11js(specifier = 'pkcs11js'): Promise<Lib> {
  try {
    const m = (await import(specifier)) as Lib & { default?: Lib };
    const lib = m.default ?? m;
    if (typeof lib.PKCS11 !== 'function') throw new Error('it has no PKCS11 class');
    return lib;
  } catch (e) {
    throw new KeyStoreError(
      'unavailable',
      `the pkcs11 tier needs the optional dependency pkcs11js, which did not build: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (node-gyp builds it when the package is installed, which needs Python, a C++ compiler and Node's headers; install them and reinstall)`,
      { cause: e },
    );
  }
}

/** The CKR_* name of a pkcs11js error, when it is one. */
function ckr(e: unknown): string | undefined {
  if (e instanceof Error && /^CKR_[A-Z0-9_]+$/.test(e.message)) return e.message;
  return undefined;
}

function tokenError(what: string, e: unknown): KeyStoreError {
  const code = ckr(e);
  return new KeyStoreError('token', `${what}: ${code ?? (e instanceof Error ? e.message.split('\n')[0] : String(e))}`, {
    cause: e,
    ...(code === undefined ? {} : { pkcs11Code: code }),
  });
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function header(key: ProtectedKeyKind, label: string, name: string): Uint8Array {
  const l = ascii(label);
  const n = ascii(name);
  const h = new Uint8Array(5 + l.length + n.length);
  h[0] = PKCS11_BLOB_VERSION;
  h[1] = TIER_BYTE;
  h[2] = KEY_BYTES[key];
  h[3] = l.length;
  h.set(l, 4);
  h[4 + l.length] = n.length;
  h.set(n, 5 + l.length);
  return h;
}

function aadOf(head: Uint8Array): Buffer {
  const label = ascii(PKCS11_BLOB_LABEL);
  const out = Buffer.alloc(label.length + head.length);
  out.set(label);
  out.set(head, label.length);
  return out;
}

/** The parts of a pkcs11 blob; every length is checked against its bound before it is used. */
export interface Pkcs11BlobParts {
  readonly key: ProtectedKeyKind;
  readonly keyLabel: string;
  readonly identity: string;
  readonly head: Uint8Array;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * Decodes a pkcs11 blob's structure (no token involved).
 * @throws {KeyStoreError} `malformed`
 */
export function decodePkcs11Blob(blob: Uint8Array): Pkcs11BlobParts {
  if (!(blob instanceof Uint8Array)) throw new KeyStoreError('invalid-argument', 'blob: expected a Uint8Array');
  const bad = (why: string) => new KeyStoreError('malformed', `pkcs11 key blob: ${why}`);
  let off = 0;
  const need = (n: number, what: string) => {
    if (blob.length - off < n) throw bad(`truncated in the ${what}`);
    const v = blob.subarray(off, off + n);
    off += n;
    return v;
  };
  const [version, tier, keyByte] = need(3, 'header');
  if (version !== PKCS11_BLOB_VERSION) throw bad(`version 0x${version!.toString(16).padStart(2, '0')}, expected 0x01`);
  if (tier !== TIER_BYTE) throw bad(`tier byte 0x${tier!.toString(16).padStart(2, '0')}, expected 0x02 (pkcs11)`);
  const key: ProtectedKeyKind | undefined = keyByte === KEY_BYTES.kem ? 'kem' : keyByte === KEY_BYTES.signing ? 'signing' : undefined;
  if (key === undefined) throw bad(`key byte 0x${keyByte!.toString(16).padStart(2, '0')}, expected 0x02 (KEM) or 0x06 (signing)`);
  const l = need(1, 'label length')[0]!;
  if (l < 1 || l > MAX_PKCS11_LABEL_LENGTH) throw bad(`label length ${l}, expected 1 to ${MAX_PKCS11_LABEL_LENGTH}`);
  const keyLabel = String.fromCharCode(...need(l, 'label'));
  if (!LABEL.test(keyLabel)) throw bad('label: expected characters A-Z a-z 0-9 . _ -');
  const n = need(1, 'name length')[0]!;
  if (n < 1 || n > 64) throw bad(`name length ${n}, expected 1 to 64`);
  const identity = String.fromCharCode(...need(n, 'name'));
  if (!NAME.test(identity)) throw bad('name: expected characters a-z 0-9 -');
  const head = blob.subarray(0, off);
  const iv = need(PKCS11_GCM_IV_LENGTH, 'IV');
  const cl = need(2, 'ciphertext length');
  const C = (cl[0]! << 8) | cl[1]!;
  if (C < PKCS11_GCM_TAG_LENGTH + 1 || C > MAX_PKCS11_PLAINTEXT_LENGTH + PKCS11_GCM_TAG_LENGTH) {
    throw bad(`ciphertext length ${C}, expected ${PKCS11_GCM_TAG_LENGTH + 1} to ${MAX_PKCS11_PLAINTEXT_LENGTH + PKCS11_GCM_TAG_LENGTH}`);
  }
  const ciphertext = need(C, 'ciphertext');
  if (off !== blob.length) throw bad(`${blob.length - off} bytes after the ciphertext`);
  return Object.freeze({ key, keyLabel, identity, head, iv, ciphertext });
}

/**
 * Opens the pkcs11 tier: loads pkcs11js and the module, finds the token by
 * label, logs in with the user PIN, finds (or, with `createKey`, generates)
 * the AES-256 key, and checks that the key can never leave the token
 * (CKA_SENSITIVE, CKA_ALWAYS_SENSITIVE true; CKA_EXTRACTABLE false,
 * CKA_NEVER_EXTRACTABLE true). Close it when done.
 * @throws {KeyStoreError} `unavailable` (pkcs11js or the module), `token-not-found`, `pin-incorrect`, `pin-locked`,
 *   `key-not-found`, `key-policy` (a key that could leave the token, or two with the label), `token`
 */
export async function openPkcs11Tier(options: Pkcs11TierOptions): Promise<Pkcs11Tier> {
  if (typeof options !== 'object' || options === null) throw new KeyStoreError('invalid-argument', 'options: expected { module, token, pin, keyLabel }');
  const { module, token, pin, keyLabel } = options;
  if (typeof module !== 'string' || module === '') throw new KeyStoreError('invalid-argument', 'module: expected the path of a PKCS#11 library');
  if (typeof token !== 'string' || token === '' || token.length > 32) throw new KeyStoreError('invalid-argument', 'token: expected a token label of 1 to 32 characters');
  if (typeof pin !== 'string' || pin === '') throw new KeyStoreError('invalid-argument', 'pin: expected a non-empty string');
  if (typeof keyLabel !== 'string' || !LABEL.test(keyLabel)) throw new KeyStoreError('invalid-argument', 'keyLabel: expected 1 to 64 characters of A-Z a-z 0-9 . _ -');

  const lib = await importPkcs11js();
  const p = new lib.PKCS11();
  try {
    p.load(module);
  } catch (e) {
    throw new KeyStoreError('unavailable', `cannot load the PKCS#11 module ${module}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
  let initialized = false;
  let session: Pkcs11Js.Handle | undefined;
  let loggedIn = false;
  const release = () => {
    // Best effort: each step is independent of the others' success.
    if (loggedIn && session !== undefined) {
      try {
        p.C_Logout(session);
      } catch {}
    }
    loggedIn = false;
    if (session !== undefined) {
      try {
        p.C_CloseSession(session);
      } catch {}
    }
    session = undefined;
    if (initialized) {
      try {
        p.C_Finalize();
      } catch {}
    }
    initialized = false;
    try {
      p.close();
    } catch {}
  };
  try {
    try {
      p.C_Initialize();
      initialized = true;
    } catch (e) {
      // Another opener in this process initialized the module: use it, leave finalizing to it.
      if (ckr(e) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw tokenError('C_Initialize', e);
    }
    let slot: Pkcs11Js.Handle | undefined;
    try {
      for (const s of p.C_GetSlotList(true)) {
        if (p.C_GetTokenInfo(s).label.replace(/[ \0]+$/, '') === token) {
          slot = s;
          break;
        }
      }
    } catch (e) {
      throw tokenError('C_GetSlotList', e);
    }
    if (slot === undefined) throw new KeyStoreError('token-not-found', `no token labelled ${JSON.stringify(token)} in ${module}`);
    try {
      session = p.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    } catch (e) {
      throw tokenError('C_OpenSession', e);
    }
    try {
      p.C_Login(session, lib.CKU_USER, pin);
      loggedIn = true;
    } catch (e) {
      const code = ckr(e);
      if (code === 'CKR_PIN_INCORRECT') throw new KeyStoreError('pin-incorrect', `token ${JSON.stringify(token)}: wrong user PIN`, { pkcs11Code: code });
      if (code === 'CKR_PIN_LOCKED') throw new KeyStoreError('pin-locked', `token ${JSON.stringify(token)}: the user PIN is locked`, { pkcs11Code: code });
      if (code !== 'CKR_USER_ALREADY_LOGGED_IN') throw tokenError('C_Login', e);
    }
    const s = session;
    let handles: Pkcs11Js.Handle[];
    try {
      p.C_FindObjectsInit(s, [
        { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
        { type: lib.CKA_LABEL, value: keyLabel },
      ]);
      try {
        handles = p.C_FindObjects(s, 2);
      } finally {
        p.C_FindObjectsFinal(s);
      }
    } catch (e) {
      throw tokenError('C_FindObjects', e);
    }
    let createdKey = false;
    if (handles.length > 1) throw new KeyStoreError('key-policy', `token ${JSON.stringify(token)} holds more than one secret key labelled ${JSON.stringify(keyLabel)}`);
    let key = handles[0];
    if (key === undefined) {
      if (options.createKey !== true) throw new KeyStoreError('key-not-found', `token ${JSON.stringify(token)} has no secret key labelled ${JSON.stringify(keyLabel)}`);
      try {
        key = p.C_GenerateKey(s, { mechanism: lib.CKM_AES_KEY_GEN }, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
          { type: lib.CKA_VALUE_LEN, value: 32 },
          { type: lib.CKA_TOKEN, value: true },
          { type: lib.CKA_PRIVATE, value: true },
          { type: lib.CKA_SENSITIVE, value: true },
          { type: lib.CKA_EXTRACTABLE, value: false },
          { type: lib.CKA_ENCRYPT, value: true },
          { type: lib.CKA_DECRYPT, value: true },
          { type: lib.CKA_WRAP, value: false },
          { type: lib.CKA_UNWRAP, value: false },
          { type: lib.CKA_SIGN, value: false },
          { type: lib.CKA_VERIFY, value: false },
          { type: lib.CKA_DERIVE, value: false },
          { type: lib.CKA_LABEL, value: keyLabel },
          { type: lib.CKA_ID, value: Buffer.from(keyLabel, 'latin1') },
        ]);
        createdKey = true;
      } catch (e) {
        throw tokenError('C_GenerateKey', e);
      }
    }
    // Refuse a key that could have left the token, or could leave it.
    let attrs: Pkcs11Js.AttributeResult[];
    try {
      attrs = p.C_GetAttributeValue(s, key, [
        { type: lib.CKA_KEY_TYPE },
        { type: lib.CKA_VALUE_LEN },
        { type: lib.CKA_SENSITIVE },
        { type: lib.CKA_ALWAYS_SENSITIVE },
        { type: lib.CKA_EXTRACTABLE },
        { type: lib.CKA_NEVER_EXTRACTABLE },
        { type: lib.CKA_ENCRYPT },
        { type: lib.CKA_DECRYPT },
      ]);
    } catch (e) {
      throw tokenError('C_GetAttributeValue', e);
    }
    const ulong = (b: Buffer) => (b.length === 8 ? Number(b.readBigUInt64LE()) : b.length === 4 ? b.readUInt32LE() : -1);
    const bool = (b: Buffer) => b.length === 1 && b[0] === 1;
    const [type, len, sens, alwaysSens, extr, neverExtr, enc, dec] = attrs.map((a) => a.value);
    const policy: string[] = [];
    if (ulong(type!) !== lib.CKK_AES) policy.push('not an AES key');
    if (ulong(len!) !== 32) policy.push('not 256 bits');
    if (!bool(sens!) || !bool(alwaysSens!)) policy.push('not (always) sensitive');
    if (bool(extr!) || !bool(neverExtr!)) policy.push('extractable or was extractable');
    if (!bool(enc!) || !bool(dec!)) policy.push('cannot encrypt and decrypt');
    if (policy.length > 0) throw new KeyStoreError('key-policy', `token key ${JSON.stringify(keyLabel)}: ${policy.join(', ')}`);

    const mechanism = (iv: Uint8Array, aad: Buffer): Pkcs11Js.Mechanism => ({
      mechanism: lib.CKM_AES_GCM,
      parameter: { type: lib.CK_PARAMS_AES_GCM_v240, iv: Buffer.from(iv), ivBits: PKCS11_GCM_IV_LENGTH * 8, aad, tagBits: PKCS11_GCM_TAG_LENGTH * 8 } as Pkcs11Js.GcmParams,
    });
    const live = () => {
      if (session === undefined) throw new KeyStoreError('invalid-argument', 'the pkcs11 tier is closed');
      return session;
    };
    const keyHandle = key;

    const tier: Pkcs11Tier = {
      tier: 'pkcs11' as StorageTier & 'pkcs11',
      keyLabel,
      createdKey,
      async protect(encodedPrivateKey: Uint8Array, binding: KeyBinding) {
        const { identity, key: which } = checkBinding(binding);
        checkEncodedPrivateKey(encodedPrivateKey, which);
        if (encodedPrivateKey.length > MAX_PKCS11_PLAINTEXT_LENGTH) throw new KeyStoreError('invalid-argument', `encodedPrivateKey: longer than ${MAX_PKCS11_PLAINTEXT_LENGTH} bytes`);
        const sess = live();
        const head = header(which, keyLabel, identity);
        const iv = globalThis.crypto.getRandomValues(new Uint8Array(PKCS11_GCM_IV_LENGTH));
        const input = Buffer.from(encodedPrivateKey);
        let ct: Buffer;
        try {
          p.C_EncryptInit(sess, mechanism(iv, aadOf(head)), keyHandle);
          ct = p.C_Encrypt(sess, input, Buffer.alloc(input.length + PKCS11_GCM_TAG_LENGTH + 16));
        } catch (e) {
          throw tokenError('C_Encrypt', e);
        } finally {
          input.fill(0);
        }
        if (ct.length !== encodedPrivateKey.length + PKCS11_GCM_TAG_LENGTH) throw new KeyStoreError('token', `C_Encrypt: ${ct.length} bytes, expected ${encodedPrivateKey.length + PKCS11_GCM_TAG_LENGTH}`);
        const out = new Uint8Array(head.length + PKCS11_GCM_IV_LENGTH + 2 + ct.length);
        out.set(head);
        out.set(iv, head.length);
        out[head.length + PKCS11_GCM_IV_LENGTH] = ct.length >> 8;
        out[head.length + PKCS11_GCM_IV_LENGTH + 1] = ct.length & 0xff;
        out.set(ct, head.length + PKCS11_GCM_IV_LENGTH + 2);
        return out;
      },
      async unprotect(blob: Uint8Array, binding: KeyBinding) {
        const { identity, key: which } = checkBinding(binding);
        const parts = decodePkcs11Blob(blob);
        // Checked before the token sees anything: a blob of another identity, key or token key is refused as such.
        if (parts.identity !== identity || parts.key !== which) {
          throw new KeyStoreError('mismatch', `the blob holds the ${parts.key} key of ${JSON.stringify(parts.identity)}, expected the ${which} key of ${JSON.stringify(identity)}`);
        }
        if (parts.keyLabel !== keyLabel) throw new KeyStoreError('mismatch', `the blob was made under token key ${JSON.stringify(parts.keyLabel)}, this tier holds ${JSON.stringify(keyLabel)}`);
        const sess = live();
        let plain: Buffer;
        try {
          p.C_DecryptInit(sess, mechanism(parts.iv, aadOf(parts.head)), keyHandle);
          plain = p.C_Decrypt(sess, Buffer.from(parts.ciphertext), Buffer.alloc(parts.ciphertext.length));
        } catch (e) {
          const code = ckr(e);
          // A failed GCM tag check: CKR_ENCRYPTED_DATA_INVALID by the standard (v2.40 Base §5.8),
          // CKR_GENERAL_ERROR from SoftHSM 2.6.1, which reports OpenSSL's failed final step so.
          if (code === 'CKR_ENCRYPTED_DATA_INVALID' || code === 'CKR_ENCRYPTED_DATA_LEN_RANGE' || code === 'CKR_GENERAL_ERROR') {
            throw new KeyStoreError('authentication', `the token refused the ${which} key blob of ${JSON.stringify(identity)}: modified, or made under another key with the same label`, {
              cause: e,
              pkcs11Code: code,
            });
          }
          throw tokenError('C_Decrypt', e);
        }
        const out = new Uint8Array(plain);
        plain.fill(0);
        if (out.length !== parts.ciphertext.length - PKCS11_GCM_TAG_LENGTH || out[0] !== 0x01 || out[1] !== KEY_BYTES[which]) {
          out.fill(0);
          throw new KeyStoreError('malformed', `the ${which} key blob of ${JSON.stringify(identity)} did not hold an encoded ${which} private key`);
        }
        return out;
      },
      async close() {
        release();
      },
    };
    return Object.freeze(tier);
  } catch (e) {
    release();
    throw e;
  }
}
