/**
 * The mesh under faults (issue #16, spec/MESH.md §7.4): a 3-server JetStream
 * cluster on 127.0.0.1 (stream and directory with 3 replicas), N node agents
 * as separate processes (the built dist/agent/main.js through
 * chaos-agent.mjs), each with its own file node store and identity, and an
 * issuer publishing M envelopes spread over the nodes (several key names per
 * node, versions increasing). Meanwhile one NATS server (the envelope
 * stream's leader) is killed (SIGKILL)
 * and restarted, agents are SIGKILLed from outside at random moments, and
 * each agent kills itself with some probability right after a commit and
 * before the acknowledgement; every killed agent is restarted.
 *
 * At the end every node's journal (read from disk, not from the agents'
 * reports) must hold each of its envelopes exactly once: none lost, none
 * twice, nothing it was not sent. The test (cluster.test.ts) runs it at CI
 * size; the bench calls runMeshCluster at full size (100 nodes, 10 000
 * envelopes).
 * @module
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePrivateKey, encodePublicKey, getBackend, type BackendName } from '@hybridkem/core';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey, getSignatureBackend } from '@hybridkem/signing';
import { startNatsCluster, type NatsCluster } from '@hybridkem/test-runtimes/nats';
import type { MeshCrypto } from '../../src/crypto.js';
import { createDirectoryRecord } from '../../src/directory/record.js';
import { connectDistribution } from '../../src/distribution/connect.js';
import { ENVELOPE_STREAM } from '../../src/distribution/nats.js';
import type { Distribution } from '../../src/distribution/types.js';
import { decodeKeyEnvelope } from '../../src/envelope/format.js';
import { createIssuer } from '../../src/issuer.js';
import { JOURNAL_FILE } from '../../src/store/file.js';

/**
 * packages/mesh: the nearest folder above this module whose package.json is
 * @hybridkem/mesh's (this file, or a bundle of it the bench writes under
 * packages/mesh/node_modules/.cache).
 */
const PACKAGE = ((): string => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@hybridkem/mesh') return dir;
    if (dirname(dir) === dir) throw new Error('mesh cluster: packages/mesh not found above this module');
  }
})();
const CHAOS_AGENT = join(PACKAGE, 'test', 'support', 'chaos-agent.mjs');

/**
 * The built package, or a failure saying to build first: the agents run
 * runAgentMain from dist/index.js, so a dist older than src would test old code.
 */
export function builtDist(): string {
  const entry = join(PACKAGE, 'dist', 'index.js');
  const build = 'build first: scripts/pnpm --filter @hybridkem/mesh build';
  if (!existsSync(entry)) throw new Error(`mesh cluster: ${entry} is missing; ${build}`);
  const newest = newestMtime(join(PACKAGE, 'src'));
  if (newest.mtimeMs > statSync(entry).mtimeMs) throw new Error(`mesh cluster: ${entry} is older than ${newest.path}; ${build}`);
  return entry;
}

function newestMtime(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    const c = e.isDirectory() ? newestMtime(path) : { path, mtimeMs: statSync(path).mtimeMs };
    if (c.mtimeMs > newest.mtimeMs) newest = c;
  }
  return newest;
}

