/** Key files: modes, no-clobber, --force, and the keygen → encapsulate → decapsulate round trip. */
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKem, dearmor, decodePrivateKey, decodePublicKey, keyId, SUITES } from '@hybridkem/core';
import { backend as noble } from '@hybridkem/noble';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliBuilt, hybridkem, ok, okJson, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(cliBuilt);
beforeEach(async () => {
  ({ path: dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('keygen --out', () => {
  it('writes PREFIX.pub and PREFIX.key, the key with mode 0600, in armored form', async () => {
    const prefix = join(dir, 'alice');
    const out = await ok(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    expect(out).toContain('alice.pub');
    if (posix) expect(await mode(`${prefix}.key`)).toBe(0o600);
    const pubText = await readFile(`${prefix}.pub`, 'utf8');
    const keyText = await readFile(`${prefix}.key`, 'utf8');
    expect(pubText).toMatch(/^-----BEGIN HYBRIDKEM PUBLIC KEY-----\n[\s\S]*\n-----END HYBRIDKEM PUBLIC KEY-----\n$/);
    expect(keyText).toMatch(/^-----BEGIN HYBRIDKEM PRIVATE KEY-----\n[\s\S]*\n-----END HYBRIDKEM PRIVATE KEY-----\n$/);
    const pub = decodePublicKey(dearmor(pubText).encoded);
    const key = decodePrivateKey(dearmor(keyText).encoded);
    expect(pub.suite.name).toBe('X-Wing');
    expect(key.suite.name).toBe('X-Wing');
    // The two files are one key pair.
    expect(createKem(key.suite, noble).getPublicKey(key.privateKey)).toEqual(pub.publicKey);
    // The printed key id is the public key's.
    expect(out).toContain(keyId(dearmor(pubText).encoded));
  });

  it('refuses to overwrite either file without --force, and changes nothing', async () => {
    const prefix = join(dir, 'k');
    await ok(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    const before = [await readFile(`${prefix}.pub`, 'utf8'), await readFile(`${prefix}.key`, 'utf8')];
    const r = await hybridkem(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/already exists.*--force/);
    expect([await readFile(`${prefix}.pub`, 'utf8'), await readFile(`${prefix}.key`, 'utf8')]).toEqual(before);

    // Only the .key exists: still refused, and no .pub is left behind.
    const other = join(dir, 'only-key');
    await writeFile(`${other}.key`, 'x');
    const r2 = await hybridkem(['keygen', '--suite', 'X-Wing', '--out', other]);
    expect(r2.code).toBe(1);
    await expect(stat(`${other}.pub`)).rejects.toThrow();
  });

  it('--force replaces both files and the new .key has mode 0600 even if the old one did not', async () => {
    const prefix = join(dir, 'k');
    await writeFile(`${prefix}.key`, 'old', { mode: 0o644 });
    await writeFile(`${prefix}.pub`, 'old', { mode: 0o644 });
    await ok(['keygen', '--suite', 'MLKEM768-P256', '--out', prefix, '--force']);
    if (posix) expect(await mode(`${prefix}.key`)).toBe(0o600);
    expect(decodePrivateKey(dearmor(await readFile(`${prefix}.key`, 'utf8')).encoded).suite.name).toBe('MLKEM768-P256');
    expect(decodePublicKey(dearmor(await readFile(`${prefix}.pub`, 'utf8')).encoded).suite.name).toBe('MLKEM768-P256');
  });

  it('--json with --out names the files and keeps the private key off stdout', async () => {
    const prefix = join(dir, 'j');
    const out = await okJson<Record<string, unknown>>(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    expect(out).not.toHaveProperty('privateKey');
    expect(out.files).toEqual({ publicKey: `${prefix}.pub`, privateKey: `${prefix}.key` });
    const seed = decodePrivateKey(dearmor(await readFile(`${prefix}.key`, 'utf8')).encoded).privateKey;
    expect(JSON.stringify(out)).not.toContain(Buffer.from(seed).toString('hex'));
  });
});

describe('keygen without --out', () => {
  it('prints the armored public key, then the armored private key, of one key pair', async () => {
    const out = await ok(['keygen', '--suite', 'X25519-MLKEM1024']);
    const blocks = out.match(/-----BEGIN [A-Z ]+-----\n[\s\S]*?-----END [A-Z ]+-----\n/g) ?? [];
    expect(blocks).toHaveLength(2);
    expect(blocks.join('')).toBe(out);
    const pub = decodePublicKey(dearmor(blocks[0]!).encoded);
    const key = decodePrivateKey(dearmor(blocks[1]!).encoded);
    expect(createKem(key.suite, noble).getPublicKey(key.privateKey)).toEqual(pub.publicKey);
  });

  it('draws a fresh key each time without --seed', async () => {
    const a = await okJson<{ privateKey: string }>(['keygen', '--suite', 'X-Wing']);
    const b = await okJson<{ privateKey: string }>(['keygen', '--suite', 'X-Wing']);
    expect(a.privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a.privateKey).not.toBe(b.privateKey);
  });
});

describe('file round trip: keygen → encapsulate --public-key FILE → decapsulate --private-key FILE', () => {
  for (const suite of SUITES) {
    it(`${suite.name}, armored and binary files`, async () => {
      const prefix = join(dir, 'rt');
      await ok(['keygen', '--suite', suite.name, '--out', prefix]);
      const enc = await okJson<{ sharedSecret: string; encoded: { ciphertext: string } }>([
        'encapsulate', '--public-key', `${prefix}.pub`,
      ]);
      expect(enc.sharedSecret).toMatch(/^[0-9a-f]{64}$/);
      await writeFile(join(dir, 'ct.txt'), enc.encoded.ciphertext);
      const ss = await ok(['decapsulate', '--private-key', `${prefix}.key`, '--ciphertext', join(dir, 'ct.txt')]);
      expect(ss).toBe(`${enc.sharedSecret}\n`);

      // The same objects as binary wire bytes.
      await writeFile(join(dir, 'key.bin'), dearmor(await readFile(`${prefix}.key`, 'utf8')).encoded, { mode: 0o600 });
      await writeFile(join(dir, 'ct.bin'), dearmor(enc.encoded.ciphertext).encoded);
      const ss2 = await ok(['decapsulate', '--private-key', join(dir, 'key.bin'), '--ciphertext', join(dir, 'ct.bin'), '--suite', suite.name]);
      expect(ss2).toBe(`${enc.sharedSecret}\n`);
    });
  }

  it('encapsulate without --json prints the armored ciphertext and the secret on the last line', async () => {
    const prefix = join(dir, 'p');
    await ok(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    const out = await ok(['encapsulate', '--public-key', `${prefix}.pub`]);
    const lines = out.trimEnd().split('\n');
    const secret = lines.pop()!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(dir, 'ct'), `${lines.join('\n')}\n`);
    expect(await ok(['decapsulate', '--private-key', `${prefix}.key`, '--ciphertext', join(dir, 'ct')])).toBe(`${secret}\n`);
  });

  it('warns on stderr when the private key file is readable by others, and still works', async () => {
    if (!posix) return;
    const prefix = join(dir, 'w');
    await ok(['keygen', '--suite', 'X-Wing', '--out', prefix]);
    const enc = await okJson<{ sharedSecret: string; encoded: { ciphertext: string } }>(['encapsulate', '--public-key', `${prefix}.pub`]);
    await writeFile(join(dir, 'ct'), enc.encoded.ciphertext);
    await chmod(`${prefix}.key`, 0o644);
    const r = await hybridkem(['decapsulate', '--private-key', `${prefix}.key`, '--ciphertext', join(dir, 'ct')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${enc.sharedSecret}\n`);
    expect(r.stderr).toMatch(/warning: .*w\.key.*group or others/);
  });
});
