/**
 * Composite signatures through the CLI: keygen with a signature suite, sign,
 * verify and inspect; the published draft-ietf-lamps-pq-composite-sigs
 * vectors (../shared/vectors/composite-sigs); tampering; streaming a large
 * file; and bad input.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dearmor } from '@hybridkem/core';
import {
  createSigner,
  decodeSignature,
  decodeSigningPrivateKey,
  decodeSigningPublicKey,
  encodeSignature,
  SIGNATURE_SUITES,
  type SignatureSuite,
} from '@hybridkem/signing';
import { signatureBackend } from '@hybridkem/noble';
import { beforeAll, describe, expect, it } from 'vitest';
import { hybridkem, ok, okJson, SHARED_VECTORS, sharedVectorsState, tempDirForFile, type RunResult } from './helpers.js';

const posix = process.platform !== 'win32';
const MLDSA65 = SIGNATURE_SUITES.find((s) => s.name === 'MLDSA65-Ed25519-SHA512')!;

const tmp = tempDirForFile();
const f = tmp.file;

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const keyIdOf = (encoded: Uint8Array): string => createHash('sha256').update(encoded).digest().subarray(0, 16).toString('hex');

interface VerifyJson {
  suite: string;
  valid: boolean;
  mldsa: { algorithm: string; valid: boolean; reason?: string };
  eddsa: { algorithm: string; valid: boolean; reason?: string };
}

function expectVerdict(r: RunResult, suite: SignatureSuite, mldsa: boolean, eddsa: boolean): void {
  const line = (name: string, valid: boolean): RegExp =>
    new RegExp(`^${name}: ${valid ? 'valid$' : `INVALID \\(${name} signature does not verify\\)$`}`, 'm');
  expect(r.stdout).toMatch(line(suite.mldsa.name, mldsa));
  expect(r.stdout).toMatch(line(suite.eddsa.name, eddsa));
  expect(r.stdout).toMatch(new RegExp(`^signature: ${mldsa && eddsa ? 'valid' : 'INVALID'}$`, 'm'));
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
  expect(r.code).toBe(mldsa && eddsa ? 0 : 1);
  expect(r.stderr).toBe('');
}

/** A copy of an armored signature with one byte of the raw signature flipped. */
function flipByte(armored: string, index: number): Uint8Array {
  const { suite, signature } = decodeSignature(dearmor(armored).encoded);
  const bad = signature.slice();
  bad[index < 0 ? bad.length + index : index]! ^= 0x01;
  return encodeSignature(suite, bad);
}