export interface MeshClusterOptions {
  /** Node agents (processes). */
  nodes: number;
  /** Envelopes issued in all, spread round-robin over the nodes. */
  envelopes: number;
  /** Key names per node (versions increase per key name). Default 3. */
  keyNamesPerNode?: number;
  /** Probability that an agent kills itself right after a commit, before the ack. Default min(0.03, max(20, nodes) / envelopes). */
  selfKillProbability?: number;
  /** External SIGKILLs of random agents during publishing. Default max(2, nodes / 4). */
  externalKills?: number;
  /** Kill the envelope stream's leader (SIGKILL) once a third of the envelopes is published, restart it two seconds later. Default true. */
  killServer?: boolean;
  /** Backend name for the issuer and the agents (default: HYBRIDKEM_BACKEND or auto, i.e. the fastest that loads). */
  backend?: BackendName | 'auto';
  /** Consumer ack wait (ms): how soon an envelope unacknowledged by a killed agent comes again. Default 3000. */
  ackWaitMs?: number;
  /** Give up (fail) when not every envelope is applied after this long (ms). Default 170 000. */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface MeshClusterResult {
  nodes: number;
  envelopes: number;
  /** Envelope lines in the journals, over all nodes (must equal envelopes). */
  applied: number;
  /** Envelopes applied more than once (must be 0). */
  duplicates: number;
  /** Envelopes never applied (must be 0). */
  missing: number;
  /** Journal entries of envelopes not sent to that node (must be 0). */
  unexpected: number;
  /** Envelopes still in the stream at the end, i.e. never acknowledged (must be 0; -1 when no server said). */
  unacknowledged: number;
  /** Deliveries of an envelope already applied, acknowledged without applying again. */
  redeliveries: number;
  /** Refusals other than replay (must be 0: every envelope is genuine and fresh). */
  refused: number;
  /** Publishes JetStream reported as duplicates (a retry after a lost publish ack). */
  publishDuplicates: number;
  agentSelfKills: number;
  agentExternalKills: number;
  /** Agent restarts (after either kind of kill, or a crash). */
  agentRestarts: number;
  /** Agents that exited by themselves other than by the after-commit SIGKILL (must be 0). */
  agentCrashes: number;
  serverKills: number;
  backend: string;
  publishMs: number;
  totalMs: number;
  /** Per node failures (empty when exactly-once held everywhere). */
  failures: string[];
}

interface Agent {
  readonly name: string;
  readonly index: number;
  child: ChildProcess | undefined;
  /** Stopping on purpose (external kill or final stop): do not restart on exit. */
  expectingExit: boolean;
  appliedEvents: number;
  redelivered: number;
  refused: number;
  selfKills: number;
  stderr: string;
  readyAt: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the scenario of the module comment; always stops every process it started. */
export async function runMeshCluster(options: MeshClusterOptions): Promise<MeshClusterResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const N = options.nodes;
  const M = options.envelopes;
  const K = options.keyNamesPerNode ?? 3;
  // About max(20, N) self-kills in all (each costs an agent start, about a CPU second).
  const selfKill = options.selfKillProbability ?? Math.min(0.03, Math.max(20, N) / M);
  const externalKills = options.externalKills ?? Math.max(2, Math.floor(N / 4));
  const ackWaitMs = options.ackWaitMs ?? 3_000;
  const timeoutMs = options.timeoutMs ?? 170_000;
  if (!Number.isInteger(N) || N < 1 || N > 1000 || !Number.isInteger(M) || M < N) throw new RangeError('nodes 1..1000, envelopes ≥ nodes');
  builtDist(); // chaos-agent.mjs imports it; checked here so a stale build fails before anything starts

  const root = mkdtempSync(join(tmpdir(), 'hybridkem-mesh-cluster-'));
  let cluster: NatsCluster | undefined;
  let distribution: Distribution | undefined;
  const agents: Agent[] = [];
  let finishing = false;
  /** Set once the agents are being stopped for good: nothing is (re)started after it. */
  let shuttingDown = false;
  const restarts: Promise<void>[] = [];
  let agentRestarts = 0;
  let agentCrashes = 0;
  let agentExternalKills = 0;
  let serverKills = 0;

