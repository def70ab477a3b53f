/**
 * The issue's "done" run: for each policy, a gateway cluster (built dist,
 * one worker) in front of a small HTTP upstream; Node clients (the policy's
 * own and an X25519-only one), Go 1.26 clients (its defaults and X25519
 * only) and headless Chromium go through it; each gets the group or refusal
 * the policy prescribes; then the primary's /metrics shows exactly those
 * handshakes, fallbacks, advisories, HelloRetryRequests and refusals.
 * Expected values are written out by hand; Chromium's are counted from its
 * own net-log (it may open more than one connection per page).
 */
import { createHash, createPublicKey } from 'node:crypto';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayWorkerEntry } from '../src/gateway/cluster.js';
import type * as Transport from '../src/index.js';
import { makeTestCertificate, type TestCertificate } from './support/certs.js';
import { chromiumAvailable, fetchWithChromium } from './support/chromium.js';
import { buildGoTlsClient, runGoTlsClient } from './support/go-client.js';
import { gatewayOptions, startUpstream, type Upstream } from './fixtures/gateway-helpers.js';

const HTTP_REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
const BODY = 'hello through the gateway';

let dist: typeof Transport;
let cert: TestCertificate;
let spkiPin: string;
let upstream: Upstream;

beforeAll(async () => {
  gatewayWorkerEntry(); // "build first: ..." when dist is missing or stale
  dist = (await import('../dist/index.js' as string)) as typeof Transport;
  cert = makeTestCertificate();
  // Chromium trusts this key outright, so none of its handshakes fail on the certificate.
  spkiPin = createHash('sha256').update(createPublicKey(cert.key).export({ type: 'spki', format: 'der' })).digest('base64');
  await buildGoTlsClient();
  chromiumAvailable();
  // An HTTP/1.1 upstream that answers every request on a connection (keep-alive, as Chromium expects).
  upstream = await startUpstream((socket) => {
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        const closing = /^connection: close/im.test(pending.slice(0, end));
        pending = pending.slice(end + 4);
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
        if (closing) socket.end();
      }
    });
    socket.on('end', () => socket.end());
  });
});

afterAll(async () => {
  await upstream?.close();
});

/** Prometheus text → `name{label="v",...}` (labels sorted) → value. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? '').split(/,(?=\w+=")/).filter(Boolean).sort().join(',');
    out.set(`${m[1]}{${labels}}`, Number(m[3]));
  }
  return out;
}

const key = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;

async function fetchMetrics(address: { host: string; port: number }): Promise<Map<string, number>> {
  const response = await fetch(`http://${address.host}:${address.port}/metrics`);
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

type NodeOutcome = { ok: true; group: string; body: string } | { ok: false };

function httpOver(socket: tls.TLSSocket): Promise<NodeOutcome> {
  return new Promise((resolve) => {
    let text = '';
    socket.once('secureConnect', () => socket.write(HTTP_REQUEST));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', () => resolve({ ok: false }));
    socket.on('end', () => {
      const reported = socket.getEphemeralKeyInfo() as { name?: string } | null;
      resolve({ ok: true, group: dist.groupByNodeName(reported?.name ?? '') ?? String(reported?.name), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

interface Expectation {
  /** Node `connect(policy)`'s group. */
  policyClient: string;
  /** What an X25519-only client gets: its group, or undefined for a refusal. */
  classical: string | undefined;
  /** Go's default groups: the IANA code point it reports, and whether the server asked again. */
  goDefault: { group: number; helloRetry: boolean };
  /** Chromium gets X25519MLKEM768 (advisory or not), or is refused. */
  chromium: 'X25519MLKEM768' | 'refused';
}

const EXPECTED: Record<Transport.TlsPolicyName, Expectation> = {
  'hybrid-only': { policyClient: 'X25519MLKEM768', classical: undefined, goDefault: { group: 4588, helloRetry: false }, chromium: 'X25519MLKEM768' },
  'hybrid-with-classical-fallback': { policyClient: 'X25519MLKEM768', classical: 'X25519', goDefault: { group: 4588, helloRetry: false }, chromium: 'X25519MLKEM768' },
  // Go also lists SecP256r1MLKEM768 (sending shares for X25519MLKEM768 and X25519 only): the first tier wins, with a HelloRetryRequest.
  'fips-advisory': { policyClient: 'SecP256r1MLKEM768', classical: 'X25519', goDefault: { group: 4587, helloRetry: true }, chromium: 'X25519MLKEM768' },
  'fips-strict': { policyClient: 'SecP256r1MLKEM768', classical: undefined, goDefault: { group: 4587, helloRetry: true }, chromium: 'refused' },
};

const GROUP_IDS: Record<string, number> = { X25519MLKEM768: 4588, SecP256r1MLKEM768: 4587, X25519: 29 };

