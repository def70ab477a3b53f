/**
 * Bad input: a non-zero exit (2 usage, 1 otherwise), nothing on stdout, one
 * line on stderr naming the problem, no stack trace, no secret.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dearmor, decodePrivateKey, XWING } from '@hybridkem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, hybridkem, ok, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let seedHex: string;
let keyBase64: string;
const SEED = '42'.repeat(32);

beforeAll(async () => {
  cliBuilt();
  ({ path: dir, cleanup } = await tempDir());
  await ok(['keygen', '--suite', 'X-Wing', '--out', join(dir, 'x')]);
  await ok(['keygen', '--suite', 'MLKEM768-P256', '--out', join(dir, 'p')]);
  const pubText = await readFile(join(dir, 'x.pub'), 'utf8');
  const keyText = await readFile(join(dir, 'x.key'), 'utf8');
  seedHex = Buffer.from(decodePrivateKey(dearmor(keyText).encoded).privateKey).toString('hex');
  keyBase64 = keyText.split('\n')[1]!;
  const lines = pubText.trimEnd().split('\n');
  await writeFile(join(dir, 'truncated.pub'), `${lines.slice(0, 5).join('\n')}\n`); // no END line
  await writeFile(join(dir, 'cut-body.pub'), `${[...lines.slice(0, 5), lines[lines.length - 1]].join('\n')}\n`);
  await writeFile(join(dir, 'short.bin'), dearmor(pubText).encoded.subarray(0, 700));
  await writeFile(join(dir, 'garbage'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) & 0xff)));
  await writeFile(join(dir, 'text.txt'), 'just some text\n');
  const p256 = await ok(['encapsulate', '--public-key', join(dir, 'p.pub'), '--json']);
  await writeFile(join(dir, 'p256.ct'), (JSON.parse(p256) as { encoded: { ciphertext: string } }).encoded.ciphertext);
});
afterAll(async () => cleanup());

interface Case {
  name: string;
  args: () => string[];
  code: 1 | 2;
  stderr: RegExp;
}

const f = (name: string): string => join(dir, name);
const lowOrderPk = (): string => `${'00'.repeat(1184)}${'00'.repeat(32)}`;

const cases: Case[] = [
  {
    name: 'public key hex of the wrong length',
    args: () => ['encapsulate', '--suite', 'X-Wing', '--public-key-hex', '00'.repeat(12)],
    code: 1,
    stderr: /^hybridkem: publicKey: expected 1216 bytes, got 12$/,
  },
  {
    name: 'seed hex of the wrong length',
    args: () => ['keygen', '--suite', 'X-Wing', '--seed', '00'.repeat(31)],
    code: 1,
    stderr: /^hybridkem: seed: expected 32 bytes, got 31$/,
  },
  {
    name: 'randomness hex of the wrong length',
    args: () => ['encapsulate', '--public-key', f('x.pub'), '--randomness', '00'.repeat(32)],
    code: 1,
    stderr: /randomness: expected 64 bytes, got 32/,
  },
  {
    name: 'not hex',
    args: () => ['encapsulate', '--suite', 'X-Wing', '--public-key-hex', 'zz'],
    code: 1,
    stderr: /publicKey: expected an even number of hex digits/,
  },
  {
    name: 'unknown suite',
    args: () => ['keygen', '--suite', 'X-Wing-9000'],
    code: 2,
    stderr: /unknown suite name "X-Wing-9000"/,
  },
  {
    name: 'garbage file',
    args: () => ['inspect', f('garbage')],
    code: 1,
    stderr: /^hybridkem: .*garbage: not a hybridkem object \(a binary one starts with byte 0x01, an armored one with -----BEGIN HYBRIDKEM; this file starts with byte 0x0b\)$/,
  },
  {
    name: 'a text file that is not armor',
    args: () => ['encapsulate', '--public-key', f('text.txt')],
    code: 1,
    stderr: /text\.txt: /,
  },
  {
    name: 'truncated armor (no END line)',
    args: () => ['encapsulate', '--public-key', f('truncated.pub')],
    code: 1,
    stderr: /truncated\.pub: armor: /,
  },
  {
    name: 'armor with lines cut out of the body',
    args: () => ['inspect', f('cut-body.pub')],
    code: 1,
    stderr: /cut-body\.pub: .*(truncated|armor)/,
  },
  {
    name: 'truncated binary object',
    args: () => ['encapsulate', '--public-key', f('short.bin')],
    code: 1,
    stderr: /short\.bin: publicKey \(X-Wing\): truncated, expected 1220 bytes, got 700/,
  },
  {
    name: 'private key file where a public key is expected',
    args: () => ['encapsulate', '--public-key', f('x.key')],
    code: 1,
    stderr: /x\.key: object kind: expected publicKey, got privateKey/,
  },
  {
    name: 'public key file where a ciphertext is expected',
    args: () => ['decapsulate', '--private-key', f('x.key'), '--ciphertext', f('x.pub')],
    code: 1,
    stderr: /x\.pub: object kind: expected ciphertext, got publicKey/,
  },
  {
    name: '--suite that disagrees with the key file',
    args: () => ['encapsulate', '--public-key', f('x.pub'), '--suite', 'MLKEM768-P256'],
    code: 1,
    stderr: /--suite MLKEM768-P256 does not match .*X-Wing/,
  },
  {
    name: 'ciphertext of another suite than the key',
    args: () => ['decapsulate', '--private-key', f('x.key'), '--ciphertext', f('p256.ct')],
    code: 1,
    stderr: /MLKEM768-P256 ciphertext but the private key is X-Wing/,
  },
  {
    name: 'low-order X25519 public key',
    args: () => ['encapsulate', '--suite', 'X-Wing', '--public-key-hex', lowOrderPk()],
    code: 1,
    stderr: /invalid X25519 element/,
  },
  {
    name: 'ciphertext hex of the wrong length, with a valid private key',
    args: () => ['decapsulate', '--suite', 'X-Wing', '--private-key-hex', SEED, '--ciphertext-hex', 'ab'.repeat(100)],
    code: 1,
    stderr: /^hybridkem: ciphertext: expected 1120 bytes, got 100$/,
  },
  {
    name: 'missing file',
    args: () => ['decapsulate', '--private-key', f('nope.key'), '--ciphertext-hex', '00'],
    code: 1,
    stderr: /nope\.key: cannot read: no such file or directory/,
  },
  { name: 'no command', args: () => [], code: 2, stderr: /no command given/ },
  { name: 'unknown command', args: () => ['frobnicate'], code: 2, stderr: /unknown command "frobnicate"/ },
  { name: 'unknown option', args: () => ['keygen', '--suite', 'X-Wing', '--colour'], code: 2, stderr: /unknown option --colour/ },
  { name: 'missing --suite', args: () => ['keygen'], code: 2, stderr: /--suite is required/ },
  { name: 'option without its value', args: () => ['keygen', '--suite'], code: 2, stderr: /--suite/ },
  { name: 'option given twice', args: () => ['keygen', '--suite', 'X-Wing', '--suite', 'X-Wing'], code: 2, stderr: /given more than once/ },
  {
    name: 'both forms of the public key',
    args: () => ['encapsulate', '--public-key', f('x.pub'), '--suite', 'X-Wing', '--public-key-hex', '00'],
    code: 2,
    stderr: /^hybridkem: encapsulate: give only one of --recipient and --public-key-hex$/,
  },
  { name: '-hex without --suite', args: () => ['encapsulate', '--public-key-hex', '00'], code: 2, stderr: /needs --suite/ },
  { name: 'stray argument (never echoed)', args: () => ['keygen', '--suite', 'X-Wing', SEED], code: 2, stderr: /unexpected argument/ },
  { name: 'unknown backend', args: () => ['keygen', '--suite', 'X-Wing', '--backend', 'gpu'], code: 2, stderr: /unknown backend "gpu"/ },
  { name: 'inspect without FILE', args: () => ['inspect'], code: 2, stderr: /missing argument FILE/ },
  { name: 'vectors without --check', args: () => ['vectors'], code: 2, stderr: /pass --check/ },
];

describe('bad input', () => {
  for (const c of cases) {
    it(`${c.name}: exit ${c.code}, empty stdout, one stderr line`, async () => {
      const r = await hybridkem(c.args());
      expect(r.stdout).toBe('');
      expect(r.code).toBe(c.code);
      expect(r.stderr.endsWith('\n')).toBe(true);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hybridkem: /);
      expect(lines[0]).toMatch(c.stderr);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      // No secret: neither the test key nor a seed given on the command line.
      expect(r.stderr).not.toContain(seedHex);
      expect(r.stderr).not.toContain(keyBase64);
      expect(r.stderr).not.toContain(SEED);
    });
  }

  it('--debug adds the stack trace, still nothing on stdout', async () => {
    const r = await hybridkem(['encapsulate', '--suite', 'X-Wing', '--public-key-hex', '00'.repeat(12), '--debug']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('hybridkem: publicKey: expected 1216 bytes, got 12');
    expect(r.stderr).toMatch(/^\s+at /m);
    expect(r.stderr).toContain('ERR_INVALID_LENGTH');
  });

  it('a backend that cannot load is an error naming it, or works', async () => {
    const r = await hybridkem(['keygen', '--suite', XWING.name, '--backend', 'native']);
    if (r.code === 0) return; // a native build is present here
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hybridkem: backend native: /);
  });
});