  try {
    const backendChoice = options.backend ?? ((process.env.HYBRIDKEM_BACKEND as BackendName | undefined) || 'auto');
    const [backend, signatureBackend] = await Promise.all([getBackend({ backend: backendChoice }), getSignatureBackend({ backend: backendChoice })]);
    const backendName = backend.name;
    const crypto: MeshCrypto = Object.freeze({
      hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
      signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
    });
    const signingPair = () => {
      const kp = crypto.signer.keygen();
      return { publicKey: encodeSigningPublicKey(crypto.signer.suite, kp.publicKey), privateKey: encodeSigningPrivateKey(crypto.signer.suite, kp.privateKey) };
    };
    const anchor = signingPair();
    const issuerKeys = signingPair();
    writeFileSync(join(root, 'anchor.pub'), anchor.publicKey);

    log(`mesh cluster: starting 3 nats-servers (JetStream, replicas 3), ${N} node agents, backend ${backendName}`);
    cluster = await startNatsCluster({ size: 3, storeDir: join(root, 'nats') });
    distribution = await connectDistribution(cluster.url, { nats: { replicas: 3, ackWaitMs, publishRetryMs: 60_000, connectionName: 'hybridkem-issuer' } });
    const now = Date.now();
    await distribution.directory.put(
      'issuer',
      'issuer-1',
      createDirectoryRecord({
        crypto,
        anchorPrivateKey: anchor.privateKey,
        anchorPublicKey: anchor.publicKey,
        role: 'issuer',
        name: 'issuer-1',
        revision: 1,
        issuedAt: now,
        signingPublicKey: issuerKeys.publicKey,
        keyNamePattern: 'svc-*',
      }),
    );
    const kem = crypto.hpke.hpkeKem.kem;
    const nodeKeys: Uint8Array[] = [];
    for (let i = 0; i < N; i++) {
      const name = `node-${i}`;
      const kp = kem.keygen();
      const publicKey = encodePublicKey(kem.suite.id, kp.publicKey);
      const dir = join(root, 'nodes', name);
      mkdirSync(join(dir, 'store'), { recursive: true });
      writeFileSync(join(dir, 'kem.key'), encodePrivateKey(kem.suite.id, kp.privateKey), { mode: 0o600 });
      writeFileSync(join(dir, 'kem.pub'), publicKey);
      nodeKeys.push(publicKey);
      const signing = signingPair();
      await distribution.directory.put(
        'node',
        name,
        createDirectoryRecord({
          crypto,
          anchorPrivateKey: anchor.privateKey,
          anchorPublicKey: anchor.publicKey,
          role: 'node',
          name,
          revision: 1,
          issuedAt: now,
          kemPublicKey: publicKey,
          signingPublicKey: signing.publicKey,
        }),
      );
      agents.push({ name, index: i, child: undefined, expectingExit: false, appliedEvents: 0, redelivered: 0, refused: 0, selfKills: 0, stderr: '', readyAt: 0 });
    }

    const launch = (a: Agent): void => {
      if (shuttingDown) return;
      const dir = join(root, 'nodes', a.name);
      const child = spawnProcess(
        process.execPath,
        [
          CHAOS_AGENT,
          ...['--url', cluster!.url, '--node', a.name, '--store', join(dir, 'store')],
          ...['--kem-private-key', join(dir, 'kem.key'), '--kem-public-key', join(dir, 'kem.pub'), '--anchor', join(root, 'anchor.pub')],
          ...['--backend', backendName, '--replicas', '3', '--ack-wait-ms', String(ackWaitMs), '--compact-bytes', String(1 << 30)],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HYBRIDKEM_MESH_TEST_KILL_AFTER_COMMIT: String(finishing ? 0 : selfKill) } },
      );
      a.child = child;
      a.expectingExit = false;
      let buffered = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        buffered += d;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          let ev: { event?: string };
          try {
            ev = JSON.parse(line) as { event?: string };
          } catch {
            continue;
          }
          if (ev.event === 'applied') a.appliedEvents++;
          else if (ev.event === 'redelivered') a.redelivered++;
          else if (ev.event === 'refused') a.refused++;
          else if (ev.event === 'self-kill') a.selfKills++;
          else if (ev.event === 'ready') a.readyAt = Date.now();
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (a.stderr = (a.stderr + d).slice(-8_000)));
      child.once('exit', (code, signal) => {
        if (a.child !== child) return;
        a.child = undefined;
        if (a.expectingExit) return;
        if (signal !== 'SIGKILL') {
          agentCrashes++;
          log(`mesh cluster: ${a.name} exited (${code ?? signal}): ${a.stderr.slice(-3_000)}`);
        }
        // Killed (by itself after a commit) or crashed: restart, as a supervisor would.
        agentRestarts++;
        restarts.push(stopProcess(child, 0).then(() => launch(a)));
      });
    };
    for (const a of agents) launch(a);

