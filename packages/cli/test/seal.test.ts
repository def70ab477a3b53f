/**
 * hybridkem seal / open (issue #3): round trips through files and through
 * stdin/stdout, the AEADs, keys of every KEM suite, --aad and --info; failures (wrong aad, info or
 * key, tampered or truncated messages, a key of another suite) exit non-zero with one line on stderr
 * and leave no output file (an existing one untouched); signing keys
 * are refused; and 1 GiB streamed through `seal | open` in bounded memory.
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { dearmor } from '@hybridkem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ok, runBinary, tempDirForFile, type BinaryResult } from './helpers.js';
import { spawnProcess } from '@hybridkem/core/testing';

const posix = process.platform !== 'win32';
const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const HEADER_AND_ENC = 26 + 1120;
const CHUNK = 65536;
/**
 * The suites seal accepts besides X-Wing (alice, bob) — every other KEM suite —
 * with their HPKE KEM ids (= wire ids) as spec/WIRE-FORMAT.md §7.1 lists them.
 */
const HPKE_KEM_ID = {
  'HPKE-MLKEM768-P256': 0x0050,
  'HPKE-MLKEM1024-P384': 0x0051,
  'X25519-MLKEM768': 0xff01,
  'X25519-MLKEM1024': 0xff02,
  'MLKEM768-P256': 0xff03,
  'MLKEM1024-P384': 0xff04,
} as const;
const HPKE_SUITES = Object.keys(HPKE_KEM_ID) as (keyof typeof HPKE_KEM_ID)[];

const tmp = tempDirForFile();
const f = tmp.file;

beforeAll(async () => {
  await ok(['keygen', '--suite', 'X-Wing', '--out', f('alice')]);
  await ok(['keygen', '--suite', 'X-Wing', '--out', f('bob')]);
  await ok(['keygen', '--suite', 'X25519-MLKEM768', '--out', f('carol')]);
  for (const suite of HPKE_SUITES) {
    await ok(['keygen', '--suite', suite, '--out', f(`${suite}-a`)]);
    await ok(['keygen', '--suite', suite, '--out', f(`${suite}-b`)]);
  }
  await ok(['keygen', '--suite', 'MLDSA65-Ed25519-SHA512', '--out', f('signer')]);
  // The binary forms of alice's key files.
  for (const ext of ['pub', 'key']) {
    await writeFile(f(`alice.${ext}.bin`), dearmor(await readFile(f(`alice.${ext}`), 'utf8')).encoded, { mode: 0o600 });
  }
});

