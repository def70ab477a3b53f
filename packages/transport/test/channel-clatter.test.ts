/**
 * TypeScript ↔ clatter: the channel of spec/TRANSPORT.md §6 between this
 * package (Node adapter over TCP, noble backend) and native/src/bin/channel-peer.rs
 * (the native core's channel on clatter 2.x: clatter's PQNoise handshake,
 * symmetric state, ciphers and hashes; its Kem trait over the native suites,
 * or clatter's own RustCrypto ML-KEM-768). Both directions, every pattern,
 * X-Wing and ML-KEM-768 (the suite the two sides implement independently:
 * noble here, RustCrypto ml-kem there), ChaChaPoly/SHA256 and AESGCM/SHA512.
 * The peer echoes data: what comes back went TS → clatter → TS intact, and
 * both sides print the same handshake hash. Every peer process, server and
 * socket is stopped after each test, also on failure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acceptChannel, connectChannel, type ChannelDuplex } from '../src/channel/node.js';
import { backend, staticKey } from './support/channel-pair.js';

const nativeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../native');
const peerBin = path.join(nativeDir, 'target', 'release', process.platform === 'win32' ? 'channel-peer.exe' : 'channel-peer');

/** Whether cargo is here; under CI=true its absence throws (a failure, never a skip). */
function cargoAvailable(): boolean {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`cargo is missing; under CI=true the clatter interop tests must run (${String(error)})`);
    return false;
  }
}

type Pattern = 'pqNK' | 'pqIK' | 'pqXX';
type Params = { suite: 'X-Wing' | 'ML-KEM-768'; cipher: 'ChaChaPoly' | 'AESGCM'; hash: 'SHA256' | 'SHA512' };
const SUITE_IDS = { 'X-Wing': '0x647a', 'ML-KEM-768': '0x0041' } as const;
const MODE_IDS = { 'X-Wing': 2, 'ML-KEM-768': 3 } as const; // hybrid, pq-only (§6.2)
const CIPHER_IDS = { ChaChaPoly: 1, AESGCM: 2 } as const;
const HASH_IDS = { SHA256: 1, SHA512: 2 } as const;
const PATTERNS: Pattern[] = ['pqNK', 'pqIK', 'pqXX'];
const PARAMS: Params[] = [
  { suite: 'X-Wing', cipher: 'ChaChaPoly', hash: 'SHA256' },
  { suite: 'X-Wing', cipher: 'AESGCM', hash: 'SHA512' },
  { suite: 'ML-KEM-768', cipher: 'ChaChaPoly', hash: 'SHA256' },
  { suite: 'ML-KEM-768', cipher: 'AESGCM', hash: 'SHA512' },
];

interface Peer {
  readonly proc: ChildProcess;
  /** The first stdout line starting with `word`, split on spaces. */
  line(word: string): Promise<string[]>;
  /** Exit code and stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

const peers = new Set<ChildProcess>();
const servers = new Set<net.Server>();
const sockets = new Set<net.Socket>();

async function stopAll(): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all([...servers].map((s) => new Promise((resolve) => s.close(resolve))));
  servers.clear();
  await Promise.all(
    [...peers].map((p) => {
      if (p.exitCode !== null || p.signalCode !== null) return undefined;
      const gone = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGKILL');
      return gone;
    }),
  );
  peers.clear();
}
afterEach(stopAll);
afterAll(stopAll);

function startPeer(args: string[]): Peer {
  const proc = spawn(peerBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  peers.add(proc);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    proc.on('exit', (code) => {
      for (const w of waiters.splice(0)) w();
      // Let stderr drain before reporting it.
      setImmediate(() => resolve({ code, stderr }));
    }),
  );
  const line = (word: string) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const found = lines.find((l) => l.startsWith(`${word} `));
        if (found !== undefined) return resolve(found.split(' '));
        if (proc.exitCode !== null) return reject(new Error(`channel-peer exited (${proc.exitCode}) before printing "${word}": ${stderr}`));
        waiters.push(check);
      };
      check();
    });
  return { proc, line, exited };
}

function peerArgs(role: 'initiator' | 'responder', pattern: Pattern, p: Params): string[] {
  return [
    '--role',
    role,
    '--pattern',
    pattern,
    '--entry',
    `${MODE_IDS[p.suite]},${SUITE_IDS[p.suite]},${CIPHER_IDS[p.cipher]},${HASH_IDS[p.hash]}`,
    // ML-KEM-768 through clatter's own RustCrypto ML-KEM, not the native core's AWS-LC one.
    ...(p.suite === 'ML-KEM-768' ? ['--clatter-mlkem768'] : []),
  ];
}

/** Writes `data`, reads until as many bytes came back. */
function echoRoundTrip(ch: ChannelDuplex, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got >= data.length) {
        ch.off('data', onData);
        resolve(Buffer.concat(parts));
      }
    };
    ch.on('data', onData);
    ch.once('error', reject);
    ch.write(data);
  });
}

