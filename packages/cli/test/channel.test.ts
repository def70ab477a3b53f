/**
 * `hybridkem channel listen` / `connect` as real processes of the built CLI:
 * 100 MiB one way and a smaller stream the other way at the same time arrive
 * intact (SHA-256 of what went in against what came out, computed by
 * node:crypto in this process, not by the channel); pqIK with --key and
 * --allow; a wrong --server-key fails with one line on both sides and leaves
 * the listener's stdout empty; command-line mistakes are usage errors
 * (status 2) before anything listens. Every process is stopped after each
 * test, also when it fails.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt, hybridkem, ok, tempDir } from './helpers.js';

let dir: { path: string; cleanup: () => Promise<void> };
const f = (name: string): string => join(dir.path, name);

beforeAll(async () => {
  cliBuilt();
  dir = await tempDir();
  for (const name of ['server', 'other', 'alice', 'mallory']) await ok(['keygen', '--suite', 'X-Wing', '--out', f(name)]);
  await ok(['keygen', '--suite', 'X25519-MLKEM768', '--out', f('x768')]);
  for (const suite of ['DHKEM-X25519-HKDF-SHA256', 'ML-KEM-768']) {
    await ok(['keygen', '--suite', suite, '--out', f(`${suite}-server`)]);
    await ok(['keygen', '--suite', suite, '--out', f(`${suite}-client`)]);
  }
  await writeFile(f('pass.txt'), 'correct horse\n', { mode: 0o600 });
  await ok(['keygen', '--suite', 'X-Wing', '--passphrase-file', f('pass.txt'), '--out', f('locked')]);
});
afterAll(async () => dir?.cleanup());

const started: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => stopProcess(child)));
});

async function fails(args: string[], code: number, stderr: string | RegExp): Promise<void> {
  const r = await hybridkem(args);
  if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
  else expect(r.stderr).toMatch(stderr);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(code);
}

describe('channel: command line', () => {
  it('help lists both commands; the group needs one', async () => {
    const help = await hybridkem(['channel', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}listen +accept one Noise channel connection/m);
    expect(help.stdout).toMatch(/^ {2}connect +connect to a channel listener/m);
    await fails(['channel'], 2, 'hybridkem: channel: expected a command: listen, connect; see hybridkem channel --help\n');
    expect((await hybridkem(['channel', 'listen', '--help'])).stdout).toContain('  --allow FILE.pub ');
    expect((await hybridkem(['man'])).stdout).toContain('.SS hybridkem channel connect\n');
  });

  it('required options, addresses and names are checked before anything listens or connects', async () => {
    await fails(['channel', 'listen', '--key', f('server.key')], 2, 'hybridkem: channel listen: --listen HOST:PORT is required\n');
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0'], 2, 'hybridkem: channel listen: --key FILE is required\n');
    await fails(['channel', 'listen', '--listen', '::1:7000', '--key', f('server.key')], 2,
      'hybridkem: channel listen: --listen: an IPv6 address goes in brackets, as in [::1]:8443; got "::1:7000"\n');
    await fails(['channel', 'connect', '--server-key', f('server.pub')], 2, 'hybridkem: channel connect: missing argument HOST:PORT\n');
    await fails(['channel', 'connect', '127.0.0.1:0', '--server-key', f('server.pub')], 2,
      'hybridkem: channel connect: HOST:PORT: port must be an integer from 1 to 65535, got "0"\n');
    await fails(['channel', 'connect', '127.0.0.1:7000'], 2, 'hybridkem: channel connect: --server-key FILE.pub is required\n');
    await fails(['channel', 'connect', '127.0.0.1:7000', '--server-key', f('server.pub'), '--mode', 'quantum'], 2,
      'hybridkem: channel connect: --mode: unknown mode "quantum", expected one of classical, hybrid, pq-only\n');
    await fails(['channel', 'connect', '127.0.0.1:7000', '--server-key', f('server.pub'), '--cipher', 'AES128'], 2,
      'hybridkem: channel connect: --cipher: unknown cipher "AES128", expected one of ChaChaPoly, AESGCM\n');
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('server.key'), '--hash', 'BLAKE2s'], 2,
      'hybridkem: channel listen: --hash: unknown hash "BLAKE2s", expected one of SHA256, SHA512\n');
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('server.key'), '--json'], 2,
      "hybridkem: channel listen: --json is not supported (stdout carries the peer's data)\n");
  });

  it('--mode must be the mode of the key: a usage error naming the file and its suite', async () => {
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('server.key'), '--mode', 'classical'], 2,
      `hybridkem: channel listen: --mode classical does not match --key ${f('server.key')}, whose suite X-Wing is mode hybrid\n`);
    await fails(['channel', 'connect', '127.0.0.1:7000', '--server-key', f('server.pub'), '--mode', 'pq-only'], 2,
      `hybridkem: channel connect: --mode pq-only does not match --server-key ${f('server.pub')}, whose suite X-Wing is mode hybrid\n`);
    // An encrypted key's suite is read from its header: the mismatch is reported before any passphrase is asked for.
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('locked.key'), '--mode', 'pq-only'], 2,
      `hybridkem: channel listen: --mode pq-only does not match --key ${f('locked.key')}, whose suite X-Wing is mode hybrid\n`);
  });

  it('key files of the wrong kind or suite are one-line errors that print no key', async () => {
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('server.pub')], 1,
      `hybridkem: --key ${f('server.pub')}: object kind: expected privateKey, got publicKey\n`);
    await fails(['channel', 'connect', '127.0.0.1:7000', '--server-key', f('server.key')], 1,
      `hybridkem: --server-key ${f('server.key')}: object kind: expected publicKey, got privateKey\n`);
    await fails(['channel', 'connect', '127.0.0.1:7000', '--server-key', f('server.pub'), '--key', f('x768.key')], 1,
      `hybridkem: --key ${f('x768.key')} (X25519-MLKEM768) and --server-key ${f('server.pub')} (X-Wing) are of different suites\n`);
    await fails(['channel', 'listen', '--listen', '127.0.0.1:0', '--key', f('server.key'), '--allow', f('x768.pub')], 1,
      `hybridkem: --allow ${f('x768.pub')} (X25519-MLKEM768) and --key ${f('server.key')} (X-Wing) are of different suites\n`);
  });

  it('nothing listening: one line and status 1', async () => {
    const port = await closedPort();
    await fails(['channel', 'connect', `127.0.0.1:${port}`, '--server-key', f('server.pub')], 1,
      `hybridkem: channel connect: cannot connect to 127.0.0.1:${port}: connection refused\n`);
  });
});

// --- real runs -----------------------------------------------------------------

/** A port nothing listens on (listened on, then closed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `bytes` bytes of ChaCha20 keystream under a key derived from `seed`
 * (node:crypto), in 1 MiB chunks: reproducible, and never all in memory.
 */
