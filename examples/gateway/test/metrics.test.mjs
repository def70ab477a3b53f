// Every metric a dashboard panel queries is one the software really exports:
// the gateway example after hybrid, classical and refused connections, and a
// small in-process mesh run (issuer, memory distribution, one node agent)
// with the mesh's metrics registry plus the WireGuard metrics table on it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import tls from 'node:tls';
import { encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import {
  createDirectoryRecord,
  createIssuer,
  createMemoryDistribution,
  createMeshMetrics,
  createReceiver,
  createWgMetrics,
  openFileNodeStore,
  startNodeAgent,
  TrustedDirectory,
} from '@hybridkem/mesh';
import { backend, signatureBackend } from '@hybridkem/noble';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } from '@hybridkem/signing';
import { startGateway } from '../src/gateway.mjs';
import { dashboardExprs, exposedNames, metricNames } from './support.mjs';

const dashboard = async (name) => JSON.parse(await readFile(new URL(`../grafana/${name}`, import.meta.url), 'utf8'));
const cleanup = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** One TLS connection through the gateway: GET /v1/public-key; resolves with the raw HTTP response. */
function tlsRequest(url, options) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks = [];
    // The example's certificate is self-signed: this test checks key exchange, not the PKI.
    const socket = tls.connect({ host: hostname, port: Number(port), servername: 'localhost', rejectUnauthorized: false, ...options }, () => {
      socket.write('GET /v1/public-key HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('TLS request timed out')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

/** Plain bytes that are not TLS: the gateway refuses the connection (not_tls). */
function notTls(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write('GET / HTTP/1.1\r\n\r\n'));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', resolve);
    socket.on('error', () => {});
    socket.resume();
  });
}

/** The value of one exposed series line, e.g. `name{a="b"}`. */
function sample(text, series) {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('the gateway dashboard queries only metrics the gateway exports', async () => {
  const g = await startGateway({ port: 0, metricsPort: 0 });
  cleanup.push(() => g.close());

  // A hybrid handshake (Node 24's OpenSSL offers X25519MLKEM768 when asked), a classical one, a refused one.
  const hybrid = await tlsRequest(g.url, { ecdhCurve: 'X25519MLKEM768' });
  assert.match(hybrid, /^HTTP\/1\.1 200 /);
  // Through the gateway the service answers with its key id, as read from the service directly.
  assert.match(hybrid, new RegExp(`\\r\\nx-hybridkem-key-id: ${g.keyId}\\r\\n`, 'i'));
  assert.match(await tlsRequest(g.url, { ecdhCurve: 'X25519' }), /^HTTP\/1\.1 200 /);
  await notTls(g.url);

  const response = await fetch(g.metricsUrl, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200);
  const text = await response.text();
  const policy = 'hybrid-with-classical-fallback';
  assert.equal(sample(text, `hybridkem_gateway_handshakes_total{policy="${policy}",group="X25519MLKEM768",result="accepted"}`), 1);
  assert.equal(sample(text, `hybridkem_gateway_handshakes_total{policy="${policy}",group="X25519",result="accepted"}`), 1);
  assert.equal(sample(text, `hybridkem_gateway_fallbacks_total{policy="${policy}",group="X25519"}`), 1);
  assert.equal(sample(text, `hybridkem_gateway_refusals_total{policy="${policy}",reason="not_tls"}`), 1);

  const exposed = exposedNames(text);
  // The check can fail: a misspelled metric (singular "handshake") is not in the scrape.
  assert.ok(!exposed.has('hybridkem_gateway_handshake_total'));
  const exprs = dashboardExprs(await dashboard('hybridkem-gateway.json'));
  assert.ok(exprs.length >= 6);
  const queried = new Set();
  for (const { panel, expr } of exprs) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `panel "${panel}": no metric in ${expr}`);
    for (const name of names) {
      assert.ok(exposed.has(name), `panel "${panel}" queries ${name}, which the gateway does not export`);
      queried.add(name);
    }
  }
  // The panels the issue asks for: handshakes, fallbacks, refusals, latency histogram, active connections.
  for (const name of ['hybridkem_gateway_handshakes_total', 'hybridkem_gateway_fallbacks_total', 'hybridkem_gateway_refusals_total',
    'hybridkem_gateway_handshake_duration_seconds_bucket', 'hybridkem_gateway_active_connections']) {
    assert.ok(queried.has(name), `no panel queries ${name}`);
  }
});

