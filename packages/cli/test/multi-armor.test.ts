/**
 * Several recipients and armor (issue #14): seal to more than one key writes
 * the multi-recipient format (spec/WIRE-FORMAT.md §10), which each recipient
 * opens (checked with @hybridkem/seal's openWithIdentities too), inspect lists
 * the recipients (or "hidden"); --armor writes spec §3.1 text, which open
 * recognizes by itself, and which may go to a terminal.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dearmor, decodePrivateKey, keyId } from '@hybridkem/core';
import { backend as noble } from '@hybridkem/noble';
import { createHpkeSuite, openWithIdentities } from '@hybridkem/seal';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTerminal, ok, runBinary, tempDirForFile } from './helpers.js';

const tmp = tempDirForFile();
const f = tmp.file;
const ids: Record<string, string> = {};
const plaintext = randomBytes(1000);

beforeAll(async () => {
  for (const [name, suite] of [['alice', 'X-Wing'], ['bob', 'X-Wing'], ['carol', 'MLKEM768-P256']] as const) {
    await ok(['keygen', '--suite', suite, '--out', f(name)]);
    ids[name] = keyId(dearmor(await readFile(f(`${name}.pub`), 'utf8')).encoded);
  }
  await writeFile(f('plain.bin'), plaintext);
});

async function okBinary(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  const r = await runBinary(args, input);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`hybridkem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('several recipients', () => {
  it('seal -r -r: kind 0x09; each recipient opens it (the CLI and the library); inspect lists them; others cannot', async () => {
    await okBinary(['seal', '-r', f('alice.pub'), '-r', f('carol.pub'), f('plain.bin'), '-o', f('m.sealed')]);
    const sealed = await readFile(f('m.sealed'));
    expect([...sealed.subarray(0, 2)]).toEqual([0x01, 0x09]);
    expect((await okBinary(['open', '-i', f('carol.key'), f('m.sealed')])).equals(plaintext)).toBe(true);
    expect((await okBinary(['open', '-i', f('bob.key'), '-i', f('alice.key'), f('m.sealed')])).equals(plaintext)).toBe(true);

    const carolSeed = decodePrivateKey(dearmor(await readFile(f('carol.key'), 'utf8')).encoded).privateKey;
    const suite = createHpkeSuite({ kem: 'MLKEM768-P256', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend: noble });
    expect(Buffer.from(await openWithIdentities([{ suite, privateKey: carolSeed }], sealed)).equals(plaintext)).toBe(true);

    const bob = await runBinary(['open', '-i', f('bob.key'), f('m.sealed')]);
    expect(bob.stderr).toBe(
      `hybridkem: open: ${f('m.sealed')}: none of the 1 identities given is a recipient (the message lists X-Wing ${ids.alice}, MLKEM768-P256 ${ids.carol})\n`,
    );
    expect(bob.code).toBe(1);
    expect(bob.stdout.length).toBe(0);

    // FIXED 25 + X-Wing stanza (2 + 16 + 1120 + 48) + MLKEM768-P256 stanza (2 + 16 + 1153 + 48) + MAC 32 = 2462 (spec §10.1)
    expect(sealed.length).toBe(2462 + 1000 + 16);
    expect(await ok(['inspect', f('m.sealed')])).toBe(
      [
        `file:       ${f('m.sealed')} (binary)`,
        'version:    1',
        'kind:       multi-recipient sealed message',
        `recipients: X-Wing (0x647a), key id ${ids.alice}`,
        `            MLKEM768-P256 (0xff03), key id ${ids.carol}`,
        'kdf:        HKDF-SHA256',
        'aead:       ChaCha20-Poly1305',
        'chunks:     64 KiB of plaintext each',
        'size:       3478 bytes: header 2462, 1 chunk, plaintext 1000 bytes if intact',
        '',
      ].join('\n'),
    );
  });

  it('--hide-key-ids: inspect says hidden; the holder of a key still opens it', async () => {
    await okBinary(['seal', '-r', f('alice.pub'), '-r', f('bob.pub'), '--hide-key-ids', f('plain.bin'), '-o', f('h.sealed')]);
    const json = JSON.parse(await ok(['inspect', f('h.sealed'), '--json']));
    expect(json.recipients).toEqual([
      { suite: 'X-Wing', suiteId: 0x647a, suiteIdHex: '0x647a', keyId: null },
      { suite: 'X-Wing', suiteId: 0x647a, suiteIdHex: '0x647a', keyId: null },
    ]);
    expect(json.keyIdsHidden).toBe(true);
    expect((await okBinary(['open', '-i', f('carol.key'), '-i', f('bob.key'), f('h.sealed')])).equals(plaintext)).toBe(true);
  });
});

describe('--armor', () => {
  it('writes text that open reads without being told; a changed line fails with one line', async () => {
    const text = (await okBinary(['seal', '-r', f('alice.pub'), '--armor', f('plain.bin')])).toString('latin1');
    const lines = text.split('\n');
    expect(lines[0]).toBe('-----BEGIN HYBRIDKEM SEALED MESSAGE-----');
    expect(lines.at(-2)).toBe('-----END HYBRIDKEM SEALED MESSAGE-----');
    expect(lines.at(-1)).toBe('');
    expect(Math.max(...lines.map((l) => l.length))).toBe(64);
    await writeFile(f('a.asc'), text);
    expect((await okBinary(['open', '-i', f('alice.key'), f('a.asc')])).equals(plaintext)).toBe(true);
    expect(await ok(['inspect', f('a.asc')])).toContain(`key id:  ${ids.alice} (of the recipient's public key)\n`);

    lines[3] = `*${lines[3]!.slice(1)}`;
    await writeFile(f('bad.asc'), lines.join('\n'));
    const bad = await runBinary(['open', '-i', f('alice.key'), f('bad.asc'), '-o', f('bad.out')]);
    expect(bad.stderr).toBe(`hybridkem: open: ${f('bad.asc')}: armor: line 4: column 1: not a base64 character\n`);
    expect(bad.code).toBe(1);

    const multi = (await okBinary(['seal', '-a', '-r', f('alice.pub'), '-r', f('bob.pub')], plaintext)).toString('latin1');
    expect(multi.split('\n')[0]).toBe('-----BEGIN HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE-----');
    expect((await okBinary(['open', '-i', f('bob.key')], Buffer.from(multi, 'latin1'))).equals(plaintext)).toBe(true);
  });

  it('armored text may go to a terminal', async () => {
    const r = await inTerminal(['seal', '-a', '-r', f('alice.pub'), f('plain.bin')]);
    expect(r.code).toBe(0);
    expect(r.screen.split('\r\n')[0]).toBe('-----BEGIN HYBRIDKEM SEALED MESSAGE-----');
    expect(r.screen.endsWith('-----END HYBRIDKEM SEALED MESSAGE-----\r\n')).toBe(true);
  });
});