    // The issuer: M envelopes, node i % N, key name svc-<k> with k cycling, versions
    // increasing per (node, key name). One lane per node keeps each node's
    // envelopes in version order on its subject; lanes run side by side.
    const issuer = createIssuer({ crypto, signingPrivateKey: issuerKeys.privateKey, signingPublicKey: issuerKeys.publicKey });
    const expected: Set<string>[] = agents.map(() => new Set());
    const lanes: Array<Array<{ keyName: string; version: number }>> = agents.map(() => []);
    for (let i = 0; i < M; i++) {
      const node = i % N;
      const round = Math.floor(i / N);
      lanes[node]!.push({ keyName: `svc-${round % K}`, version: Math.floor(round / K) + 1 });
    }
    let published = 0;
    let publishDuplicates = 0;
    const publishStart = Date.now();
    const serverKill = (async () => {
      if (options.killServer === false) return;
      while (published < M / 3) await sleep(20);
      // The envelope stream's leader: the server whose loss forces a new
      // election of the stream and of the consumers it leads.
      const leader = await streamLeader(cluster!);
      const victim = leader ?? Math.floor(Math.random() * 3);
      log(`mesh cluster: SIGKILL nats-server ${victim}${leader === undefined ? '' : ' (the envelope stream leader)'} after ${published} envelopes`);
      await cluster!.kill(victim);
      serverKills++;
      await sleep(2_000);
      await cluster!.restart(victim);
      log(`mesh cluster: nats-server ${victim} restarted`);
    })();
    const chaos = (async () => {
      for (let k = 0; k < externalKills; k++) {
        await sleep(200 + Math.random() * ((M / N) * 40));
        if (finishing) return;
        const a = agents[Math.floor(Math.random() * N)]!;
        if (a.child === undefined) continue;
        a.expectingExit = true;
        const child = a.child;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        await stopProcess(child, 0);
        agentExternalKills++;
        await sleep(Math.random() * 500);
        agentRestarts++;
        launch(a);
      }
    })();
    const lane = async (node: number): Promise<void> => {
      for (const { keyName, version } of lanes[node]!) {
        const key = new Uint8Array(32).fill(version & 0xff);
        const e = await issuer.issue({ recipientKemPublicKey: nodeKeys[node]!, keyName, version, key });
        expected[node]!.add(e.envelopeId);
        const ack = await distribution!.publish(agents[node]!.name, e.bytes, e.envelopeId);
        if (ack.duplicate) publishDuplicates++;
        published++;
      }
    };
    // At most 8 lanes at once: the issuer's signing shares the 2 cores with the agents.
    const queue = agents.map((a) => a.index);
    await Promise.all(Array.from({ length: Math.min(8, N) }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) await lane(n);
    }));
    const publishMs = Date.now() - publishStart;
    log(`mesh cluster: ${M} envelopes published in ${publishMs} ms`);
    await serverKill;
    await chaos;
    finishing = true;

    // Wait until every node's journal holds all its envelopes (or time runs out).
    const deadline = started + timeoutMs;
    let counts = readJournals(root, agents, expected);
    while (counts.appliedDistinct < M && Date.now() < deadline) {
      await sleep(500);
      counts = readJournals(root, agents, expected);
    }
    // Then until the stream is empty: a work-queue stream drops an envelope
    // when it is acknowledged, so this waits for the redeliveries of the
    // last envelopes committed by agents killed before their ack.
    let left = await streamMessages(cluster);
    while (left !== 0 && Date.now() < deadline) {
      await sleep(500);
      left = await streamMessages(cluster);
    }
    shuttingDown = true;
    await Promise.all(restarts);
    // Stop the agents cleanly, then count from the journals as they were left.
    await Promise.all(
      agents.map(async (a) => {
        if (a.child === undefined) return;
        a.expectingExit = true;
        await stopProcess(a.child, 10_000);
      }),
    );
    counts = readJournals(root, agents, expected);
    const failures = [...counts.failures];
    for (const a of agents) if (a.refused > 0) failures.push(`${a.name}: ${a.refused} refusals (see its stderr: ${a.stderr.slice(-500)})`);
    const result: MeshClusterResult = {
      nodes: N,
      envelopes: M,
      applied: counts.lines,
      duplicates: counts.duplicates,
      missing: counts.missing,
      unexpected: counts.unexpected,
      unacknowledged: left ?? -1,
      redeliveries: agents.reduce((s, a) => s + a.redelivered, 0),
      refused: agents.reduce((s, a) => s + a.refused, 0),
      publishDuplicates,
      agentSelfKills: agents.reduce((s, a) => s + a.selfKills, 0),
      agentExternalKills,
      agentRestarts,
      agentCrashes,
      serverKills,
      backend: backendName,
      publishMs,
      totalMs: Date.now() - started,
      failures,
    };
    return result;
  } finally {
    finishing = true;
    shuttingDown = true;
    for (const a of agents) a.expectingExit = true;
    await Promise.allSettled(restarts);
    await Promise.all(agents.map((a) => (a.child ? stopProcess(a.child, 5_000) : undefined)));
    await distribution?.close().catch(() => undefined);
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Messages in the envelope stream, as the servers that hold it report (the highest), or undefined. */
async function streamMessages(cluster: NatsCluster): Promise<number | undefined> {
  let most: number | undefined;
  for (const [i, server] of cluster.servers.entries()) {
    if (!cluster.running(i)) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${server.monitorPort}/jsz?streams=true`, { signal: AbortSignal.timeout(2_000) });
      const jsz = (await res.json()) as { account_details?: Array<{ stream_detail?: Array<{ name: string; state?: { messages?: number } }> }> };
      const n = (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? []).find((x) => x.name === ENVELOPE_STREAM)?.state?.messages;
      if (typeof n === 'number') most = Math.max(most ?? 0, n);
    } catch {
      // not answering: ask the others
    }
  }
  return most;
}

/** The index of the server leading the envelope stream, from the monitoring port, if known. */
async function streamLeader(cluster: NatsCluster): Promise<number | undefined> {
  for (const server of cluster.servers) {
    try {
      const res = await fetch(`http://127.0.0.1:${server.monitorPort}/jsz?streams=true`, { signal: AbortSignal.timeout(2_000) });
      const jsz = (await res.json()) as { account_details?: Array<{ stream_detail?: Array<{ name: string; cluster?: { leader?: string } }> }> };
      const stream = (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? []).find((x) => x.name === ENVELOPE_STREAM);
      const i = cluster.servers.findIndex((x) => x.name === stream?.cluster?.leader);
      if (i >= 0) return i;
    } catch {
      // try the next server
    }
  }
  return undefined;
}

