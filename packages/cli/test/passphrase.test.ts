/**
 * Passphrase-protected private keys (issue #14): keygen writes kind 0x08
 * (spec/WIRE-FORMAT.md §8) with the passphrase from a file, an environment
 * variable or the terminal (asked twice, without echo: checked on a real
 * pseudo-terminal), and open / decapsulate read such keys the same ways. The
 * written key is checked with @hybridkem/seal's decryptPrivateKeyArmored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKem, decodePrivateKey, dearmor, encodePublicKey, keyId } from '@hybridkem/core';
import { backend as noble } from '@hybridkem/noble';
import { decryptPrivateKeyArmored } from '@hybridkem/seal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, inTerminal, ok, runBinary, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const f = (name: string): string => join(dir, name);
const PASSPHRASE = 'correct horse ü battery';
const ENV = { HYBRIDKEM_TEST_PASS: PASSPHRASE };

beforeAll(async () => {
  cliBuilt();
  ({ path: dir, cleanup } = await tempDir());
  await writeFile(f('pass.txt'), `${PASSPHRASE}\nsecond line ignored\n`);
});
afterAll(async () => cleanup());

/** The key id of the public key inside an encrypted key file, decrypted by the library. */
async function keyIdInside(path: string, passphrase: string): Promise<string> {
  const encoded = await decryptPrivateKeyArmored(await readFile(path, 'utf8'), passphrase);
  const { suite, privateKey } = decodePrivateKey(encoded);
  return keyId(encodePublicKey(suite, createKem(suite, noble).getPublicKey(privateKey)));
}

describe('keygen with a passphrase', () => {
  it('--passphrase-file: an encrypted key of the public key written beside it; open and decapsulate read it', async () => {
    const out = await ok(['keygen', '--suite', 'X-Wing', '--passphrase-file', f('pass.txt'), '--out', f('alice')]);
    const id = /key id ([0-9a-f]{32})/.exec(out)![1]!;
    const text = await readFile(f('alice.key'), 'utf8');
    expect(text.split('\n')[0]).toBe('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----');
    expect(dearmor(text).encoded.subarray(0, 5)).toEqual(new Uint8Array([0x01, 0x08, 0x64, 0x7a, 0x01])); // v1, kind 0x08, X-Wing, Argon2id
    expect(await keyIdInside(f('alice.key'), PASSPHRASE)).toBe(id);
    expect(keyId(dearmor(await readFile(f('alice.pub'), 'utf8')).encoded)).toBe(id);

    const sealed = (await runBinary(['seal', '-r', f('alice.pub')], Buffer.from('for alice'))).stdout;
    const opened = await runBinary(['open', '-i', f('alice.key'), '--passphrase-env', 'HYBRIDKEM_TEST_PASS'], sealed, ENV);
    expect(opened.stderr).toBe('');
    expect(opened.stdout.toString()).toBe('for alice');
    const enc = JSON.parse(await ok(['encapsulate', '-r', f('alice.pub'), '--json'])) as { sharedSecret: string; ciphertext: string };
    expect(await ok(['decapsulate', '-i', f('alice.key'), '--passphrase-file', f('pass.txt'), '--ciphertext-hex', enc.ciphertext])).toBe(`${enc.sharedSecret}\n`);
  });

  it('a wrong passphrase, a missing variable and a signing suite are one-line errors without the passphrase', async () => {
    expect((await runBinary(['keygen', '--suite', 'MLKEM768-P256', '--passphrase-env', 'HYBRIDKEM_TEST_PASS', '--out', f('bob')], undefined, ENV)).code).toBe(0);
    const sealed = (await runBinary(['seal', '-r', f('bob.pub')], Buffer.from('x'))).stdout;
    const wrong = await runBinary(['open', '-i', f('bob.key'), '--passphrase-env', 'WRONG'], sealed, { WRONG: 'not it' });
    expect(wrong.stderr).toBe(`hybridkem: --identity ${f('bob.key')}: encrypted private key: authentication failed (wrong passphrase or modified file)\n`);
    expect(wrong.code).toBe(1);
    const unset = await runBinary(['open', '-i', f('bob.key'), '--passphrase-env', 'HYBRIDKEM_UNSET_VAR'], sealed);
    expect(unset.stderr).toBe('hybridkem: --passphrase-env: HYBRIDKEM_UNSET_VAR is not set\n');
    // The test's processes have no controlling terminal (a new session): nowhere to ask.
    const noTty = await runBinary(['keygen', '--suite', 'X-Wing', '--passphrase']);
    expect(noTty.stderr).toBe('hybridkem: passphrase: no terminal to ask on; use --passphrase-file FILE or --passphrase-env NAME\n');
    expect(noTty.code).toBe(1);
    const signing = await runBinary(['keygen', '--suite', 'MLDSA44-Ed25519-SHA512', '--passphrase-env', 'HYBRIDKEM_TEST_PASS'], undefined, ENV);
    expect(signing.stderr).toBe('hybridkem: keygen: a passphrase encrypts KEM private keys only (spec/WIRE-FORMAT.md §8), not signing keys\n');
    expect(signing.code).toBe(2);
  }, 30_000);
});

describe('on a terminal', () => {
  const TYPED = 'typed-on-the-tty-42';

  it('keygen --passphrase asks twice without echo; open asks once; the passphrase never shows', async () => {
    const keygen = await inTerminal(['keygen', '--suite', 'X-Wing', '--passphrase', '--out', f('carol')], {
      answers: [
        ['Passphrase for', `${TYPED}\r`],
        ['Repeat the passphrase: ', `${TYPED}\r`],
      ],
    });
    const id = keyId(dearmor(await readFile(f('carol.pub'), 'utf8')).encoded);
    expect(keygen.screen).toBe(`Passphrase for ${f('carol.key')}: \r\nRepeat the passphrase: \r\nwrote ${f('carol.pub')} and ${f('carol.key')} (X-Wing, key id ${id})\r\n`);
    expect(keygen.code).toBe(0);
    expect(await keyIdInside(f('carol.key'), TYPED)).toBe(id);

    await writeFile(f('m.txt'), 'opened on a terminal');
    expect((await runBinary(['seal', '-r', f('carol.pub'), f('m.txt'), '-o', f('m.sealed')])).code).toBe(0);
    const open = await inTerminal(['open', '-i', f('carol.key'), f('m.sealed'), '-o', f('m.out')], { answers: [['Passphrase for', `${TYPED}\r`]] });
    expect(open.screen).toBe(`Passphrase for ${f('carol.key')}: \r\n`);
    expect(open.code).toBe(0);
    expect(await readFile(f('m.out'), 'utf8')).toBe('opened on a terminal');
  }, 30_000);

  it('two different entries: exit 1, no key written', async () => {
    const r = await inTerminal(['keygen', '--suite', 'X-Wing', '--passphrase', '--out', f('dave')], {
      answers: [
        ['Passphrase for', 'first-entry\r'],
        ['Repeat the passphrase: ', 'second-entry\r'],
      ],
    });
    expect(r.screen).toBe(`Passphrase for ${f('dave.key')}: \r\nRepeat the passphrase: \r\nhybridkem: passphrase: the two entries differ\r\n`);
    expect(r.code).toBe(1);
    await expect(readFile(f('dave.key'))).rejects.toThrow(/ENOENT/);
  }, 30_000);
});