async function okBinary(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  const r = await runBinary(args, input);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`hybridkem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Exit status 1 or 2 and exactly one line on stderr, matching `pattern`. */
function expectOneLineError(r: BinaryResult, pattern: RegExp, code = 1): void {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(/^hybridkem: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
}

/** Temporary files left beside OUT by an aborted open (there must be none). */
async function leftovers(): Promise<string[]> {
  return (await readdir(tmp.path)).filter((n) => n.endsWith('.tmp'));
}

const SIZES = [0, 1, 65536, 300000];
const AEADS = ['chacha20-poly1305', 'aes-256-gcm'] as const;
const AEAD_IDS = { 'chacha20-poly1305': 0x0003, 'aes-256-gcm': 0x0002 } as const;

describe('seal / open round trips', () => {
  for (const aead of AEADS) {
    for (const size of SIZES) {
      it(`${aead}, ${size} bytes, via files (-o), with --aad and --info`, async () => {
        const plaintext = randomBytes(size);
        const name = `rt-${aead}-${size}`;
        await writeFile(f(name), plaintext);
        const extra = ['--aad', `aad for ${size}`, '--info', 'info ü'];
        expect(await okBinary(['seal', '--to', f('alice.pub'), '--aead', aead, ...extra, f(name), '-o', f(`${name}.sealed`)])).toHaveLength(0);
        const sealed = await readFile(f(`${name}.sealed`));
        const chunks = Math.max(1, Math.ceil(size / CHUNK));
        expect(sealed.length).toBe(HEADER_AND_ENC + size + 16 * chunks);
        expect(sealed.readUInt16BE(6)).toBe(AEAD_IDS[aead]);
        expect(await okBinary(['open', '--key', f('alice.key'), ...extra, f(`${name}.sealed`), '-o', f(`${name}.out`)])).toHaveLength(0);
        expect((await readFile(f(`${name}.out`))).equals(plaintext)).toBe(true);
        if (posix) expect((await stat(f(`${name}.out`))).mode & 0o777).toBe(0o600);
        expect(await leftovers()).toEqual([]);
      });

      it(`${aead}, ${size} bytes, via stdin/stdout (and "-"), with --aad and --info`, async () => {
        const plaintext = randomBytes(size);
        const extra = ['--aad', 'stdio', '--info', String(size)];
        const sealed = await okBinary(['seal', '--to', f('alice.pub'), '--aead', aead.toUpperCase(), ...extra], plaintext);
        expect(sealed.length).toBe(HEADER_AND_ENC + size + 16 * Math.max(1, Math.ceil(size / CHUNK)));
        const opened = await okBinary(['open', '--key', f('alice.key'), ...extra, '-', '-o', '-'], sealed);
        expect(opened.equals(plaintext)).toBe(true);
      });
    }
  }

  it('accepts binary key files, and open reads what seal wrote with the default AEAD', async () => {
    const plaintext = randomBytes(70000);
    const sealed = await okBinary(['seal', '--to', f('alice.pub.bin')], plaintext);
    expect(sealed.readUInt16BE(6)).toBe(0x0003); // ChaCha20-Poly1305 by default
    expect((await okBinary(['open', '--key', f('alice.key.bin')], sealed)).equals(plaintext)).toBe(true);
  });

  it('aes-128-gcm: header AEAD id 0x0001, and open reads it', async () => {
    const plaintext = randomBytes(70000);
    const sealed = await okBinary(['seal', '--to', f('alice.pub'), '--aead', 'aes-128-gcm'], plaintext);
    expect(sealed.readUInt16BE(6)).toBe(0x0001);
    expect((await okBinary(['open', '--key', f('alice.key')], sealed)).equals(plaintext)).toBe(true);
  });

  it('replaces an existing OUT on success', async () => {
    await writeFile(f('replace.out'), 'old content');
    const sealed = await okBinary(['seal', '--to', f('alice.pub')], Buffer.from('new content'));
    await okBinary(['open', '--key', f('alice.key'), '-o', f('replace.out')], sealed);
    expect(await readFile(f('replace.out'), 'utf8')).toBe('new content');
  });
});

describe('keys of every other KEM suite', () => {
  for (const suite of HPKE_SUITES) {
    it(`${suite}: keygen --out, seal, open round trip (70000 bytes, via files)`, async () => {
      const plaintext = randomBytes(70000);
      const name = `rt-${suite}`;
      await writeFile(f(name), plaintext);
      const extra = ['--aad', suite, '--info', 'info'];
      expect(await okBinary(['seal', '--to', f(`${suite}-a.pub`), ...extra, f(name), '-o', f(`${name}.sealed`)])).toHaveLength(0);
      const sealed = await readFile(f(`${name}.sealed`));
      expect(sealed.readUInt16BE(6)).toBe(0x0003); // ChaCha20-Poly1305 by default
      expect(sealed.readUInt16BE(2)).toBe(HPKE_KEM_ID[suite]); // the key's suite is the KEM
      expect(await okBinary(['open', '--key', f(`${suite}-a.key`), ...extra, f(`${name}.sealed`), '-o', f(`${name}.out`)])).toHaveLength(0);
      expect((await readFile(f(`${name}.out`))).equals(plaintext)).toBe(true);
      if (posix) expect((await stat(f(`${name}.out`))).mode & 0o777).toBe(0o600);
      expect(await leftovers()).toEqual([]);
    });

    it(`${suite}: via stdin/stdout with aes-256-gcm`, async () => {
      const plaintext = randomBytes(70000);
      const sealed = await okBinary(['seal', '--to', f(`${suite}-a.pub`), '--aead', 'aes-256-gcm'], plaintext);
      expect(sealed.readUInt16BE(6)).toBe(0x0002);
      expect((await okBinary(['open', '--key', f(`${suite}-a.key`)], sealed)).equals(plaintext)).toBe(true);
    });

    it(`${suite}: the wrong key fails with one line and leaves no OUT`, async () => {
      const sealed = await okBinary(['seal', '--to', f(`${suite}-a.pub`)], randomBytes(70000));
      const out = f(`wrong-${suite}.out`);
      const r = await runBinary(['open', '--key', f(`${suite}-b.key`), '-o', out], sealed);
      expectOneLineError(r, /^hybridkem: open: stdin: /);
      expect(r.stdout).toHaveLength(0);
      expect(existsSync(out)).toBe(false);
      expect(await leftovers()).toEqual([]);
    });
  }

  it('a key of another sealing suite fails with one line and leaves no OUT', async () => {
    const sealed = await okBinary(['seal', '--to', f('HPKE-MLKEM768-P256-a.pub')], Buffer.from('x'));
    const out = f('cross-suite.out');
    expectOneLineError(await runBinary(['open', '--key', f('alice.key'), '-o', out], sealed), /^hybridkem: open: stdin: /);
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});

describe('open failures leave no output', () => {
  const plaintext = randomBytes(3 * CHUNK + 123);
  let sealed: Buffer;
  beforeAll(async () => {
    sealed = await okBinary(['seal', '--to', f('alice.pub'), '--aad', 'right', '--info', 'right'], plaintext);
    await writeFile(f('good.sealed'), sealed);
  });

  const flipped = (offset: number): Buffer => {
    const copy = Buffer.from(sealed);
    copy[offset]! ^= 0x01;
    return copy;
  };

  const cases: { name: string; input: () => Buffer; args: string[]; pattern: RegExp }[] = [
    { name: 'wrong --aad', input: () => sealed, args: ['--key', 'alice.key', '--aad', 'wrong', '--info', 'right'], pattern: /authentication failed/ },
    { name: 'missing --aad', input: () => sealed, args: ['--key', 'alice.key', '--info', 'right'], pattern: /authentication failed/ },
    { name: 'wrong --info', input: () => sealed, args: ['--key', 'alice.key', '--aad', 'right', '--info', 'wrong'], pattern: /authentication failed/ },
    { name: 'wrong key', input: () => sealed, args: ['--key', 'bob.key', '--aad', 'right', '--info', 'right'], pattern: /keyId: .*sealed to key/ },
    {
      name: 'a tampered byte in the last chunk',
      input: () => flipped(sealed.length - 40),
      args: ['--key', 'alice.key', '--aad', 'right', '--info', 'right'],
      pattern: /authentication failed/,
    },
    {
      name: 'a tampered byte in the first chunk',
      input: () => flipped(HEADER_AND_ENC + 5),
      args: ['--key', 'alice.key', '--aad', 'right', '--info', 'right'],
      pattern: /authentication failed/,
    },
    {
      name: 'a tampered byte in enc',
      input: () => flipped(100),
      args: ['--key', 'alice.key', '--aad', 'right', '--info', 'right'],
      pattern: /authentication failed/,
    },
    {
      name: 'truncation at a chunk boundary',
      input: () => sealed.subarray(0, HEADER_AND_ENC + 2 * (CHUNK + 16)),
      args: ['--key', 'alice.key', '--aad', 'right', '--info', 'right'],
      pattern: /authentication failed/,
    },
    { name: 'an empty input', input: () => Buffer.alloc(0), args: ['--key', 'alice.key'], pattern: /open: stdin: .*truncated/ },
    { name: 'not a sealed message', input: () => Buffer.from('hello world, this is not sealed'), args: ['--key', 'alice.key'], pattern: /open: stdin: / },
  ];

  for (const c of cases) {
    it(`${c.name}: exit 1, one line, no OUT, an existing OUT untouched`, async () => {
      const args = c.args.map((a) => (a.endsWith('.key') ? f(a) : a));
      const out = f('failed.out');
      await rm(out, { force: true });
      const r1 = await runBinary(['open', ...args, '-o', out], c.input());
      expectOneLineError(r1, c.pattern);
      expect(r1.stdout).toHaveLength(0);
      expect(existsSync(out)).toBe(false);
      expect(await leftovers()).toEqual([]);

      await writeFile(out, 'precious');
      const r2 = await runBinary(['open', ...args, '-o', out], c.input());
      expectOneLineError(r2, c.pattern);
      expect(await readFile(out, 'utf8')).toBe('precious');
      expect(await leftovers()).toEqual([]);
    });
  }

  it('reading IN from a file fails the same way', async () => {
    await writeFile(f('tampered.sealed'), flipped(sealed.length - 1));
    const r = await runBinary(['open', '--key', f('alice.key'), '--aad', 'right', '--info', 'right', f('tampered.sealed'), '-o', f('failed2.out')]);
    expectOneLineError(r, /^hybridkem: open: .*tampered\.sealed: authentication failed/);
    expect(existsSync(f('failed2.out'))).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('to stdout, a failure after some chunks writes at most the authenticated prefix and exits 1', async () => {
    const r = await runBinary(['open', '--key', f('alice.key'), '--aad', 'right', '--info', 'right'], flipped(HEADER_AND_ENC + 2 * (CHUNK + 16) + 7));
    expectOneLineError(r, /authentication failed/);
    expect(r.stdout.length).toBeLessThanOrEqual(2 * CHUNK);
    expect(r.stdout.equals(plaintext.subarray(0, r.stdout.length))).toBe(true);
  });
});

describe('seal / open usage and key errors', () => {
  it('X25519-MLKEM768 (carol): accepted by seal --to; a message for another suite is refused with one line', async () => {
    const sealed = await okBinary(['seal', '--to', f('carol.pub')], Buffer.from('for carol'));
    expect(sealed.readUInt16BE(2)).toBe(0xff01);
    expect((await okBinary(['open', '--key', f('carol.key')], sealed)).toString()).toBe('for carol');
    // carol's key and alice's message (X-Wing): the reader's KEM is the key's
    const forAlice = await okBinary(['seal', '--to', f('alice.pub')], Buffer.alloc(2000));
    expectOneLineError(await runBinary(['open', '--key', f('carol.key')], forAlice), /^hybridkem: open: stdin: .*kem: message uses KEM 0x647a/);
    expectOneLineError(await runBinary(['open', '--key', f('alice.key')], sealed), /^hybridkem: open: stdin: /);
  });

  it('refuses signing keys with one line', async () => {
    expectOneLineError(await runBinary(['seal', '--to', f('signer.pub')], Buffer.from('x')), /^hybridkem: --recipient .*signer\.pub: object kind: expected publicKey, got signingPublicKey\n$/);
    const sealed = await okBinary(['seal', '--to', f('alice.pub')], Buffer.from('x'));
    expectOneLineError(await runBinary(['open', '--key', f('signer.key')], sealed), /^hybridkem: --identity .*signer\.key: object kind: expected privateKey, got signingPrivateKey\n$/);
  });

  it('refuses a key of the wrong kind', async () => {
    expectOneLineError(await runBinary(['seal', '--to', f('alice.key')], Buffer.from('x')), /expected publicKey, got privateKey/);
    expectOneLineError(await runBinary(['open', '--key', f('alice.pub')], Buffer.alloc(0)), /expected privateKey, got publicKey/);
  });

  it('usage errors exit 2', async () => {
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), '--json']), /--json is not supported/, 2);
    expectOneLineError(await runBinary(['open', '--key', f('alice.key'), '--json']), /--json is not supported/, 2);
    expectOneLineError(await runBinary(['seal']), /^hybridkem: seal: give a recipient: -r FILE \(a public key\) or -R FILE \(a file of public keys\)\n$/, 2);
    expectOneLineError(await runBinary(['open']), /^hybridkem: open: give the private key: -i FILE\n$/, 2);
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), '--aead', 'des']), /--aead: unknown AEAD/, 2);
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), 'a', 'b']), /too many arguments/, 2);
    expectOneLineError(await runBinary(['open', '--key', f('alice.key'), '--aead', 'aes-256-gcm']), /unknown option --aead/, 2);
  });

  it('a missing IN or an unwritable OUT is one line and creates nothing', async () => {
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), f('nope'), '-o', f('nope.sealed')]), /nope: cannot read: no such file/);
    expect(existsSync(f('nope.sealed'))).toBe(false);
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), '-o', f('no-dir/x')], Buffer.from('x')), /cannot write .*no-dir\/x/);
    expectOneLineError(await runBinary(['seal', '--to', f('alice.pub'), '-o', tmp.path], Buffer.from('x')), /is a directory/);
  });

  it('--help documents -o as the safe form', async () => {
    const help = (await okBinary(['open', '--help'])).toString();
    expect(help).toMatch(/With -o OUT \(the safe form\)/);
    expect(help).toMatch(/authentic prefix/);
    expect((await okBinary(['--help'])).toString()).toMatch(/^ {2}seal +.*\n {2}open +/m);
  });
});

// ---------------------------------------------------------------------------
// 1 GiB through `seal | open`: bounded memory. Runs by default and in CI's
// main run; HYBRIDKEM_SKIP_1GIB=1 skips it (scripts/test-node-versions.sh sets
// it for the Node 22/26 reruns, which repeat everything else).

const ONE_GIB = 1024 * 1024 * 1024;
const RSS_LIMIT_KIB = 300 * 1024;
const skip1GiB = process.env.HYBRIDKEM_SKIP_1GIB === '1';
const TIME = '/usr/bin/time';

interface Measured {
  code: number | null;
  stderr: string;
  seconds: number;
  peakRssKiB: number;
}

/** Spawns node with `args`, measuring its peak RSS with /usr/bin/time, else with the fixtures/peak-rss.mjs preload. */
function measured(name: string, nodeArgs: string[], stdio: StdioOptions): { child: ChildProcess; done: Promise<Measured> } {
  const rssFile = f(`${name}.rss`);
  const useTime = existsSync(TIME);
  const [cmd, args] = useTime
    ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...nodeArgs]]
    : [process.execPath, ['--import', join(FIXTURES, 'peak-rss.mjs'), ...nodeArgs]];
  const start = performance.now();
  const child = spawnProcess(cmd, args, { stdio, env: { ...process.env, NODE_OPTIONS: '', HYBRIDKEM_PEAK_RSS_FILE: rssFile } });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Measured>((resolvePromise, reject) => {
    child.on('error', reject);
    // 'exit', not 'close': a stdout handed on to the next process is never read (nor closed) here.
    child.on('exit', (code) => {
      const seconds = (performance.now() - start) / 1000;
      readFile(rssFile, 'utf8').then(
        (text) => resolvePromise({ code, stderr, seconds, peakRssKiB: Number(text.trim().split('\n').pop()) }),
        reject,
      );
    });
  });
  return { child, done };
}

describe.skipIf(skip1GiB)('1 GiB', () => {
  it('streams 1 GiB through hybridkem seal | hybridkem open with peak RSS under 300 MiB each', { timeout: 600_000 }, async () => {
    const gen = measured('gen', [join(FIXTURES, 'deterministic-bytes.mjs'), String(ONE_GIB)], ['ignore', 'pipe', 'pipe']);
    const sealer = measured('seal', [CLI, 'seal', '--to', f('alice.pub'), '--aad', 'big'], [gen.child.stdout as Readable, 'pipe', 'pipe']);
    const opener = measured('open', [CLI, 'open', '--key', f('alice.key'), '--aad', 'big'], [sealer.child.stdout as Readable, 'pipe', 'pipe']);
    const hash = createHash('sha256');
    let length = 0;
    const drained = new Promise<void>((resolveDrained) => {
      opener.child.stdout!.on('data', (d: Buffer) => {
        hash.update(d);
        length += d.length;
      });
      opener.child.stdout!.on('end', resolveDrained);
    });
    const [g, s, o] = await Promise.all([gen.done, sealer.done, opener.done, drained]);
    const report = (n: string, m: Measured) => `${n}: ${m.seconds.toFixed(1)} s, peak RSS ${(m.peakRssKiB / 1024).toFixed(1)} MiB`;
    console.log(`1 GiB round trip (${existsSync(TIME) ? '/usr/bin/time' : 'maxRSS preload'}): ${report('seal', s)}; ${report('open', o)}; ${report('generator', g)}`);
    expect(s.code, s.stderr).toBe(0);
    expect(o.code, o.stderr).toBe(0);
    expect(g.code, g.stderr).toBe(0);
    expect(length).toBe(ONE_GIB);
    expect(hash.digest('hex')).toBe(g.stderr.trim().split('\n')[0]);
    expect(s.peakRssKiB).toBeGreaterThan(0);
    expect(s.peakRssKiB).toBeLessThan(RSS_LIMIT_KIB);
    expect(o.peakRssKiB).toBeLessThan(RSS_LIMIT_KIB);
  });
});
