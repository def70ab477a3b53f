/**
 * inspect on every kind of file (issue #14): sealed messages (header facts,
 * sizes), passphrase-encrypted private keys (no passphrase needed, no secret
 * printed), a mesh object (recognized, not described), and a plain file,
 * which is "not a hybridkem object".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dearmor, keyId } from '@hybridkem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hybridkem, ok, tempDirForFile } from './helpers.js';

const tmp = tempDirForFile();
const f = tmp.file;
let aliceId: string;

beforeAll(async () => {
  await ok(['keygen', '--suite', 'X-Wing', '--out', f('alice')]);
  aliceId = keyId(dearmor(await readFile(f('alice.pub'), 'utf8')).encoded);
  await writeFile(f('pass.txt'), 'inspect me not\n');
  await ok(['keygen', '--suite', 'MLKEM768-P256', '--passphrase-file', f('pass.txt'), '--out', f('locked')]);
});

describe('inspect', () => {
  it('a sealed message: suite, recipient key id, KDF, AEAD, chunk size, sizes', async () => {
    await writeFile(f('p.bin'), Buffer.alloc(100_000, 7));
    await ok(['seal', '-r', f('alice.pub'), '--aead', 'aes-256-gcm', f('p.bin'), '-o', f('p.sealed')]);
    expect(await ok(['inspect', f('p.sealed')])).toBe(
      [
        `file:    ${f('p.sealed')} (binary)`,
        'version: 1',
        'kind:    sealed message',
        'suite:   X-Wing (0x647a)',
        `key id:  ${aliceId} (of the recipient's public key)`,
        'kdf:     HKDF-SHA256',
        'aead:    AES-256-GCM',
        'chunks:  64 KiB of plaintext each',
        // 26 + 1120 header and enc, two chunks of 65536 and 34464 bytes, 16-byte tags (spec §7.2)
        'size:    101178 bytes: header 1146, 2 chunks, plaintext 100000 bytes if intact',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(await ok(['inspect', f('p.sealed'), '--json']));
    expect(json).toEqual({
      file: f('p.sealed'),
      format: 'binary',
      version: 1,
      kind: 'sealedMessage',
      kdf: 'HKDF-SHA256',
      aead: 'AES-256-GCM',
      chunkSize: 65536,
      recipients: [{ suite: 'X-Wing', suiteId: 0x647a, suiteIdHex: '0x647a', keyId: aliceId }],
      keyIdsHidden: false,
      size: 101178,
      headerLength: 1146,
      plaintextLength: 100000,
      chunks: 2,
    });
  });

  it('an encrypted private key: suite and KDF, without the passphrase and without secret bytes', async () => {
    const out = await ok(['inspect', f('locked.key')]);
    expect(out).toBe(
      [
        `file:    ${f('locked.key')} (armored)`,
        'version: 1',
        'kind:    encrypted private key',
        'wraps:   KEM private key',
        'suite:   MLKEM768-P256 (0xff03)',
        'length:  94 bytes',
        'kdf:     Argon2id (m=19456 KiB, t=2, p=1)',
        'aead:    ChaCha20-Poly1305',
        'key id:  known once decrypted (open or decapsulate with the passphrase)',
        '',
      ].join('\n'),
    );
    const body = (await readFile(f('locked.key'), 'utf8')).split('\n')[1]!;
    expect(out).not.toContain(body);
  });

  it('a mesh object (kind 0x0a, 0x0b or 0x0c, binary or armored) is named, not described (exit 1, one line)', async () => {
    // Header by hand: version 1, kind, a signing suite id (spec/WIRE-FORMAT.md §2, §6.1), then bytes inspect does not read.
    const envelope = Buffer.from([0x01, 0x0a, 0xfe, 0x01, 1, 2, 3, 4]);
    const record = Buffer.from([0x01, 0x0b, 0xfe, 0x02, 5, 6, 7]);
    const exchange = Buffer.from([0x01, 0x0c, 0xfe, 0x03, 8, 9]);
    await writeFile(f('k.envelope'), envelope);
    await writeFile(f('n.record'), `-----BEGIN HYBRIDKEM MESH DIRECTORY RECORD-----\n${record.toString('base64')}\n-----END HYBRIDKEM MESH DIRECTORY RECORD-----\n`);
    await writeFile(f('p.exchange'), exchange);
    await writeFile(f('p.exchange.asc'), `-----BEGIN HYBRIDKEM MESH PSK EXCHANGE-----\n${exchange.toString('base64')}\n-----END HYBRIDKEM MESH PSK EXCHANGE-----\n`);
    for (const [name, what] of [
      ['k.envelope', 'a mesh key envelope (kind 0x0a'],
      ['n.record', 'a mesh directory record (kind 0x0b'],
      ['p.exchange', 'a mesh PSK exchange message (kind 0x0c'],
      ['p.exchange.asc', 'a mesh PSK exchange message (kind 0x0c'],
    ] as const) {
      const r = await hybridkem(['inspect', f(name)]);
      expect(r.stderr).toBe(`hybridkem: ${f(name)}: ${what}, spec/MESH.md); inspect describes KEM, signing and sealed objects, not mesh objects\n`);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
    }
  });

  it('a plain file is not a hybridkem object (exit 1, one line)', async () => {
    await writeFile(f('notes.txt'), 'hello, world\n');
    const r = await hybridkem(['inspect', f('notes.txt')]);
    expect(r.stderr).toBe(
      `hybridkem: ${f('notes.txt')}: not a hybridkem object (a binary one starts with byte 0x01, an armored one with -----BEGIN HYBRIDKEM; this file starts with byte 0x68)\n`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });
});
