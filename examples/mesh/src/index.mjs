/**
 * hybridkem mesh demo: an issuer hands a service key to three nodes as
 * signed, sealed key envelopes (spec/MESH.md), on one machine, with the
 * in-process distribution (no server).
 *
 *   1. A trust anchor signs a directory record for the issuer (allowed to
 *      issue "svc-*" keys) and one for each node (its KEM and signing public
 *      keys). Each node knows only the anchor's public key and verifies every
 *      record itself, so whoever can write to the directory cannot swap a key.
 *   2. The issuer seals key "svc-db" (version 1) to each node's KEM key and
 *      signs the envelope; each node agent opens it, commits it to its file
 *      node store, applies it and acknowledges it.
 *   3. A rotation: version 2 of the key, published and applied the same way.
 *   4. An attacker with write access to the distribution publishes again an
 *      envelope already applied (refused: replay) and one with a flipped
 *      byte (refused: bad-signature). Neither is applied.
 *
 *   node src/index.mjs                      the demo (`pnpm demo:mesh` at the repo root)
 *   node src/index.mjs --audit-log FILE     also writes the audit log to FILE and verifies it at the end
 *   node src/index.mjs --check              the demo, quiet, failing unless every outcome is the expected one (CI)
 *
 * It never prints a key: only key ids, envelope ids and fingerprints
 * (SHA-256 of the key, first 8 bytes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bytesToHex } from '@hybridkem/core';
import {
  createDirectoryRecord,
  createIssuer,
  createMeshMetrics,
  createMemoryDistribution,
  createReceiver,
  openAuditLog,
  openFileNodeStore,
  startNodeAgent,
  TrustedDirectory,
  verifyAuditLog,
} from '@hybridkem/mesh';
import { signatureBackend } from '@hybridkem/noble';
import { sha256 } from '@noble/hashes/sha2.js';
import { crypto, demoOptions, kemKeyPair, signingKeyPair } from './common.mjs';

const { options, check, log } = demoOptions('demo:mesh', { 'audit-log': { type: 'string' } }, 'Usage: pnpm demo:mesh [-- --audit-log FILE] [-- --check]');

const NODES = ['node-a', 'node-b', 'node-c'];
const KEY_NAME = 'svc-db';
const ISSUER_PATTERN = 'svc-*';

/** A key's fingerprint for display: the first 8 bytes of its SHA-256. */
const fingerprint = (key) => bytesToHex(sha256(key).subarray(0, 8));