describe.each(Object.keys(EXPECTED) as Transport.TlsPolicyName[])('gateway under %s: Node, Go and Chromium clients, then /metrics', (policy) => {
  const expected = EXPECTED[policy];
  let gateway: Transport.GatewayCluster;

  beforeAll(async () => {
    gateway = await dist.startGatewayCluster({
      ...gatewayOptions(upstream.port, cert),
      policy,
      workers: 1,
      metrics: { host: '127.0.0.1', port: 0 },
      drainTimeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('each client gets what the policy prescribes, and /metrics counts exactly that', async () => {
    const port = gateway.address.port;
    const target = { host: '127.0.0.1', port, ca: cert.cert, servername: 'localhost' };
    const accepted = new Map<string, number>();
    const advisory = (group: string) => policy === 'fips-advisory' && group !== 'SecP256r1MLKEM768';
    const count = (group: string) => accepted.set(group, (accepted.get(group) ?? 0) + 1);
    let refused = 0;

    const viaPolicy = await httpOver(dist.connect(policy, target));
    expect(viaPolicy).toEqual({ ok: true, group: expected.policyClient, body: BODY });
    count(expected.policyClient);

    const viaClassical = await httpOver(tls.connect({ ...target, ecdhCurve: 'X25519', minVersion: 'TLSv1.3' }));
    if (expected.classical) {
      expect(viaClassical).toEqual({ ok: true, group: expected.classical, body: BODY });
      count(expected.classical);
    } else {
      expect(viaClassical).toEqual({ ok: false });
      refused++;
    }

    const goDefault = await runGoTlsClient({ port, ca: cert.certPath, request: HTTP_REQUEST });
    expect(goDefault).toMatchObject({ ok: true, group: expected.goDefault.group });
    expect(goDefault.ok && goDefault.response?.endsWith(BODY)).toBe(true);
    count(Object.keys(GROUP_IDS).find((g) => GROUP_IDS[g] === expected.goDefault.group)!);

    const goClassical = await runGoTlsClient({ port, ca: cert.certPath, groups: [29], request: HTTP_REQUEST });
    if (expected.classical) {
      expect(goClassical).toMatchObject({ ok: true, group: 29 });
      count('X25519');
    } else {
      expect(goClassical.ok).toBe(false);
      refused++;
    }

    // Chromium last: under fips-strict its refusals (a browser retries) are counted apart from the others'.
    const before = await fetchMetrics(gateway.metricsAddress!);
    const refusedBeforeChromium = before.get(key('hybridkem_gateway_refusals_total', { policy, reason: 'no_shared_group' }));
    expect(refusedBeforeChromium).toBe(refused);
    const browser = await fetchWithChromium(`https://127.0.0.1:${port}/`, { args: [`--ignore-certificate-errors-spki-list=${spkiPin}`] }).then(
      (r) => r,
      (e: Error) => ({ error: e.message, keyExchangeGroups: [] as number[] }),
    );
    if (expected.chromium === 'refused') {
      expect('error' in browser ? browser.error : `status ${browser.status}`).toMatch(/ERR_SSL_VERSION_OR_CIPHER_MISMATCH/);
    } else {
      expect(browser).toMatchObject({ status: 200, body: BODY });
      expect(browser.keyExchangeGroups.length).toBeGreaterThan(0);
      expect(new Set(browser.keyExchangeGroups)).toEqual(new Set([4588]));
      for (let i = 0; i < browser.keyExchangeGroups.length; i++) count('X25519MLKEM768');
    }

    const metric = (name: string, labels: Record<string, string>) => metrics.get(key(name, labels)) ?? 0;
    let metrics = await fetchMetrics(gateway.metricsAddress!);
    const acceptedTotal = [...accepted.values()].reduce((a, b) => a + b, 0);
    // The last handshakes may still be settling in the worker: wait for them (bounded).
    for (let i = 0; i < 40; i++) {
      const seen = ['X25519MLKEM768', 'SecP256r1MLKEM768', 'X25519'].reduce((sum, group) => sum + metric('hybridkem_gateway_handshakes_total', { policy, group, result: 'accepted' }), 0);
      if (seen >= acceptedTotal) break;
      await new Promise((r) => setTimeout(r, 50));
      metrics = await fetchMetrics(gateway.metricsAddress!);
    }
    for (const group of ['X25519MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024', 'X25519', 'secp256r1']) {
      const n = accepted.get(group) ?? 0;
      const labelled = { policy, group };
      expect([group, metric('hybridkem_gateway_handshakes_total', { ...labelled, result: 'accepted' })]).toEqual([group, n]);
      expect([group, metric('hybridkem_gateway_fallbacks_total', labelled)]).toEqual([group, group === 'X25519' || group === 'secp256r1' ? n : 0]);
      expect([group, metric('hybridkem_gateway_advisories_total', labelled)]).toEqual([group, advisory(group) ? n : 0]);
      expect([group, metric('hybridkem_gateway_handshake_duration_seconds_count', labelled)]).toEqual([group, n]);
    }
    expect(metric('hybridkem_gateway_hello_retries_total', { policy, group: 'SecP256r1MLKEM768' })).toBe(expected.goDefault.helloRetry ? 1 : 0);
    const refusals = metric('hybridkem_gateway_refusals_total', { policy, reason: 'no_shared_group' });
    if (expected.chromium === 'refused') expect(refusals).toBeGreaterThan(refused);
    else expect(refusals).toBe(refused);
    for (const reason of ['tls_error', 'policy_mismatch', 'malformed_client_hello', 'not_tls', 'protocol_version', 'no_shared_cipher']) {
      expect([reason, metric('hybridkem_gateway_refusals_total', { policy, reason })]).toEqual([reason, 0]);
    }
    expect(metric('hybridkem_gateway_upstream_failures_total', { reason: 'refused' })).toBe(0);
  });
});