/**
 * Reads every node's journal from disk: each `apply` line's envelope id
 * (decoded from the envelope bytes), checked against what was sent to that
 * node. A torn last line (no newline: a kill during the write) is not an
 * application.
 */
function readJournals(root: string, agents: readonly Agent[], expected: readonly Set<string>[]) {
  let lines = 0;
  let duplicates = 0;
  let missing = 0;
  let unexpected = 0;
  let appliedDistinct = 0;
  const failures: string[] = [];
  for (const a of agents) {
    const file = join(root, 'nodes', a.name, 'store', JOURNAL_FILE);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    const seen = new Map<string, number>();
    for (const line of complete.split('\n')) {
      if (line === '') continue;
      const o = JSON.parse(line) as { op: string; env?: string };
      if (o.op !== 'apply') continue;
      const id = decodeKeyEnvelope(new Uint8Array(Buffer.from(o.env!, 'base64'))).envelopeId;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      lines++;
    }
    const want = expected[a.index]!;
    let nodeDup = 0;
    let nodeUnexpected = 0;
    for (const [id, n] of seen) {
      if (n > 1) nodeDup += n - 1;
      if (!want.has(id)) nodeUnexpected++;
    }
    let nodeMissing = 0;
    for (const id of want) if (!seen.has(id)) nodeMissing++;
    appliedDistinct += seen.size - nodeUnexpected;
    duplicates += nodeDup;
    missing += nodeMissing;
    unexpected += nodeUnexpected;
    if (nodeDup || nodeMissing || nodeUnexpected) {
      failures.push(`${a.name}: ${seen.size} applied of ${want.size} sent, ${nodeDup} twice, ${nodeMissing} missing, ${nodeUnexpected} not sent to it${a.stderr ? `; stderr: ${a.stderr.slice(-500)}` : ''}`);
    }
  }
  return { lines, duplicates, missing, unexpected, appliedDistinct, failures };
}

/** One line of counts, as the test and the bench print it. */
export function formatClusterResult(r: MeshClusterResult): string {
  return (
    `mesh cluster: ${r.nodes} nodes, ${r.envelopes} envelopes, backend ${r.backend}: applied ${r.applied} (duplicates ${r.duplicates}, missing ${r.missing}, unexpected ${r.unexpected}), ` +
    `unacknowledged ${r.unacknowledged}, redeliveries ${r.redeliveries}, refused ${r.refused}, publish duplicates ${r.publishDuplicates}, ` +
    `agent kills ${r.agentSelfKills} after commit + ${r.agentExternalKills} external (restarts ${r.agentRestarts}, crashes ${r.agentCrashes}), nats-server kills ${r.serverKills}; ` +
    `published in ${(r.publishMs / 1000).toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s`
  );
}
