// spec/MESH.md §3: directory records (kind 0x0b) and the trusted directory.
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDirectoryRecord,
  createIssuer,
  createMemoryNodeStore,
  createReceiver,
  decodeDirectoryRecord,
  DirectoryError,
  EnvelopeRefusedError,
  patternCovers,
  TrustedDirectory,
  type MeshCrypto,
  type StorageTier,
} from '../src/index.js';
import { kemKeys, makeCrypto, signingKeys, T0, utf8, type KemKeys, type SigningKeys } from './helpers.js';
import { hex } from './wire.js';

let crypto: MeshCrypto;
let anchor: SigningKeys;
let issuerKeys: SigningKeys;
let nodeKem: KemKeys;
let nodeSigning: SigningKeys;

beforeAll(() => {
  crypto = makeCrypto();
  anchor = signingKeys(crypto);
  issuerKeys = signingKeys(crypto);
  nodeKem = kemKeys(crypto);
  nodeSigning = signingKeys(crypto);
});

function record(o: { role: 'node' | 'issuer'; name?: string; revision?: number; pattern?: string; signing?: SigningKeys; by?: SigningKeys; kem?: KemKeys; tier?: StorageTier }) {
  const by = o.by ?? anchor;
  return createDirectoryRecord({
    crypto,
    anchorPrivateKey: by.privateKey,
    anchorPublicKey: by.publicKey,
    role: o.role,
    name: o.name ?? (o.role === 'node' ? 'node-1' : 'issuer-1'),
    revision: o.revision ?? 1,
    issuedAt: T0,
    ...(o.role === 'node' ? { kemPublicKey: (o.kem ?? nodeKem).publicKey } : {}),
    signingPublicKey: (o.signing ?? (o.role === 'node' ? nodeSigning : issuerKeys)).publicKey,
    ...(o.pattern !== undefined ? { keyNamePattern: o.pattern } : o.role === 'issuer' ? { keyNamePattern: '*' } : {}),
    ...(o.tier !== undefined ? { storageTier: o.tier } : {}),
  });
}

const directory = () => new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });

function refused(fn: () => unknown): DirectoryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DirectoryError);
    return e as DirectoryError;
  }
  throw new Error('expected a DirectoryError');
}