function seededStream(seed: string, bytes: number): Readable {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('chacha20', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  let left = bytes;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(left, zeros.length);
      left -= n;
      this.push(cipher.update(zeros.subarray(0, n)));
    },
  });
}

/** SHA-256 of a stream's bytes, streaming: the hex digest and the byte count. */
async function digestOf(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

interface Peer {
  readonly child: ChildProcess;
  /** Resolves with the exit code and all of stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  /** Digest of everything written to stdout. */
  readonly output: Promise<{ sha256: string; bytes: number }>;
  /** Feeds stdin (then ends it); resolves with the digest of what was written. */
  feed(input: Readable): Promise<{ sha256: string; bytes: number }>;
}

function start(args: readonly string[]): Peer & { stderrSoFar: () => string; bytesSoFar: () => number } {
  const child = spawnProcess(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let outBytes = 0;
  child.stdout!.on('data', (d: Buffer) => (outBytes += d.length));
  const output = digestOf(child.stdout!);
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
  child.stdin!.on('error', () => {}); // a process that failed stops reading; its status is what counts
  return {
    child,
    exited,
    output,
    stderrSoFar: () => stderr,
    bytesSoFar: () => outBytes,
    async feed(input) {
      const hash = createHash('sha256');
      let bytes = 0;
      const counted = input.map((chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        return chunk;
      });
      await pipeline(counted, child.stdin!).catch(() => {});
      return { sha256: hash.digest('hex'), bytes };
    },
  };
}

/** A listener, once it has said where it listens. */
async function listener(args: readonly string[]): Promise<ReturnType<typeof start> & { port: number }> {
  const peer = start(['channel', 'listen', '--listen', '127.0.0.1:0', ...args]);
  const port = await new Promise<number>((resolve, reject) => {
    const startedAt = Date.now();
    const timer = setInterval(() => {
      const m = /^hybridkem channel: listening on 127\.0\.0\.1:(\d+)$/m.exec(peer.stderrSoFar());
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      } else if (Date.now() - startedAt > 30_000) {
        clearInterval(timer);
        reject(new Error(`listener not listening after 30 s; stderr so far: ${JSON.stringify(peer.stderrSoFar())}`));
      }
    }, 20);
    void peer.exited.then(({ code, stderr }) => {
      clearInterval(timer);
      reject(new Error(`listener exited ${code} before listening: ${stderr}`));
    });
  });
  return { ...peer, port };
}

/**
 * Both processes' exits; if they have not both exited within `seconds`, an
 * error with what each has said on stderr and written to stdout so far (a
 * hang is then reported with its state, not as a bare test timeout).
 */
async function bothExit(a: ReturnType<typeof start>, b: ReturnType<typeof start>, seconds = 45): Promise<[{ code: number | null; stderr: string }, { code: number | null; stderr: string }]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const state = (p: ReturnType<typeof start>) =>
        `exit ${p.child.exitCode ?? 'none yet'}, ${p.bytesSoFar()} bytes out, stderr ${JSON.stringify(p.stderrSoFar())}`;
      reject(new Error(`not both exited after ${seconds} s: first: ${state(a)}; second: ${state(b)}`));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([Promise.all([a.exited, b.exited]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const MiB = 1 << 20;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LISTENING = /^hybridkem channel: listening on 127\.0\.0\.1:\d+\n/;

describe('channel: real runs', () => {
  it('100 MiB client → server and 8 MiB server → client at the same time arrive intact (pqNK, X-Wing)', async () => {
    const t0 = performance.now();
    const server = await listener(['--key', f('server.key')]);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f('server.pub')]);
    const [sentUp, sentDown] = await Promise.all([client.feed(seededStream('up', 100 * MiB)), server.feed(seededStream('down', 8 * MiB))]);
    const [s, c] = await bothExit(server, client);
    const seconds = (performance.now() - t0) / 1000;
    expect(c).toEqual({ code: 0, stderr: '' });
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(new RegExp(`${LISTENING.source}$`));
    expect(sentUp.bytes).toBe(100 * MiB);
    expect(sentDown.bytes).toBe(8 * MiB);
    expect(await server.output).toEqual(sentUp);
    expect(await client.output).toEqual(sentDown);
    console.log(`channel: 100 MiB up + 8 MiB down in ${seconds.toFixed(2)} s (listener start, handshake and exit of both processes included)`);
  }, 180_000);

  it('pqIK: a client with --key in --allow is accepted (-v names the protocol and the keys); another key or none is refused', async () => {
    const keyIds = JSON.parse(await ok(['inspect', f('alice.pub'), '--json'])) as { keyId: string };
    const server = await listener(['--key', f('server.key'), '--allow', f('alice.pub'), '--allow', f('other.pub'), '-v', '--cipher', 'AESGCM', '--hash', 'SHA512']);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f('server.pub'), '--key', f('alice.key'), '-v']);
    await Promise.all([client.feed(Readable.from([Buffer.from('hello from alice\n')])), server.feed(Readable.from([Buffer.from('hello alice\n')]))]);
    const [s, c] = await bothExit(server, client);
    expect(c.code).toBe(0);
    expect(s.code).toBe(0);
    expect(c.stderr).toMatch(/^hybridkem channel: Noise_pqIK_XWing_AESGCM_SHA512 with 127\.0\.0\.1:\d+\n$/);
    expect(s.stderr).toMatch(new RegExp(`${LISTENING.source}hybridkem channel: Noise_pqIK_XWing_AESGCM_SHA512 with 127\\.0\\.0\\.1:\\d+, client key ${keyIds.keyId}\\n$`));
    expect((await server.output).sha256).toBe(createHash('sha256').update('hello from alice\n').digest('hex'));
    expect((await client.output).sha256).toBe(createHash('sha256').update('hello alice\n').digest('hex'));

    const refusals: [string[], RegExp, RegExp][] = [
      // A key not in --allow: the server refuses it after decrypting it; the client only sees the hang-up.
      [['--key', f('mallory.key')], /failed: [^\n]*static key[^\n]*not accepted/,
        new RegExp(`failed: [^\\n]*ended[^\\n]*; check --server-key ${escape(f('server.pub'))} and that the server allows --key ${escape(f('mallory.key'))}\\n$`)],
      // No key at all (pqNK): refused in the negotiation, which the client is told.
      [[], /failed: [^\n]*pattern pqNK is not accepted/, /failed: the responder refused the offer: pattern-not-accepted\n$/],
    ];
    for (const [clientKey, serverSays, clientSays] of refusals) {
      const guarded = await listener(['--key', f('server.key'), '--allow', f('alice.pub')]);
      const intruder = start(['channel', 'connect', `127.0.0.1:${guarded.port}`, '--server-key', f('server.pub'), ...clientKey]);
      await Promise.all([intruder.feed(Readable.from([Buffer.from('let me in')])), guarded.feed(Readable.from([Buffer.from('secret')]))]);
      const [g, i] = await bothExit(guarded, intruder);
      expect(g.code).toBe(1);
      expect(g.stderr).toMatch(new RegExp(`${LISTENING.source}hybridkem: channel listen: handshake with 127\\.0\\.0\\.1:\\d+ failed: [^\\n]+\\n$`));
      expect(g.stderr).toMatch(serverSays);
      expect(i.code).toBe(1);
      expect(i.stderr).toMatch(/^hybridkem: channel connect: handshake with 127\.0\.0\.1:\d+ failed: [^\n]+\n$/);
      expect(i.stderr).toMatch(clientSays);
      expect((await guarded.output).bytes).toBe(0);
      expect((await intruder.output).bytes).toBe(0);
    }
  }, 120_000);

  it.each([
    ['classical', 'DHKEM-X25519-HKDF-SHA256', 'DHKEMX25519HKDFSHA256', []],
    // The listener on noble, the client on the default backend: the two meet on the wire only.
    ['pq-only', 'ML-KEM-768', 'MLKEM768', ['--backend', 'noble']],
  ])('--mode %s with %s keys (pqIK)', async (mode, suite, kemName, serverBackend) => {
    const server = await listener(['--key', f(`${suite}-server.key`), '--mode', mode, '-v', ...serverBackend]);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f(`${suite}-server.pub`), '--key', f(`${suite}-client.key`), '--mode', mode, '-v']);
    const [up, down] = await Promise.all([client.feed(seededStream(`${mode} up`, 300_000)), server.feed(seededStream(`${mode} down`, 200_000))]);
    const [s, c] = await bothExit(server, client);
    expect(c).toEqual({ code: 0, stderr: expect.stringMatching(new RegExp(`^hybridkem channel: Noise_pqIK_${kemName}_ChaChaPoly_SHA256 with 127\\.0\\.0\\.1:\\d+\\n$`)) });
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(new RegExp(`${LISTENING.source}hybridkem channel: Noise_pqIK_${kemName}_ChaChaPoly_SHA256 with 127\\.0\\.0\\.1:\\d+, client key [0-9a-f]{32}\\n$`));
    expect(await server.output).toEqual(up);
    expect(await client.output).toEqual(down);
  }, 60_000);

  it('a passphrase-encrypted --key works as in the other commands', async () => {
    const server = await listener(['--key', f('locked.key'), '--passphrase-file', f('pass.txt')]);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f('locked.pub')]);
    await Promise.all([client.feed(Readable.from([Buffer.from('x')])), server.feed(Readable.from([]))]);
    const [s, c] = await bothExit(server, client);
    expect(c).toEqual({ code: 0, stderr: '' });
    expect(s.code).toBe(0);
    expect((await server.output).bytes).toBe(1);
  }, 60_000);

  it('a wrong --server-key: one line and status 1 on both sides, nothing on the listener\'s stdout', async () => {
    const server = await listener(['--key', f('server.key')]);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f('other.pub')]);
    await Promise.all([client.feed(seededStream('up', MiB)), server.feed(Readable.from([Buffer.from('not for strangers')]))]);
    const [s, c] = await bothExit(server, client);
    expect(c.code).toBe(1);
    // The server can only hang up on a client that encapsulated to the wrong key (pqNK sends nothing back).
    expect(c.stderr).toMatch(new RegExp(`^hybridkem: channel connect: handshake with 127\\.0\\.0\\.1:\\d+ failed: [^\\n]*ended[^\\n]*; check --server-key ${escape(f('other.pub'))}\\n$`));
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`${LISTENING.source}hybridkem: channel listen: handshake with 127\\.0\\.0\\.1:\\d+ failed: [^\\n]*authenticate[^\\n]*\\n$`));
    expect(s.stderr).not.toMatch(/\n\s+at /); // no stack
    expect((await server.output).bytes).toBe(0);
    expect((await client.output).bytes).toBe(0);
  }, 60_000);

  it('a peer that dies mid-stream: the listener reports the unclosed channel in one line, status 1', async () => {
    const server = await listener(['--key', f('server.key')]);
    const client = start(['channel', 'connect', `127.0.0.1:${server.port}`, '--server-key', f('server.pub')]);
    void server.feed(Readable.from([]));
    // An endless stdin: the client never closes the channel by itself.
    void client.feed(new Readable({ read() { this.push(Buffer.alloc(64 * 1024, 7)); } }));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.bytesSoFar() >= MiB) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    client.child.kill('SIGKILL');
    const s = await server.exited;
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`${LISTENING.source}hybridkem: channel listen: channel with 127\\.0\\.0\\.1:\\d+ failed: [^\\n]*\\n$`));
    // ERR_CHANNEL_TRUNCATED, whichever way the killed peer's connection ended: between frames or
    // inside one without the close message, or reset.
    expect(s.stderr).toMatch(/failed: (the stream ended (inside a frame|without the peer closing the channel)|the connection (failed|closed before the channel did))\n$/);
  }, 60_000);
});