/** Ends our side and waits for the peer's close (the readable side's end). */
function closeBoth(ch: ChannelDuplex): Promise<void> {
  return new Promise((resolve, reject) => {
    ch.once('end', () => resolve());
    ch.once('error', reject);
    ch.resume();
    ch.end();
  });
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

describe.skipIf(!cargoAvailable())('the channel between TypeScript and clatter (native/src/bin/channel-peer.rs)', () => {
  beforeAll(() => {
    // Incremental: nothing to do when packages/native's build (cargo build --release) already built it.
    execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'channel-peer', '--manifest-path', path.join(nativeDir, 'Cargo.toml')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 900_000,
    });
  }, 900_000);

  const data = randomBytes(150_000); // three transport messages each way

  for (const pattern of PATTERNS) {
    for (const p of PARAMS) {
      const label = `${pattern} ${p.suite} ${p.cipher}/${p.hash}`;

      it(`TypeScript initiator → clatter responder: ${label}`, async () => {
        const client = staticKey(p.suite, 'clatter-client');
        const peer = startPeer([
          '--listen',
          '127.0.0.1:0',
          ...peerArgs('responder', pattern, p),
          // pqIK / pqXX: the responder pins our static key.
          ...(pattern === 'pqNK' ? [] : ['--remote', `${SUITE_IDS[p.suite]},${hex(client.publicKey)}`]),
        ]);
        const serverKey = Buffer.from((await peer.line('static'))[2]!, 'hex');
        const port = Number((await peer.line('listening'))[1]);
        const socket = net.connect(port, '127.0.0.1');
        sockets.add(socket);
        const ch = await connectChannel(socket, {
          backend,
          pattern,
          suites: [p.suite],
          ciphers: [p.cipher],
          hashes: [p.hash],
          remoteStaticKeys: [{ suite: p.suite, publicKey: serverKey }],
          ...(pattern !== 'pqNK' && { staticKeys: [client] }),
        });
        const [, peerHash, peerSuite] = await peer.line('established');
        expect(peerSuite).toBe(SUITE_IDS[p.suite]);
        expect(hex(ch.info!.handshakeHash)).toBe(peerHash);
        expect(ch.info!.handshakeHash.length).toBe(p.hash === 'SHA256' ? 32 : 64);
        expect(hex(ch.info!.remoteStatic!)).toBe(hex(serverKey));
        const back = await echoRoundTrip(ch, data);
        expect(back.equals(data)).toBe(true);
        await closeBoth(ch);
        expect(await peer.exited).toEqual({ code: 0, stderr: '' });
      });

      it(`clatter initiator → TypeScript responder: ${label}`, async () => {
        const server = staticKey(p.suite, 'ts-server');
        let peer: Peer | undefined;
        const accepted = new Promise<ChannelDuplex>((resolve, reject) => {
          const srv = net.createServer((socket) => {
            sockets.add(socket);
            // pqIK / pqXX: pin the key the peer printed before it connected.
            const pinned = pattern === 'pqNK' ? Promise.resolve(undefined) : peer!.line('static').then((l) => Buffer.from(l[2]!, 'hex'));
            pinned
              .then((clientKey) =>
                acceptChannel(socket, {
                  backend,
                  staticKeys: [server],
                  suites: [p.suite],
                  ciphers: [p.cipher],
                  hashes: [p.hash],
                  ...(clientKey !== undefined && { remoteStaticKeys: [{ suite: p.suite, publicKey: clientKey }] }),
                }),
              )
              .then(resolve, reject);
          });
          servers.add(srv);
          srv.listen(0, '127.0.0.1', () => {
            const port = (srv.address() as AddressInfo).port;
            peer = startPeer([
              '--connect',
              `127.0.0.1:${port}`,
              ...peerArgs('initiator', pattern, p),
              ...(pattern === 'pqXX' ? [] : ['--remote', `${SUITE_IDS[p.suite]},${hex(server.publicKey)}`]),
            ]);
            peer.exited.then(({ code, stderr }) => code !== 0 && reject(new Error(`channel-peer failed (${code}): ${stderr}`)));
          });
        });
        const ch = await accepted;
        const [, peerHash, peerSuite] = await peer!.line('established');
        expect(peerSuite).toBe(SUITE_IDS[p.suite]);
        expect(hex(ch.info!.handshakeHash)).toBe(peerHash);
        if (pattern !== 'pqNK') expect(hex(ch.info!.remoteStatic!)).toBe((await peer!.line('static'))[2]);
        const back = await echoRoundTrip(ch, data);
        expect(back.equals(data)).toBe(true);
        await closeBoth(ch);
        expect(await peer!.exited).toEqual({ code: 0, stderr: '' });
      });
    }
  }

  it('a TypeScript initiator with the wrong server key fails on both sides (clatter: ERR_CHANNEL_HANDSHAKE)', async () => {
    const p: Params = { suite: 'X-Wing', cipher: 'ChaChaPoly', hash: 'SHA256' };
    const peer = startPeer(['--listen', '127.0.0.1:0', ...peerArgs('responder', 'pqNK', p)]);
    const port = Number((await peer.line('listening'))[1]);
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    const attempt = connectChannel(socket, {
      backend,
      pattern: 'pqNK',
      suites: ['X-Wing'],
      remoteStaticKeys: [{ suite: 'X-Wing', publicKey: staticKey('X-Wing', 'someone else').publicKey }],
    });
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_CHANNEL_(HANDSHAKE|TRUNCATED)$/) });
    expect(await peer.exited).toEqual({ code: 1, stderr: 'channel-peer: ERR_CHANNEL_HANDSHAKE\n' });
  });

  it('a clatter offer the TypeScript responder cannot meet is refused (clatter: ERR_CHANNEL_NEGOTIATION)', async () => {
    const server = staticKey('X-Wing', 'ts-server');
    const accepted = new Promise<Error>((resolve) => {
      const srv = net.createServer((socket) => {
        sockets.add(socket);
        acceptChannel(socket, { backend, staticKeys: [server], suites: ['X-Wing'], ciphers: ['ChaChaPoly'], hashes: ['SHA256'] }).then(
          () => resolve(new Error('accepted')),
          resolve,
        );
      });
      servers.add(srv);
      srv.listen(0, '127.0.0.1', () => {
        const port = (srv.address() as AddressInfo).port;
        const peer = startPeer([
          '--connect',
          `127.0.0.1:${port}`,
          ...peerArgs('initiator', 'pqNK', { suite: 'X-Wing', cipher: 'AESGCM', hash: 'SHA512' }),
          '--remote',
          `0x647a,${hex(server.publicKey)}`,
        ]);
        void peer.exited.then((r) => expect(r).toEqual({ code: 1, stderr: 'channel-peer: ERR_CHANNEL_NEGOTIATION\n' }));
      });
    });
    expect(await accepted).toMatchObject({ code: 'ERR_CHANNEL_NEGOTIATION' });
    const [peer] = [...peers];
    expect(await new Promise((resolve) => (peer!.exitCode !== null ? resolve(peer!.exitCode) : peer!.once('exit', resolve)))).toBe(1);
  });
});