// Independent spawns: run concurrently to keep the test time down.
describe.concurrent('published vectors (composite-sigs/testvectors.json)', () => {
  const state = sharedVectorsState();
  if (state === 'fail') {
    it('needs ../shared/vectors in CI', () => {
      throw new Error(`CI=true but the published vectors are missing at ${SHARED_VECTORS}`);
    });
    return;
  }
  if (state === 'skip') {
    console.warn(`[cli tests] skipping composite-signature vector tests: ${SHARED_VECTORS} not found (CI fails instead)`);
    it.skip('skipped: ../shared/vectors not found', () => {});
    return;
  }

  interface Vectors {
    m: string;
    ctx: string;
    tests: { tcId: string; pk: string; sk: string; s: string; sWithContext: string }[];
  }
  const data = JSON.parse(readFileSync(join(SHARED_VECTORS, 'composite-sigs/testvectors.json'), 'utf8')) as Vectors;
  const b64hex = (s: string): string => Buffer.from(s, 'base64').toString('hex');
  const message = (): string => f('vector-message.txt');
  beforeAll(async () => {
    await writeFile(message(), Buffer.from(data.m, 'base64'));
  });

  for (const suite of SIGNATURE_SUITES) {
    describe(suite.name, () => {
      const v = data.tests.find((t) => t.tcId === `id-${suite.name}`);
      const pk = (): string => b64hex(v!.pk);
      const base = (): string[] => ['verify', '--suite', suite.name, '--public-key-hex', pk()];

      it('is in the file, with the sizes of the suite', () => {
        expect(v).toBeDefined();
        expect(pk().length / 2).toBe(suite.lengths.publicKey);
        expect(b64hex(v!.s).length / 2).toBe(suite.lengths.signature);
      });

      it('verify --public-key-hex --signature-hex: exit 0, both components valid', async () => {
        expectVerdict(await hybridkem([...base(), '--signature-hex', b64hex(v!.s), message()]), suite, true, true);
        const json = await okJson<VerifyJson>([...base(), '--signature-hex', b64hex(v!.s), message()]);
        expect(json).toEqual({
          suite: suite.name,
          backend: 'native',
          valid: true,
          mldsa: { algorithm: suite.mldsa.name, valid: true },
          eddsa: { algorithm: suite.eddsa.name, valid: true },
        });
      });

      it('sWithContext with --context-hex ctx: exit 0; the same context as a string works too', async () => {
        const args = [...base(), '--signature-hex', b64hex(v!.sWithContext), message()];
        expectVerdict(await hybridkem([...args, '--context-hex', b64hex(data.ctx)]), suite, true, true);
        expectVerdict(await hybridkem([...args, '--context', Buffer.from(data.ctx, 'base64').toString('utf8')]), suite, true, true);
      });

      it('sWithContext without the context: exit 1, reported invalid', async () => {
        const r = await hybridkem([...base(), '--signature-hex', b64hex(v!.sWithContext), message()]);
        expectVerdict(r, suite, false, false);
        const json = JSON.parse((await hybridkem([...base(), '--signature-hex', b64hex(v!.sWithContext), message(), '--json'])).stdout) as VerifyJson;
        expect(json.valid).toBe(false);
        expect(json.mldsa.valid).toBe(false);
        expect(json.eddsa.valid).toBe(false);
      });

      it('keygen --seed sk gives the published public key', async () => {
        const out = await okJson<{ publicKey: string; privateKey: string }>(['keygen', '--suite', suite.name, '--seed', b64hex(v!.sk)]);
        expect(out.publicKey).toBe(pk());
        expect(out.privateKey).toBe(b64hex(v!.sk));
      });
    });
  }
});

