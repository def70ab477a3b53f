/**
 * Passphrase-protected private keys (issue #14): keygen writes kind 0x08
 * (spec/WIRE-FORMAT.md §8) with the passphrase from a file, an environment
 * variable or the terminal (asked twice, without echo: checked on a real
 * pseudo-terminal), and open / decapsulate read such keys the same ways;
 * signing keys too (kind 0x08 wrapping 0x06), read by sign. The written key
 * is checked with @hybridkem/seal's decryptPrivateKeyArmored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createKem, decodePrivateKey, dearmor, encodePublicKey, keyId } from '@hybridkem/core';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, decodeSigningPrivateKey, decodeSigningPublicKey } from '@hybridkem/signing';
import { backend as noble } from '@hybridkem/noble';
import { decryptPrivateKeyArmored } from '@hybridkem/seal';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTerminal, ok, runBinary, tempDirForFile } from './helpers.js';

const tmp = tempDirForFile();
const f = tmp.file;
const PASSPHRASE = 'correct horse ü battery';
const ENV = { HYBRIDKEM_TEST_PASS: PASSPHRASE };

beforeAll(async () => {
  await writeFile(f('pass.txt'), `${PASSPHRASE}\nsecond line ignored\n`);
});

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

  it('a wrong passphrase and a missing variable are one-line errors without the passphrase', async () => {
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
  }, 30_000);
});

describe('encrypted signing keys (kind 0x08 wrapping 0x06)', () => {
  it('keygen --passphrase-file writes one (126 bytes for MLDSA65-Ed25519, spec §8.1), sign reads it, verify accepts the signature', async () => {
    const out = await ok(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--passphrase-file', f('pass.txt'), '--out', f('signer')]);
    expect(out).toMatch(/^wrote .*signer\.pub and .*signer\.key \(MLDSA65-Ed25519-SHA512, key id [0-9a-f]{32}\)\n$/);
    const text = await readFile(f('signer.key'), 'utf8');
    expect(text.split('\n')[0]).toBe('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----');
    const encrypted = dearmor(text).encoded;
    expect(encrypted.length).toBe(126);
    expect(encrypted.subarray(0, 5)).toEqual(new Uint8Array([0x01, 0x08, 0xfe, 0x02, 0x01])); // v1, kind 0x08, MLDSA65-Ed25519, Argon2id
    // The library decrypts it to the private key of signer.pub.
    const { suite, privateKey } = decodeSigningPrivateKey(await decryptPrivateKeyArmored(text, PASSPHRASE));
    const pub = decodeSigningPublicKey(dearmor(await readFile(f('signer.pub'), 'utf8')).encoded);
    expect(suite.name).toBe('MLDSA65-Ed25519-SHA512');
    expect(createSigner(suite, signatureBackend).getPublicKey(privateKey)).toEqual(pub.publicKey);

    await writeFile(f('doc.txt'), 'signed with an encrypted key\n');
    const signed = await runBinary(['sign', '-i', f('signer.key'), '--passphrase-env', 'HYBRIDKEM_TEST_PASS', '-o', f('doc.sig'), f('doc.txt')], undefined, ENV);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(await ok(['verify', '--public-key', f('signer.pub'), '--signature', f('doc.sig'), f('doc.txt')])).toContain('valid');
    const viaFile = await ok(['sign', '--key', f('signer.key'), '--passphrase-file', f('pass.txt'), f('doc.txt')]);
    expect(viaFile.split('\n')[0]).toBe('-----BEGIN HYBRIDKEM SIGNATURE-----');
    expect(viaFile).not.toContain(PASSPHRASE);
  }, 30_000);

  it('inspect names the wrapped kind without the passphrase', async () => {
    // signer.key from the test above.
    expect(await ok(['inspect', f('signer.key')])).toBe(
      [
        `file:    ${f('signer.key')} (armored)`,
        'version: 1',
        'kind:    encrypted private key',
        'wraps:   signing private key',
        'suite:   MLDSA65-Ed25519-SHA512 (0xfe02)',
        'length:  126 bytes',
        'kdf:     Argon2id (m=19456 KiB, t=2, p=1)',
        'aead:    ChaCha20-Poly1305',
        'key id:  known once decrypted (sign with the passphrase)',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(await ok(['inspect', f('signer.key'), '--json'])) as Record<string, unknown>;
    expect(json).toMatchObject({ kind: 'encryptedPrivateKey', wraps: 'signingPrivateKey', suite: 'MLDSA65-Ed25519-SHA512', suiteId: 0xfe02, length: 126 });
  });

  it('a wrong passphrase, a suite mismatch and the wrong family are one-line errors, the last two before any passphrase', async () => {
    await ok(['keygen', '--suite', 'MLDSA87-Ed448-SHAKE256', '--passphrase-file', f('pass.txt'), '--out', f('ed448'), '--force']);
    expect(dearmor(await readFile(f('ed448.key'), 'utf8')).encoded.length).toBe(151); // spec §8.1's MLDSA87-Ed448 length
    await writeFile(f('m.txt'), 'm');
    const wrong = await runBinary(['sign', '-i', f('ed448.key'), '--passphrase-env', 'WRONG', f('m.txt')], undefined, { WRONG: 'not it' });
    expect(wrong.stderr).toBe(`hybridkem: --identity ${f('ed448.key')}: encrypted private key: authentication failed (wrong passphrase or modified file)\n`);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout.length).toBe(0);
    // An unset variable would fail if the passphrase were asked for: these stop before.
    const mismatch = await runBinary(['sign', '-i', f('ed448.key'), '--suite', 'MLDSA44-Ed25519-SHA512', '--passphrase-env', 'HYBRIDKEM_UNSET_VAR', f('m.txt')]);
    expect(mismatch.stderr).toBe(`hybridkem: --suite MLDSA44-Ed25519-SHA512 does not match --identity ${f('ed448.key')}, which is MLDSA87-Ed448-SHAKE256\n`);
    expect(mismatch.code).toBe(1);
    const kemKeyToSign = await runBinary(['sign', '-i', f('alice.key'), '--passphrase-env', 'HYBRIDKEM_UNSET_VAR', f('m.txt')]);
    expect(kemKeyToSign.stderr).toBe(
      `hybridkem: --identity ${f('alice.key')}: object kind: expected signingPrivateKey or encryptedPrivateKey (signingPrivateKey), got encryptedPrivateKey (privateKey)\n`,
    );
    expect(kemKeyToSign.code).toBe(1);
    const signingKeyToOpen = await runBinary(['open', '-i', f('ed448.key'), '--passphrase-env', 'HYBRIDKEM_UNSET_VAR'], Buffer.from('not read'));
    expect(signingKeyToOpen.stderr).toBe(
      `hybridkem: --identity ${f('ed448.key')}: object kind: expected privateKey or encryptedPrivateKey (privateKey), got encryptedPrivateKey (signingPrivateKey)\n`,
    );
    expect(signingKeyToOpen.code).toBe(1);
  }, 30_000);

  it('keygen --json with a passphrase and no --out prints the encrypted signing key, never the raw one', async () => {
    const r = await runBinary(['keygen', '--suite', 'MLDSA44-Ed25519-SHA512', '--passphrase-env', 'HYBRIDKEM_TEST_PASS', '--json'], undefined, ENV);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.toString()) as { encrypted?: boolean; privateKey?: string; encoded: { privateKey: string } };
    expect(json.encrypted).toBe(true);
    expect(json.privateKey).toBeUndefined();
    const encrypted = dearmor(json.encoded.privateKey).encoded;
    expect(encrypted.length).toBe(126);
    expect(decodeSigningPrivateKey(await decryptPrivateKeyArmored(json.encoded.privateKey, PASSPHRASE)).suite.name).toBe('MLDSA44-Ed25519-SHA512');
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
