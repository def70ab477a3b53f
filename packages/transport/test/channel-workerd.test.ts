/**
 * The channel between a workerd worker and Node: the worker
 * (test/fixtures/channel-workerd/worker.ts, bundled as wrangler would with
 * the `workerd` condition, so @hybridkem/wasm's .wasm is a module of the
 * worker) answers a WebSocket upgrade with a WebSocketPair and runs the
 * responder on its end, with the X-Wing static key of its text bindings; a
 * Node `ws` client here runs the initiator on @hybridkem/noble with
 * node:crypto's AEAD and hash (the worker's build uses @noble's). Direction:
 * the worker is the responder, as a worker is a server. Asserted: the
 * worker's greeting (its backend, pattern, suite, handshake hash, the
 * client key it learned), the echo of what Node sent, the same handshake
 * hash on both sides and a clean close; a client holding the wrong server
 * key is refused at the handshake. workerd (its whole process group) is
 * stopped in afterAll whatever happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, createKem, getSuite } from '@hybridkem/core';
import { stopProcess } from '@hybridkem/core/testing';
import { backend } from '@hybridkem/noble';
import { assertUsable, devBinary, shouldRun } from '@hybridkem/test-runtimes/runtime';
import { bundleWorker, startWorkerd, waitUntilServing, type Workerd } from '@hybridkem/test-runtimes/workerd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nodeCrypto } from '../src/channel/noise/crypto-node.js';
import type { CipherName, HashName, PatternName } from '../src/channel/noise/index.js';
import { connectWebSocket } from '../src/channel/websocket.js';
import { assertChannelBuilt, packageRoot, serverKey, type ServerKey } from './fixtures/channel-runtimes/node-side.js';
import { initiatorMessages, initiatorBytes, readAll, splitGreeting } from './fixtures/channel-runtimes/protocol.js';

const TIMEOUT_MS = 60_000;
const runtime = devBinary(packageRoot, 'workerd');

describe.runIf(shouldRun(runtime, { what: 'channel in workerd' }))('channel: workerd worker ↔ Node over WebSocket', () => {
  let dir = '';
  let workerd: Workerd | undefined;
  let key: ServerKey;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    assertUsable(runtime);
    assertChannelBuilt();
    key = serverKey(backend);
    dir = mkdtempSync(join(tmpdir(), 'hybridkem-channel-workerd-'));
    const bundle = await bundleWorker(join(packageRoot, 'test/fixtures/channel-workerd/worker.ts'), dir);
    // The workerd entry of @hybridkem/wasm imports its .wasm as a module (workerd compiles no bytes at run time).
    expect(bundle.wasm).toEqual(['hybridkem.wasm']);
    workerd = await startWorkerd(runtime.path, bundle, dir, {
      bindings: { SERVER_PUBLIC_KEY: bytesToHex(key.publicKey), SERVER_PRIVATE_KEY: bytesToHex(key.privateKey) },
    });
    await waitUntilServing(workerd);
  }, 150_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    if (workerd) await stopProcess(workerd.child, 10_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** A `ws` client to the worker, with its close code once closed. */
  function open(): { ws: WebSocket; closed: Promise<number> } {
    const ws = new WebSocket(workerd!.origin.replace('http:', 'ws:'));
    sockets.push(ws);
    ws.on('error', () => undefined); // the channel reports failures; a socket error must not crash the run
    return { ws, closed: new Promise((resolve) => ws.once('close', resolve)) };
  }

  // Each pattern; AES-256-GCM and SHA-512 once.
  const cases: { pattern: PatternName; cipher: CipherName; hash: HashName }[] = [
    ...(['pqNK', 'pqIK', 'pqXX'] as const).map((pattern) => ({ pattern, cipher: 'ChaChaPoly' as const, hash: 'SHA256' as const })),
    { pattern: 'pqXX', cipher: 'AESGCM', hash: 'SHA512' },
  ];
  for (const { pattern, cipher, hash } of cases) {
    it(`${pattern} ${cipher} ${hash}: Node (noble) ↔ worker (wasm): greeting, 70 KB echoed, same handshake hash, clean close`, async () => {
      const suite = getSuite('X-Wing');
      const local = pattern === 'pqNK' ? undefined : createKem(suite, backend).keygen(new Uint8Array(suite.lengths.seed).map((_, i) => i + 1));
      const { ws, closed } = open();
      const channel = await connectWebSocket(ws as never, {
        backend,
        pattern,
        suites: ['X-Wing'],
        ciphers: [cipher],
        hashes: [hash],
        // OpenSSL's AEAD and hash here, @noble's in the worker's build: the two must agree.
        crypto: nodeCrypto,
        // pqNK and pqIK know the worker's key in advance; pqXX learns it (checked below).
        ...(pattern === 'pqXX' ? {} : { remoteStaticKeys: [{ suite: 'X-Wing', publicKey: key.publicKey }] }),
        ...(local === undefined ? {} : { staticKeys: [{ suite: 'X-Wing', ...local }] }),
      });
      const received = readAll(channel.readable);
      const writer = channel.writable.getWriter();
      for (const m of initiatorMessages()) await writer.write(m);
      await writer.close();
      const { greeting, echo } = splitGreeting(await received);
      const log = `workerd log:\n${workerd!.log().slice(-4000)}`;
      expect(Buffer.from(echo).equals(Buffer.from(initiatorBytes())), log).toBe(true);
      expect(greeting, log).toMatchObject({ backend: 'wasm', pattern, suite: 'X-Wing', cipher, hash });
      expect(greeting.handshakeHash).toBe(bytesToHex(channel.info.handshakeHash));
      expect(channel.info.pattern).toBe(pattern);
      expect(bytesToHex(channel.info.remoteStatic!)).toBe(bytesToHex(key.publicKey));
      expect(greeting.remoteStatic).toBe(local === undefined ? '' : bytesToHex(local.publicKey));
      expect(await closed).toBe(1000);
    }, TIMEOUT_MS);
  }

  it('pqNK to a server key that is not the worker’s: the handshake fails and no data arrives', async () => {
    const { ws, closed } = open();
    const failure = connectWebSocket(ws as never, { backend, pattern: 'pqNK', suites: ['X-Wing'], remoteStaticKeys: [{ suite: 'X-Wing', publicKey: serverKey(backend).publicKey }] });
    await expect(failure).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_CHANNEL_(TRUNCATED|HANDSHAKE)$/) });
    // The worker failed the handshake: it closed the WebSocket with 4000 (spec/TRANSPORT.md §6.8).
    expect(await closed).toBe(4000);
    await new Promise((r) => setTimeout(r, 100)); // the worker's console.error reaches the log
    expect(workerd!.log()).toMatch(/channel responder failed: ERR_CHANNEL_HANDSHAKE/);
  }, TIMEOUT_MS);
});