describe.concurrent('keygen with a signature suite', () => {
  it('--out writes armored signing keys, the .key with mode 0600, and will not overwrite without --force', async () => {
    const prefix = f('kg');
    const out = await ok(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--out', prefix]);
    const pubText = await readFile(`${prefix}.pub`, 'utf8');
    const keyText = await readFile(`${prefix}.key`, 'utf8');
    expect(pubText).toMatch(/^-----BEGIN HYBRIDKEM SIGNING PUBLIC KEY-----\n[\s\S]*\n-----END HYBRIDKEM SIGNING PUBLIC KEY-----\n$/);
    expect(keyText).toMatch(/^-----BEGIN HYBRIDKEM SIGNING PRIVATE KEY-----\n[\s\S]*\n-----END HYBRIDKEM SIGNING PRIVATE KEY-----\n$/);
    if (posix) expect((await stat(`${prefix}.key`)).mode & 0o777).toBe(0o600);
    const pub = decodeSigningPublicKey(dearmor(pubText).encoded);
    const key = decodeSigningPrivateKey(dearmor(keyText).encoded);
    expect(pub.suite.name).toBe('MLDSA65-Ed25519-SHA512');
    expect(createSigner(key.suite, signatureBackend).getPublicKey(key.privateKey)).toEqual(pub.publicKey);
    expect(out).toBe(`wrote ${prefix}.pub and ${prefix}.key (MLDSA65-Ed25519-SHA512, key id ${keyIdOf(dearmor(pubText).encoded)})\n`);

    const r = await hybridkem(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--out', prefix]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/already exists.*--force/);
    expect(await readFile(`${prefix}.key`, 'utf8')).toBe(keyText);
    await ok(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--out', prefix, '--force']);
    expect(await readFile(`${prefix}.key`, 'utf8')).not.toBe(keyText);
  });

  for (const suite of SIGNATURE_SUITES) {
    it(`${suite.name} --json: suite, raw hex keys, key id, armored objects; deterministic with --seed`, async () => {
      const seed = 'a5'.repeat(suite.lengths.seed);
      const out = await okJson<{ suite: string; publicKey: string; privateKey: string; keyId: string; encoded: Record<string, string> }>([
        'keygen', '--suite', suite.name.toLowerCase(), '--seed', seed,
      ]);
      expect(out.suite).toBe(suite.name);
      expect(out.privateKey).toBe(seed);
      expect(out.publicKey).toBe(toHex(createSigner(suite, signatureBackend).keygen(Buffer.from(seed, 'hex')).publicKey));
      const encodedPub = dearmor(out.encoded.publicKey!).encoded;
      expect(toHex(decodeSigningPublicKey(encodedPub).publicKey)).toBe(out.publicKey);
      expect(toHex(decodeSigningPrivateKey(dearmor(out.encoded.privateKey!).encoded).privateKey)).toBe(seed);
      expect(out.keyId).toBe(keyIdOf(encodedPub));
    });
  }
});

describe('sign → verify', () => {
  for (const suite of SIGNATURE_SUITES) {
    it(`${suite.name}: keygen --out, sign, verify (exit 0); a tampered file fails in both components (exit 1)`, async () => {
      const prefix = f(`rt-${suite.id}`);
      const msg = f(`rt-${suite.id}.txt`);
      await ok(['keygen', '--suite', suite.name, '--out', prefix]);
      await writeFile(msg, 'attack at dawn\n');
      const sig = await ok(['sign', '--key', `${prefix}.key`, msg]);
      expect(sig).toMatch(/^-----BEGIN HYBRIDKEM SIGNATURE-----\n[\s\S]*\n-----END HYBRIDKEM SIGNATURE-----\n$/);
      expect(decodeSignature(dearmor(sig).encoded).suite.name).toBe(suite.name);
      await writeFile(`${msg}.sig`, sig);
      const args = ['verify', '--public-key', `${prefix}.pub`, '--signature', `${msg}.sig`, msg];
      expectVerdict(await hybridkem(args), suite, true, true);

      await writeFile(msg, 'attack at dusk\n');
      expectVerdict(await hybridkem(args), suite, false, false);
    });
  }

  it('a signature with its last byte (EdDSA part) flipped: exit 1, ML-DSA valid, EdDSA INVALID', async () => {
    await ok(['keygen', '--suite', MLDSA65.name, '--out', f('flip')]);
    await writeFile(f('flip.txt'), 'some message');
    const sig = await ok(['sign', '--key', f('flip.key'), f('flip.txt')]);
    await writeFile(f('flip.sig'), flipByte(sig, -1)); // binary wire form
    const args = ['verify', '--public-key', f('flip.pub'), '--signature', f('flip.sig'), f('flip.txt')];
    const r = await hybridkem([...args, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as VerifyJson;
    expect(json.valid).toBe(false);
    expect(json.mldsa).toEqual({ algorithm: 'ML-DSA-65', valid: true });
    expect(json.eddsa.algorithm).toBe('Ed25519');
    expect(json.eddsa.valid).toBe(false);
    expect(json.eddsa.reason).toMatch(/Ed25519/);
    const human = await hybridkem(args);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^ML-DSA-65: valid$/m);
    expect(human.stdout).toMatch(/^Ed25519: INVALID \(.+\)$/m);
    expect(human.stdout).toMatch(/^signature: INVALID$/m);

    // And the first byte (ML-DSA part): the other way round.
    await writeFile(f('flip0.sig'), flipByte(sig, 0));
    const r0 = JSON.parse((await hybridkem(['verify', '--public-key', f('flip.pub'), '--signature', f('flip0.sig'), f('flip.txt'), '--json'])).stdout) as VerifyJson;
    expect(r0.mldsa.valid).toBe(false);
    expect(r0.eddsa.valid).toBe(true);
    expect((r0 as { backend?: string }).backend).toBe('native');
  });

  it('--deterministic: identical output twice, equal to the library; hedged signatures differ', async () => {
    await ok(['keygen', '--suite', MLDSA65.name, '--out', f('det')]);
    await writeFile(f('det.txt'), 'deterministic');
    const a = await ok(['sign', '--key', f('det.key'), '--deterministic', '--context', 'ctx', f('det.txt')]);
    const b = await ok(['sign', '--key', f('det.key'), '--deterministic', '--context', 'ctx', f('det.txt')]);
    expect(a).toBe(b);
    const key = decodeSigningPrivateKey(dearmor(await readFile(f('det.key'), 'utf8')).encoded);
    const expected = createSigner(MLDSA65, signatureBackend).sign(key.privateKey, Buffer.from('deterministic'), {
      context: Buffer.from('ctx'),
      deterministic: true,
    });
    expect(toHex(decodeSignature(dearmor(a).encoded).signature)).toBe(toHex(expected));
    const h1 = await ok(['sign', '--key', f('det.key'), f('det.txt')]);
    const h2 = await ok(['sign', '--key', f('det.key'), f('det.txt')]);
    expect(h1).not.toBe(h2);
  });

  it('--context: the signature binds it; verify needs the same one', async () => {
    await ok(['keygen', '--suite', MLDSA65.name, '--out', f('ctx')]);
    await writeFile(f('ctx.txt'), 'with context');
    await writeFile(f('ctx.sig'), await ok(['sign', '--key', f('ctx.key'), '--context', 'héllo', f('ctx.txt')]));
    const args = ['verify', '--public-key', f('ctx.pub'), '--signature', f('ctx.sig'), f('ctx.txt')];
    expectVerdict(await hybridkem([...args, '--context', 'héllo']), MLDSA65, true, true);
    expectVerdict(await hybridkem([...args, '--context-hex', Buffer.from('héllo').toString('hex')]), MLDSA65, true, true);
    expectVerdict(await hybridkem([...args, '--context', 'hello']), MLDSA65, false, false);
    expectVerdict(await hybridkem(args), MLDSA65, false, false);
  });

  it('--json, -o OUT, stdin as FILE, --private-key-hex and --public-key-hex', async () => {
    const suite = SIGNATURE_SUITES[0]!;
    const keys = await okJson<{ publicKey: string; privateKey: string }>(['keygen', '--suite', suite.name]);
    await writeFile(f('io.txt'), 'from stdin too');
    const json = await okJson<{ suite: string; signature: string; encoded: { signature: string } }>([
      'sign', '--suite', suite.name, '--private-key-hex', keys.privateKey, f('io.txt'),
    ]);
    expect(Object.keys(json).sort()).toEqual(['backend', 'encoded', 'signature', 'suite']);
    expect(json.suite).toBe(suite.name);
    expect(json.signature).toHaveLength(2 * suite.lengths.signature);
    expect(toHex(decodeSignature(dearmor(json.encoded.signature).encoded).signature)).toBe(json.signature);

    const out = await ok(['sign', '--suite', suite.name, '--private-key-hex', keys.privateKey, '-o', f('io.sig'), f('io.txt')]);
    expect(out).toMatch(/^wrote .*io\.sig \(MLDSA44-Ed25519-SHA512, key id [0-9a-f]{32}\)\n$/);
    const verify = ['verify', '--suite', suite.name, '--public-key-hex', keys.publicKey];
    expectVerdict(await hybridkem([...verify, '--signature', f('io.sig'), f('io.txt')]), suite, true, true);
    expectVerdict(await hybridkem([...verify, '--signature-hex', json.signature, f('io.txt')]), suite, true, true);

    const piped = await hybridkem(['sign', '--suite', suite.name, '--private-key-hex', keys.privateKey, '-'], { input: 'from stdin too' });
    expect(piped.code).toBe(0);
    await writeFile(f('stdin.sig'), piped.stdout);
    expectVerdict(await hybridkem([...verify, '--signature', f('stdin.sig'), f('io.txt')]), suite, true, true);
    expectVerdict(await hybridkem([...verify, '--signature', f('stdin.sig'), '-'], { input: 'from stdin too' }), suite, true, true);
  });

  it('a 50 MiB file signs and verifies, streamed (the same signature as the library over the whole buffer)', async () => {
    const big = f('big.bin');
    const data = randomBytes(50 * 1024 * 1024);
    await writeFile(big, data);
    await ok(['keygen', '--suite', MLDSA65.name, '--out', f('big')]);
    const sig = await ok(['sign', '--key', f('big.key'), '--deterministic', big]);
    await writeFile(f('big.sig'), sig);
    expectVerdict(await hybridkem(['verify', '--public-key', f('big.pub'), '--signature', f('big.sig'), big]), MLDSA65, true, true);
    const key = decodeSigningPrivateKey(dearmor(await readFile(f('big.key'), 'utf8')).encoded);
    const expected = createSigner(MLDSA65, signatureBackend).sign(key.privateKey, data, { deterministic: true });
    expect(toHex(decodeSignature(dearmor(sig).encoded).signature)).toBe(toHex(expected));
  });
});

describe('inspect on signing objects', () => {
  beforeAll(async () => {
    await ok(['keygen', '--suite', 'MLDSA87-Ed448-SHAKE256', '--out', f('ins')]);
    await writeFile(f('ins.txt'), 'inspect me');
    await writeFile(f('ins.sig'), await ok(['sign', '--key', f('ins.key'), f('ins.txt')]));
  });

  it('a signing public key: kind, suite and id, OID, sizes, key id', async () => {
    const pubText = await readFile(f('ins.pub'), 'utf8');
    const id = keyIdOf(dearmor(pubText).encoded);
    const out = await ok(['inspect', f('ins.pub')]);
    expect(out).toMatch(/^kind: +signing public key$/m);
    expect(out).toMatch(/^suite: +MLDSA87-Ed448-SHAKE256 \(0xfe03\)$/m);
    expect(out).toMatch(/^oid: +1\.3\.6\.1\.5\.5\.7\.6\.51$/m);
    expect(out).toMatch(/^length: +2649 bytes \(ML-DSA-87 2592 \+ Ed448 57\)$/m);
    expect(out).toMatch(new RegExp(`^key id: +${id}$`, 'm'));
    const json = await okJson<Record<string, unknown>>(['inspect', f('ins.pub')]);
    expect(json).toMatchObject({
      kind: 'signingPublicKey',
      suite: 'MLDSA87-Ed448-SHAKE256',
      suiteId: 0xfe03,
      oid: '1.3.6.1.5.5.7.6.51',
      length: 2649,
      keyId: id,
      components: { mldsa: { name: 'ML-DSA-87', length: 2592 }, eddsa: { name: 'Ed448', length: 57 } },
    });
    expect(json.signingPublicKey).toBe(toHex(dearmor(pubText).encoded.subarray(4)));
  });

  it('a signing private key: its public key id, never its bytes unless --json --reveal', async () => {
    const keyText = await readFile(f('ins.key'), 'utf8');
    const secret = toHex(decodeSigningPrivateKey(dearmor(keyText).encoded).privateKey);
    const b64 = keyText.split('\n')[1]!;
    const id = keyIdOf(dearmor(await readFile(f('ins.pub'), 'utf8')).encoded);
    const human = await ok(['inspect', f('ins.key')]);
    expect(human).toMatch(/^kind: +signing private key$/m);
    expect(human).toMatch(/^length: +89 bytes \(ML-DSA-87 seed 32 \+ Ed448 57\)$/m);
    expect(human).toContain(`${id} (of its public key)`);
    const json = await ok(['inspect', f('ins.key'), '--json']);
    for (const text of [human, json]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(b64);
    }
    expect(JSON.parse(json)).not.toHaveProperty('signingPrivateKey');
    const revealed = await okJson<Record<string, unknown>>(['inspect', f('ins.key'), '--reveal']);
    expect(revealed.signingPrivateKey).toBe(secret);
  });

  it('a signature, armored or binary', async () => {
    const out = await ok(['inspect', f('ins.sig')]);
    expect(out).toMatch(/^kind: +signature$/m);
    expect(out).toMatch(/^length: +4741 bytes \(ML-DSA-87 4627 \+ Ed448 114\)$/m);
    expect(out).not.toMatch(/key id/);
    await writeFile(f('ins.sig.bin'), dearmor(await readFile(f('ins.sig'), 'utf8')).encoded);
    const json = await okJson<Record<string, unknown>>(['inspect', f('ins.sig.bin')]);
    expect(json).toMatchObject({ format: 'binary', kind: 'signature', length: 4741 });
    expect(json).not.toHaveProperty('keyId');
  });
});

describe.concurrent('signing: bad input', () => {
  let sigPrefix: string;
  beforeAll(async () => {
    sigPrefix = f('bad');
    await ok(['keygen', '--suite', MLDSA65.name, '--out', sigPrefix]);
    await ok(['keygen', '--suite', 'MLDSA44-Ed25519-SHA512', '--out', f('bad44')]);
    await ok(['keygen', '--suite', 'X-Wing', '--out', f('kem')]);
    await writeFile(f('bad.txt'), 'message');
    await writeFile(f('bad44.sig'), await ok(['sign', '--key', f('bad44.key'), f('bad.txt')]));
    await writeFile(f('bad.sig'), await ok(['sign', '--key', `${sigPrefix}.key`, f('bad.txt')]));
  });

  const key = (): string[] => ['sign', '--key', `${sigPrefix}.key`];
  const pub = (): string[] => ['verify', '--public-key', `${sigPrefix}.pub`];
  const cases: { name: string; args: () => string[]; code: 1 | 2; stderr: RegExp }[] = [
    { name: 'wrong suite name', args: () => ['keygen', '--suite', 'MLDSA65-Ed25519'], code: 2, stderr: /unknown suite name "MLDSA65-Ed25519".*MLDSA65-Ed25519-SHA512/ },
    { name: 'a KEM suite for sign', args: () => ['sign', '--suite', 'X-Wing', '--private-key-hex', '00', f('bad.txt')], code: 2, stderr: /X-Wing is a KEM suite/ },
    { name: 'a signature suite for encapsulate', args: () => ['encapsulate', '--suite', MLDSA65.name, '--public-key-hex', '00'], code: 2, stderr: /is a composite signature suite/ },
    { name: 'wrong-length seed hex', args: () => ['keygen', '--suite', MLDSA65.name, '--seed', '00'.repeat(32)], code: 1, stderr: /^hybridkem: seed: expected 64 bytes, got 32$/ },
    { name: 'wrong-length private key hex', args: () => ['sign', '--suite', MLDSA65.name, '--private-key-hex', '11'.repeat(63), f('bad.txt')], code: 1, stderr: /^hybridkem: privateKey: expected 64 bytes, got 63$/ },
    { name: 'wrong-length public key hex', args: () => ['verify', '--suite', MLDSA65.name, '--public-key-hex', '00'.repeat(32), '--signature-hex', '00', f('bad.txt')], code: 1, stderr: /^hybridkem: publicKey: expected 1984 bytes, got 32$/ },
    { name: 'wrong-length signature hex', args: () => [...pub(), '--signature-hex', '00'.repeat(64), f('bad.txt')], code: 1, stderr: /^hybridkem: signature: expected 3373 bytes, got 64$/ },
    { name: 'a KEM private key given to sign', args: () => ['sign', '--key', f('kem.key'), f('bad.txt')], code: 1, stderr: /kem\.key: object kind: expected signingPrivateKey, got privateKey/ },
    { name: 'a signing key given to decapsulate', args: () => ['decapsulate', '--private-key', `${sigPrefix}.key`, '--ciphertext-hex', '00'], code: 1, stderr: /object kind: expected privateKey, got signingPrivateKey/ },
    { name: 'a 256-byte context', args: () => [...key(), '--context', 'x'.repeat(256), f('bad.txt')], code: 1, stderr: /^hybridkem: context: at most 255 bytes, got 256$/ },
    { name: 'a 256-byte context as hex, for verify', args: () => [...pub(), '--signature', f('bad.sig'), '--context-hex', 'ab'.repeat(256), f('bad.txt')], code: 1, stderr: /context: at most 255 bytes, got 256/ },
    { name: 'both --context and --context-hex', args: () => [...key(), '--context', 'a', '--context-hex', '61', f('bad.txt')], code: 2, stderr: /only one of --context and --context-hex/ },
    { name: 'a signature of another suite than the public key', args: () => [...pub(), '--signature', f('bad44.sig'), f('bad.txt')], code: 1, stderr: /bad44\.sig is a MLDSA44-Ed25519-SHA512 signature but the public key is MLDSA65-Ed25519-SHA512/ },
    { name: '--suite that disagrees with the key file', args: () => [...key(), '--suite', 'MLDSA44-Ed25519-SHA512', f('bad.txt')], code: 1, stderr: /--suite MLDSA44-Ed25519-SHA512 does not match .*MLDSA65-Ed25519-SHA512/ },
    { name: '--private-key-hex without --suite', args: () => ['sign', '--private-key-hex', '00', f('bad.txt')], code: 2, stderr: /--private-key-hex needs --suite/ },
    { name: 'no key', args: () => ['sign', f('bad.txt')], code: 2, stderr: /give one of --identity and --private-key-hex/ },
    { name: 'no FILE', args: () => [...key()], code: 2, stderr: /missing argument FILE/ },
    { name: 'a missing FILE', args: () => [...key(), f('nope.txt')], code: 1, stderr: /nope\.txt: cannot read: no such file or directory/ },
    { name: 'a directory as FILE', args: () => [...pub(), '--signature', f('bad.sig'), tmp.path], code: 1, stderr: /is a directory/ },
  ];

  for (const c of cases) {
    it(`${c.name}: exit ${c.code}, empty stdout, one stderr line`, async () => {
      const r = await hybridkem(c.args());
      expect(r.stdout).toBe('');
      expect(r.code).toBe(c.code);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hybridkem: /);
      expect(lines[0]).toMatch(c.stderr);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toContain('11'.repeat(63));
    });
  }

  it('-o does not leave a file behind when signing fails', async () => {
    const r = await hybridkem([...key(), '-o', f('never.sig'), f('nope.txt')]);
    expect(r.code).toBe(1);
    await expect(stat(f('never.sig'))).rejects.toThrow();
  });
});

describe('help', () => {
  it('lists sign and verify, each with its options', async () => {
    const overall = await ok(['--help']);
    expect(overall).toContain('  sign ');
    expect(overall).toContain('  verify ');
    expect(overall).toContain('MLDSA65-Ed25519-SHA512');
    const signHelp = await ok(['sign', '--help']);
    for (const o of ['-i, --identity FILE', '(also --key)', '--private-key-hex HEX', '--context S', '--context-hex HEX', '--deterministic', '-o, --output OUT']) {
      expect(signHelp).toContain(o);
    }
    const verifyHelp = await ok(['verify', '--help']);
    for (const o of ['--public-key FILE', '--public-key-hex HEX', '--signature FILE', '--signature-hex HEX', '--context S']) {
      expect(verifyHelp).toContain(o);
    }
    expect(await ok(['keygen', '--help'])).toContain('MLDSA65-Ed25519-SHA512');
  });
});