/** Waits until `done()` holds, for at most `ms`. */
async function until(done, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A node: its keys, its file node store, and the mesh's node agent
 * (startNodeAgent: verifies the directory records it sees against the
 * anchor, takes its envelopes one at a time, has the receiver check, open
 * and commit each one — spec/MESH.md §4 — then applies and acknowledges it).
 */
async function startAgent({ name, distribution, anchorPublicKey, storeDir, audit, metrics }) {
  const kem = kemKeyPair();
  const signing = signingKeyPair();
  const directory = new TrustedDirectory({ crypto, anchorPublicKey });
  const store = await openFileNodeStore(storeDir);
  const receiver = createReceiver({ crypto, kemPrivateKey: kem.privateKey, kemPublicKey: kem.publicKey, directory, store, metrics, audit });
  kem.privateKey.fill(0); // the receiver keeps its own copy
  const node = { name, kem, signing, store, directory, applied: [], refused: [], rejectedRecords: [], keys: new Map() };

  const agent = await startNodeAgent({
    distribution,
    receiver,
    directory,
    nodeName: name,
    /** "Applies" a key: a real node hands it to its service; the demo keeps its fingerprint. The agent wipes the key afterwards. */
    async onApply(envelope) {
      node.applied.push({ envelopeId: envelope.envelopeId, keyName: envelope.keyName, version: envelope.version });
      const previous = node.keys.get(envelope.keyName);
      node.keys.set(envelope.keyName, { version: envelope.version, fingerprint: fingerprint(envelope.key) });
      if (previous !== undefined) {
        await audit?.append('rotate', { node: name, keyName: envelope.keyName, from: previous.version, to: envelope.version, envelopeId: envelope.envelopeId });
      }
    },
    // An envelope this node applied before (refused as replay): acknowledged, not applied again.
    onRedelivered: (error) => node.refused.push({ reason: error.reason, message: error.message, envelopeId: error.envelope.envelopeId }),
    // Any other refusal: terminated, never delivered again.
    onRefuse: (error) => node.refused.push({ reason: error.reason, message: error.message, verdicts: error.verdicts, envelopeId: error.envelope.envelopeId }),
    onDirectoryRefused: (error) => node.rejectedRecords.push(error.message),
  });
  node.stop = async () => {
    await agent.stop();
    await store.close();
  };
  return node;
}

const failures = [];
function expect(condition, what) {
  if (!condition) failures.push(what);
}

const work = await mkdtemp(join(tmpdir(), 'hybridkem-mesh-demo-'));
// pnpm runs the script in examples/mesh; a relative FILE is the caller's, from where pnpm was started (INIT_CWD).
const auditPath = options['audit-log'] !== undefined ? resolve(process.env.INIT_CWD ?? process.cwd(), options['audit-log']) : check ? join(work, 'audit.log') : undefined;
const agents = [];
let distribution;
let audit;
try {
  const metrics = createMeshMetrics();
  const auditor = signingKeyPair();
  audit = auditPath === undefined ? undefined : await openAuditLog(auditPath, { signer: crypto.signer, ...prefix(auditor) });
  distribution = createMemoryDistribution();

  log('hybridkem mesh demo: X-Wing + AES-128-GCM envelopes, MLDSA65-Ed25519-SHA512 signatures, in-process distribution');
  log(`node stores in ${work}`);
  log();

  // 1. The trust anchor and the issuer; the nodes start their agents (each makes its own keys).
  const anchor = signingKeyPair();
  const issuerKeys = signingKeyPair();
  for (const name of NODES) {
    agents.push(await startAgent({ name, distribution, anchorPublicKey: anchor.publicKey, storeDir: join(work, name), audit, metrics }));
  }
  const enroll = async (role, name, fields) => {
    const record = createDirectoryRecord({
      crypto,
      anchorPrivateKey: anchor.privateKey,
      anchorPublicKey: anchor.publicKey,
      role,
      name,
      revision: 1,
      issuedAt: Date.now(),
      ...fields,
    });
    await distribution.directory.put(role, name, record);
    await audit?.append('directory', { role, name, revision: 1, bytes: record.length });
    return record;
  };
  await enroll('issuer', 'issuer-1', { signingPublicKey: issuerKeys.publicKey, keyNamePattern: ISSUER_PATTERN });
  for (const a of agents) await enroll('node', a.name, { kemPublicKey: a.kem.publicKey, signingPublicKey: a.signing.publicKey });
  await until(() => agents.every((a) => a.directory.records().length === NODES.length + 1), 'the directory to reach every node');
  log(`1. enrolled (anchor-signed directory records): issuer-1 may issue "${ISSUER_PATTERN}"; nodes ${NODES.join(', ')}`);
  for (const a of agents) expect(a.rejectedRecords.length === 0, `${a.name} rejected a directory record: ${a.rejectedRecords[0]}`);

  // The issuer reads the nodes' KEM keys from the directory, verified against the anchor like any node does.
  const issuerView = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
  for (const entry of await distribution.directory.list()) issuerView.add(entry.bytes);
  const issuer = createIssuer({ crypto, signingPrivateKey: issuerKeys.privateKey, signingPublicKey: issuerKeys.publicKey, metrics, audit });

  const published = [];
  async function publishKey(version, key) {
    const out = [];
    for (const name of NODES) {
      const record = issuerView.node(name);
      const envelope = await issuer.issue({ recipientKemPublicKey: record.kemPublicKey, keyName: KEY_NAME, version, key });
      await distribution.publish(name, envelope.bytes, envelope.envelopeId);
      out.push({ node: name, ...envelope });
    }
    published.push(...out);
    return out;
  }

  // 2. Version 1 to every node.
  const keyV1 = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const fpV1 = fingerprint(keyV1);
  const v1 = await publishKey(1, keyV1);
  keyV1.fill(0);
  await until(() => agents.every((a) => a.applied.length >= 1), 'version 1 to be applied');
  log(`2. published ${KEY_NAME} v1 (fingerprint ${fpV1}) to ${NODES.length} nodes:`);
  for (const a of agents) {
    const k = a.keys.get(KEY_NAME);
    log(`   ${a.name}: applied v${k?.version} fingerprint ${k?.fingerprint}, envelope ${a.applied[0]?.envelopeId}`);
    expect(k?.version === 1 && k.fingerprint === fpV1, `${a.name} did not apply v1`);
  }

  // 3. Rotation to version 2.
  const keyV2 = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const fpV2 = fingerprint(keyV2);
  await publishKey(2, keyV2);
  keyV2.fill(0);
  await until(() => agents.every((a) => a.applied.length >= 2), 'version 2 to be applied');
  log(`3. rotated ${KEY_NAME} to v2 (fingerprint ${fpV2}):`);
  for (const a of agents) {
    const k = a.keys.get(KEY_NAME);
    log(`   ${a.name}: applied v${k?.version} fingerprint ${k?.fingerprint}`);
    expect(k?.version === 2 && k.fingerprint === fpV2, `${a.name} did not apply v2`);
  }

  // 4. Attacks through the distribution. A replay: node-a's v1 envelope published again under
  // another message id (the distribution's deduplication does not stop someone who picks a new
  // one). A tampered envelope: a fresh v3 for node-b with one byte of its sealed payload flipped.
  const attacker = globalThis.crypto.getRandomValues(new Uint8Array(16));
  await distribution.publish('node-a', v1[0].bytes, bytesToHex(attacker));
  const keyV3 = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const v3 = await issuer.issue({ recipientKemPublicKey: issuerView.node('node-b').kemPublicKey, keyName: KEY_NAME, version: 3, key: keyV3 });
  keyV3.fill(0);
  const tampered = v3.bytes.slice();
  tampered[120] ^= 0x01; // inside the sealed payload (it starts at 81 + the key name's length)
  await distribution.publish('node-b', tampered, v3.envelopeId);
  await until(() => agents[0].refused.length >= 1 && agents[1].refused.length >= 1, 'the attacks to be refused');
  log('4. attacks through the distribution:');
  const replay = agents[0].refused[0];
  const bad = agents[1].refused[0];
  log(`   replayed v1 envelope to node-a: refused, ${replay.reason} (${replay.message}); acknowledged, not applied again`);
  const verdicts = bad.verdicts ? `; ML-DSA ${bad.verdicts.mldsa.valid ? 'valid' : 'invalid'}, Ed25519 ${bad.verdicts.eddsa.valid ? 'valid' : 'invalid'}` : '';
  log(`   tampered envelope to node-b: refused, ${bad.reason}${verdicts}`);
  expect(replay.reason === 'replay', `the replay was not refused as replay: ${replay.reason}`);
  expect(bad.reason === 'bad-signature', `the tampered envelope was not refused as bad-signature: ${bad.reason}`);
  expect(bad.verdicts?.mldsa.valid === false && bad.verdicts?.eddsa.valid === false, 'both signature components should fail on a flipped payload byte');
  for (const a of agents) {
    expect(a.keys.get(KEY_NAME)?.version === 2, `${a.name} does not hold v2 after the attacks`);
    expect(a.applied.length === 2, `${a.name} applied ${a.applied.length} envelopes, expected 2`);
    expect(a.store.latestVersion(KEY_NAME) === 2, `${a.name}'s store holds version ${a.store.latestVersion(KEY_NAME)}`);
  }

  // Summary, from the metrics every issuer and receiver counted into.
  const counts = {};
  for (const m of (await metrics.registry.getMetricsAsJSON())) {
    for (const v of m.values) {
      if (v.value === 0 || m.type === 'histogram') continue;
      counts[v.labels.reason ? `${m.name}{reason="${v.labels.reason}"}` : m.name] = v.value;
    }
  }
  log();
  log('summary:');
  log(`   envelopes issued ${published.length + 1}, applied ${agents.reduce((n, a) => n + a.applied.length, 0)}, refused ${agents.reduce((n, a) => n + a.refused.length, 0)}`);
  for (const [name, value] of Object.entries(counts)) log(`   ${name} ${value}`);
  for (const a of agents) log(`   ${a.name}: node store holds ${KEY_NAME} v${a.store.latestVersion(KEY_NAME)} (sealed: no plaintext key at rest)`);
  expect(published.length === 6, 'six envelopes published');

  for (const a of agents) await a.stop();
  agents.length = 0;
  await distribution.close();
  distribution = undefined;

  if (audit) {
    const head = await audit.close();
    audit = undefined;
    const result = await verifyAuditLog(auditPath, { signingPublicKeys: [auditor.publicKey], backend: signatureBackend });
    log();
    if (result.ok) {
      log(`audit log ${auditPath}: verified, ${result.entries} entries (${result.checkpoints} checkpoints), head ${result.head.count}:${result.head.hash}`);
    } else {
      log(`audit log ${auditPath}: does NOT verify: ${result.message}`);
    }
    expect(result.ok, `the audit log does not verify: ${result.message}`);
    expect(result.ok && result.head.count === head.count && result.head.hash === head.hash, 'the verified head is the writer\'s');
    // 6 issue + 1 issue (tampered v3) + 6 deliver + 3 rotate + 2 refuse + 4 directory, and checkpoints.
    expect(result.ok && result.entries - result.checkpoints === 22, `the audit log holds ${result.ok ? result.entries - result.checkpoints : '?'} events, expected 22`);
  }
} catch (error) {
  failures.push(`demo failed: ${error?.message ?? error}`);
} finally {
  for (const a of agents) await a.stop().catch(() => {});
  await distribution?.close().catch(() => {});
  await audit?.close().catch(() => {});
  await rm(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  for (const f of failures) console.error(`demo:mesh: FAIL: ${f}`);
  process.exit(1);
}
if (check) console.log('demo:mesh --check: 3 nodes, v1 and v2 applied once each, replay and tampering refused');

/** The audit writer's keys under openAuditLog's option names. */
function prefix(keys) {
  return { signingPrivateKey: keys.privateKey, signingPublicKey: keys.publicKey };
}
