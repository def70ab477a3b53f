/**
 * The key flags shared by the commands (issue #14): -r/--recipient and
 * -R/--recipients-file for seal, -i/--identity (repeatable for open), the
 * earlier names as aliases; and seal's refusal to write binary to a terminal
 * (through a real pseudo-terminal, util-linux script(1)).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTerminal, ok, runBinary, tempDirForFile, type BinaryResult } from './helpers.js';

const tmp = tempDirForFile();
const f = tmp.file;

beforeAll(async () => {
  await ok(['keygen', '--suite', 'X-Wing', '--out', f('alice')]);
  await ok(['keygen', '--suite', 'X-Wing', '--out', f('bob')]);
  await ok(['keygen', '--suite', 'MLKEM768-P256', '--out', f('carol')]);
});

async function okBinary(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  const r = await runBinary(args, input);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`hybridkem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function expectError(r: BinaryResult, code: number, stderr: string): void {
  expect(r.stderr).toBe(stderr);
  expect(r.code).toBe(code);
  expect(r.stdout.length).toBe(0);
}

describe('recipients and identities', () => {
  it('-R reads a file of armored keys with comments and blank lines; open picks the identity the message names', async () => {
    const alice = await readFile(f('alice.pub'), 'utf8');
    await writeFile(f('team.txt'), `# the team\n\n  # alice, indented comment\n${alice}\n\n`);
    const plaintext = randomBytes(1000);
    const sealed = await okBinary(['seal', '-R', f('team.txt')], plaintext);
    expect(sealed.subarray(8, 24).toString('hex')).toBe(
      JSON.parse(await ok(['inspect', f('alice.pub'), '--json'])).keyId,
    );
    // bob first: open skips him by key id and uses alice
    expect((await okBinary(['open', '-i', f('bob.key'), '--identity', f('alice.key')], sealed)).equals(plaintext)).toBe(true);
    expectError(
      await runBinary(['open', '-i', f('bob.key'), '--key', f('carol.key')], sealed),
      1,
      `hybridkem: open: stdin: sealed to key ${sealed.subarray(8, 24).toString('hex')}, which is none of the 2 identities given\n`,
    );
  });

  it('the earlier names still work: seal --to, open --key, encapsulate --public-key, decapsulate --private-key', async () => {
    const sealed = await okBinary(['seal', '--to', f('carol.pub')], Buffer.from('hello'));
    expect((await okBinary(['open', '--key', f('carol.key')], sealed)).toString()).toBe('hello');
    const enc = JSON.parse(await ok(['encapsulate', '--public-key', f('alice.pub'), '--json'])) as { sharedSecret: string; ciphertext: string };
    const viaAlias = await ok(['decapsulate', '--private-key', f('alice.key'), '--ciphertext-hex', enc.ciphertext]);
    const viaShort = await ok(['decapsulate', '-i', f('alice.key'), '--ciphertext-hex', enc.ciphertext]);
    expect(viaAlias).toBe(`${enc.sharedSecret}\n`);
    expect(viaShort).toBe(`${enc.sharedSecret}\n`);
  });

  it('bad recipients files and too many recipients are clear errors', async () => {
    await writeFile(f('junk.txt'), '# ok\nnot a key\n');
    expectError(await runBinary(['seal', '-R', f('junk.txt')]), 1, `hybridkem: -R ${f('junk.txt')}: line 2: expected an armored public key, a # comment or a blank line\n`);
    await writeFile(f('empty.txt'), '# nothing\n\n');
    expectError(await runBinary(['seal', '-R', f('empty.txt')]), 1, `hybridkem: -R ${f('empty.txt')}: no public keys in the file\n`);
    const key = await readFile(f('alice.key'), 'utf8');
    await writeFile(f('secret.txt'), key);
    const r = await runBinary(['seal', '-R', f('secret.txt')]);
    expectError(r, 1, `hybridkem: -R ${f('secret.txt')} (key 1, line 1): object kind: expected publicKey, got privateKey\n`);
    await writeFile(f('crowd.txt'), `${(await readFile(f('alice.pub'), 'utf8'))}\n`.repeat(65));
    expectError(await runBinary(['seal', '-R', f('crowd.txt')]), 2, 'hybridkem: seal: 65 recipients given, at most 64\n');
  });
});

describe('binary to a terminal', () => {
  it('seal refuses when stdout is a terminal and there is no -o (exit 2), and writes with a redirection', async () => {
    await writeFile(f('plain.txt'), 'to the terminal');
    const refused = await inTerminal(['seal', '-r', f('alice.pub'), f('plain.txt')]);
    expect(refused.screen).toBe('hybridkem: seal: refusing to write a binary sealed message to the terminal; redirect stdout (> FILE), use -o FILE, or --armor for text\r\n');
    expect(refused.code).toBe(2);
    const redirected = await inTerminal(['seal', '-r', f('alice.pub'), f('plain.txt')], { shellSuffix: ` > ${f('plain.sealed')}` });
    expect(redirected.screen).toBe('');
    expect(redirected.code).toBe(0);
    expect((await okBinary(['open', '-i', f('alice.key'), f('plain.sealed')])).toString()).toBe('to the terminal');
  });
});