describe('directory records (spec/MESH.md §3)', () => {
  it('lays a node record out as the spec says, signed by the anchor', () => {
    const bytes = record({ role: 'node', name: 'node-1', revision: 258 });
    const K = nodeKem.publicKey.length; // 1220: X-Wing's 1216-byte key in a 4-byte v1 header
    const G = nodeSigning.publicKey.length; // 1988: MLDSA65-Ed25519's 1984 bytes + 4
    expect([K, G]).toEqual([1220, 1988]);
    const n = 6;
    let off = 0;
    expect([bytes[0], bytes[1], bytes[2], bytes[3]]).toEqual([0x01, 0x0b, 0xfe, 0x02]);
    expect(hex(bytes.subarray(4, 20))).toBe(hex(sha256(anchor.publicKey).subarray(0, 16)));
    expect([bytes[20], bytes[21], bytes[22]]).toEqual([0x01, 0x01, n]); // role node, tier passphrase-file (the default)
    expect(new TextDecoder().decode(bytes.subarray(23, 29))).toBe('node-1');
    off = 23 + n;
    expect(hex(bytes.subarray(off, off + 8))).toBe('0000000000000102');
    expect(hex(bytes.subarray(off + 8, off + 16))).toBe(T0.toString(16).padStart(16, '0'));
    off += 16;
    expect((bytes[off]! << 8) | bytes[off + 1]!).toBe(K);
    expect(hex(bytes.subarray(off + 2, off + 2 + K))).toBe(hex(nodeKem.publicKey));
    off += 2 + K;
    expect((bytes[off]! << 8) | bytes[off + 1]!).toBe(G);
    expect(hex(bytes.subarray(off + 2, off + 2 + G))).toBe(hex(nodeSigning.publicKey));
    off += 2 + G;
    expect(bytes[off]).toBe(0); // no pattern for a node
    off += 1;
    expect(bytes.length - off).toBe(3373);
    const v = crypto.signer.verify(anchor.publicKey.subarray(4), bytes.subarray(0, off), bytes.subarray(off), { context: utf8('hybridkem/v1/mesh/directory') });
    expect(v.valid).toBe(true);
    const d = decodeDirectoryRecord(bytes);
    expect(d).toMatchObject({ role: 'node', storageTier: 'passphrase-file', name: 'node-1', revision: 258, issuedAt: T0, keyNamePattern: '' });
    expect(d.kemKeyId).toBe(hex(sha256(nodeKem.publicKey).subarray(0, 16)));
    expect(d.signingKeyId).toBe(hex(sha256(nodeSigning.publicKey).subarray(0, 16)));
  });

  it('carries an issuer\'s pattern and may omit its KEM key', () => {
    const bytes = record({ role: 'issuer', pattern: 'svc-*' });
    const d = decodeDirectoryRecord(bytes);
    expect(d).toMatchObject({ role: 'issuer', keyNamePattern: 'svc-*', kemPublicKey: undefined });
    expect(bytes[20]).toBe(0x02);
  });

  it('carries the key-storage tier at offset 21, signed with the rest', () => {
    const pk = record({ role: 'node', tier: 'pkcs11' });
    expect(pk[21]).toBe(0x02);
    expect(decodeDirectoryRecord(pk).storageTier).toBe('pkcs11');
    const iss = record({ role: 'issuer', tier: 'pkcs11' });
    expect([iss[20], iss[21]]).toEqual([0x02, 0x02]);
    expect(decodeDirectoryRecord(iss).storageTier).toBe('pkcs11');
    expect(record({ role: 'node', tier: 'passphrase-file' })[21]).toBe(0x01);
    // Changing the tier after signing breaks the anchor's signature.
    const downgraded = pk.slice();
    downgraded[21] = 0x01;
    expect(decodeDirectoryRecord(downgraded).storageTier).toBe('passphrase-file');
    expect(refused(() => directory().add(downgraded)).reason).toBe('bad-signature');
    expect(() => record({ role: 'node', tier: 'hsm' as never })).toThrow(/storageTier/);
  });

  it('refuses bad records at creation', () => {
    expect(() => record({ role: 'issuer', pattern: '' })).toThrow(/keyNamePattern/);
    expect(() => record({ role: 'issuer', pattern: 'a*b' })).toThrow(/keyNamePattern/);
    expect(() => record({ role: 'node', pattern: '*' })).toThrow(/keyNamePattern/);
    expect(() => record({ role: 'node', name: 'Node_1' })).toThrow(/name/);
    expect(() => record({ role: 'node', name: 'n'.repeat(65) })).toThrow(/name/);
    expect(() => record({ role: 'node', revision: 0 })).toThrow(/revision/);
    expect(() =>
      createDirectoryRecord({ crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, role: 'node', name: 'x', revision: 1, issuedAt: T0, signingPublicKey: nodeSigning.publicKey }),
    ).toThrow(/KEM public key/);
    // An anchor private key that is not the public key's.
    expect(() =>
      createDirectoryRecord({ crypto, anchorPrivateKey: issuerKeys.privateKey, anchorPublicKey: anchor.publicKey, role: 'issuer', name: 'x', revision: 1, issuedAt: T0, signingPublicKey: issuerKeys.publicKey, keyNamePattern: '*' }),
    ).toThrow(/anchorPrivateKey/);
  });

  it('is ERR_TRUNCATED at every cut and ERR_TRAILING_DATA after the signature', () => {
    const bytes = record({ role: 'issuer', pattern: 'svc-*' });
    for (let n = 0; n < bytes.length; n++) {
      const e = refused(() => directory().add(bytes.subarray(0, n)));
      expect([e.reason, e.code], `cut at ${n}`).toEqual(['malformed', 'ERR_TRUNCATED']);
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(refused(() => directory().add(longer)).code).toBe('ERR_TRAILING_DATA');
  });

  it('bounds the role, name and lengths', () => {
    const bytes = record({ role: 'node' });
    const with_ = (off: number, v: number) => {
      const c = bytes.slice();
      c[off] = v;
      return c;
    };
    expect(() => decodeDirectoryRecord(with_(20, 3))).toThrow(expect.objectContaining({ field: 'role' }));
    for (const t of [0x00, 0x03, 0xff]) expect(() => decodeDirectoryRecord(with_(21, t))).toThrow(expect.objectContaining({ field: 'storage tier', code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => decodeDirectoryRecord(with_(22, 0))).toThrow(expect.objectContaining({ field: 'name length' }));
    expect(() => decodeDirectoryRecord(with_(22, 65))).toThrow(expect.objectContaining({ field: 'name length' }));
    expect(() => decodeDirectoryRecord(with_(23, 0x41))).toThrow(expect.objectContaining({ field: 'name' })); // 'A'
    const kOff = 23 + 6 + 16;
    expect(() => decodeDirectoryRecord(with_(kOff, 0x07))).toThrow(expect.objectContaining({ field: 'KEM public key length' })); // 0x07c4 = 1988 > 1669
    expect(() => decodeDirectoryRecord(with_(1, 0x0a))).toThrow(expect.objectContaining({ code: 'ERR_WRONG_KIND' }));
  });

  it('matches key names against issuer patterns', () => {
    const cases: [string, string, boolean][] = [
      ['*', 'anything.at-all', true],
      ['svc-*', 'svc-db', true],
      ['svc-*', 'svc-', true],
      ['svc-*', 'svc', false],
      ['svc-*', 'db-svc-x', false],
      ['svc.db', 'svc.db', true],
      ['svc.db', 'svc.dbx', false],
      ['', 'svc', false],
      ['s*c', 'sxc', false],
    ];
    for (const [pattern, name, covers] of cases) expect(patternCovers(pattern, name), `${pattern} ${name}`).toBe(covers);
  });
});

describe('TrustedDirectory', () => {
  it('keeps verified records and finds issuers by signing key id', () => {
    const d = directory();
    d.add(record({ role: 'node' }));
    d.add(record({ role: 'issuer' }));
    expect(d.node('node-1')?.kemKeyId).toBe(hex(sha256(nodeKem.publicKey).subarray(0, 16)));
    expect(d.node('issuer-1')).toBeUndefined();
    expect(d.issuerByKeyId(hex(sha256(issuerKeys.publicKey).subarray(0, 16)))?.name).toBe('issuer-1');
    expect(d.issuerByKeyId(hex(sha256(nodeSigning.publicKey).subarray(0, 16)))).toBeUndefined();
    expect(d.records().map((r) => r.name)).toEqual(['issuer-1', 'node-1']);
  });

  it('refuses a record signed by another anchor, or tampered', () => {
    const other = signingKeys(crypto);
    const e = refused(() => directory().add(record({ role: 'node', by: other })));
    expect([e.reason, e.code]).toEqual(['unknown-anchor', 'ERR_AUTHENTICATION']);
    const bytes = record({ role: 'node' });
    bytes[23]! ^= 0x02; // 'n' -> 'l': still a valid name, but not what the anchor signed
    const b = refused(() => directory().add(bytes));
    expect(b.reason).toBe('bad-signature');
    expect([b.verdicts?.mldsa.valid, b.verdicts?.eddsa.valid]).toEqual([false, false]);
  });

  it('keeps the highest revision; lower or conflicting revisions are directory rollbacks', () => {
    const d = directory();
    const r2 = record({ role: 'node', revision: 2 });
    d.add(r2);
    expect(d.add(r2).revision).toBe(2); // the same bytes again: a no-op
    expect(refused(() => d.add(record({ role: 'node', revision: 1 }))).reason).toBe('rollback');
    const swapped = record({ role: 'node', revision: 2, kem: kemKeys(crypto) });
    expect(refused(() => d.add(swapped)).reason).toBe('rollback');
    const fresh = kemKeys(crypto);
    d.add(record({ role: 'node', revision: 3, kem: fresh }));
    expect(d.node('node-1')?.kemKeyId).toBe(hex(sha256(fresh.publicKey).subarray(0, 16)));
  });

  it('an issuer whose key was rotated out is unknown to receivers', async () => {
    const d = directory();
    d.add(record({ role: 'node' }));
    d.add(record({ role: 'issuer', revision: 1 }));
    const newKeys = signingKeys(crypto);
    d.add(record({ role: 'issuer', revision: 2, signing: newKeys }));
    const old = createIssuer({ crypto, signingPrivateKey: issuerKeys.privateKey, signingPublicKey: issuerKeys.publicKey });
    const receiver = createReceiver({ crypto, kemPrivateKey: nodeKem.privateKey, kemPublicKey: nodeKem.publicKey, directory: d, store: createMemoryNodeStore() });
    const env = await old.issue({ recipientKemPublicKey: nodeKem.publicKey, keyName: 'k', version: 1, key: utf8('x') });
    await expect(receiver.receive(env.bytes)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'unknown-issuer');
    const current = createIssuer({ crypto, signingPrivateKey: newKeys.privateKey, signingPublicKey: newKeys.publicKey });
    const ok = await current.issue({ recipientKemPublicKey: nodeKem.publicKey, keyName: 'k', version: 1, key: utf8('x') });
    await expect(receiver.receive(ok.bytes)).resolves.toMatchObject({ keyName: 'k' });
  });
});