test('the mesh dashboard queries only metrics a mesh node exports', async () => {
  const crypto = {
    hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
    signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
  };
  const signingPair = () => {
    const kp = crypto.signer.keygen();
    return { publicKey: encodeSigningPublicKey(crypto.signer.suite, kp.publicKey), privateKey: encodeSigningPrivateKey(crypto.signer.suite, kp.privateKey) };
  };
  const kem = crypto.hpke.hpkeKem.kem;
  const kemKp = kem.keygen();
  const nodeKem = { publicKey: encodePublicKey(kem.suite.id, kemKp.publicKey), privateKey: encodePrivateKey(kem.suite.id, kemKp.privateKey) };

  // One registry with the envelope metrics (what `hybridkem mesh agent --metrics` serves) and the
  // WireGuard table (createWgMetrics: what `hybridkem mesh wg run --metrics` serves).
  const metrics = createMeshMetrics();
  createWgMetrics(metrics.registry);

  const work = await mkdtemp(join(tmpdir(), 'gateway-mesh-'));
  cleanup.push(() => rm(work, { recursive: true, force: true }));
  const anchor = signingPair();
  const issuerKeys = signingPair();
  const nodeSigning = signingPair();
  const distribution = createMemoryDistribution();
  const directory = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
  const store = await openFileNodeStore(join(work, 'node-a'));
  cleanup.push(() => store.close());
  const receiver = createReceiver({ crypto, kemPrivateKey: nodeKem.privateKey, kemPublicKey: nodeKem.publicKey, directory, store, metrics });
  const applied = [];
  const refused = [];
  const agent = await startNodeAgent({
    distribution, receiver, directory, nodeName: 'node-a',
    onApply: async (envelope) => { applied.push(envelope.version); },
    onRedelivered: (error) => refused.push(error.reason),
    onRefuse: (error) => refused.push(error.reason),
  });
  cleanup.push(() => agent.stop());

  const put = async (role, name, fields) => {
    const record = createDirectoryRecord({ crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, role, name, revision: 1, issuedAt: Date.now(), ...fields });
    await distribution.directory.put(role, name, record);
  };
  await put('issuer', 'issuer-1', { signingPublicKey: issuerKeys.publicKey, keyNamePattern: 'svc-*' });
  await put('node', 'node-a', { kemPublicKey: nodeKem.publicKey, signingPublicKey: nodeSigning.publicKey });
  const until = async (done, what) => {
    const deadline = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await until(() => directory.records().length === 2, 'the directory records');

  const issuer = createIssuer({ crypto, signingPrivateKey: issuerKeys.privateKey, signingPublicKey: issuerKeys.publicKey, metrics });
  const envelope = await issuer.issue({ recipientKemPublicKey: nodeKem.publicKey, keyName: 'svc-db', version: 1, key: new Uint8Array(32).fill(7) });
  await distribution.publish('node-a', envelope.bytes, envelope.envelopeId);
  await until(() => applied.length === 1, 'the envelope to be applied');
  // The same envelope under a new message id (32 hex digits): refused as a replay.
  await distribution.publish('node-a', envelope.bytes, Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('hex'));
  await until(() => refused.length === 1, 'the replay to be refused');
  assert.deepEqual(refused, ['replay']);

  const text = await metrics.registry.metrics();
  assert.equal(sample(text, 'hybridkem_mesh_envelopes_issued_total'), 1);
  assert.equal(sample(text, 'hybridkem_mesh_envelopes_applied_total'), 1);
  assert.equal(sample(text, 'hybridkem_mesh_envelopes_refused_total{reason="replay"}'), 1);
  assert.equal(sample(text, 'hybridkem_mesh_delivery_latency_seconds_count'), 1);

  const exposed = exposedNames(text);
  const queried = new Set();
  for (const { panel, expr } of dashboardExprs(await dashboard('hybridkem-mesh.json'))) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `panel "${panel}": no metric in ${expr}`);
    for (const name of names) {
      assert.ok(exposed.has(name), `panel "${panel}" queries ${name}, which a mesh node does not export`);
      queried.add(name);
    }
  }
  for (const name of ['hybridkem_mesh_envelopes_issued_total', 'hybridkem_mesh_envelopes_applied_total', 'hybridkem_mesh_envelopes_refused_total',
    'hybridkem_mesh_delivery_latency_seconds_bucket', 'hybridkem_mesh_wg_rotations_total', 'hybridkem_mesh_wg_psk_refused_total']) {
    assert.ok(queried.has(name), `no panel queries ${name}`);
  }
});

test('metricNames finds metric names, not functions, labels, keywords or numbers', () => {
  assert.deepEqual(
    metricNames('histogram_quantile(0.99, sum by (le, group) (rate(a_bucket{result="x y",le!="1e3"}[5m]))) / clamp_min(sum(b_total offset 5m), 1e-9) and on (job) c'),
    ['a_bucket', 'b_total', 'c'],
  );
});
