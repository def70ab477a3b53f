/**
 * The server's derived group (selection.ts, reported in `negotiated`) is the
 * group the client actually negotiated, for every policy × Node client
 * configuration, over real sockets.
 *
 * One createServer per policy, reused by every client; each connection settles
 * (server `negotiated` or `refused`, and the client's `secureConnect` or
 * error) before the next starts. Every expected value is a literal in the
 * table, written by hand from the rule in selection.ts, never computed by the
 * code under test. A small TCP relay in front of each server counts the
 * plaintext ClientHello records, so the derived `helloRetry` is checked
 * against what went over the wire (two ClientHellos = one HelloRetryRequest).
 */
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, PolicyViolationError } from '../src/tls/client.js';
import { groupByNodeName, type TlsGroupName } from '../src/tls/groups.js';
import { negotiatedGroup, type HandshakeInfo, type RefusalReason } from '../src/tls/handshake-info.js';
import { tlsOptions } from '../src/tls/options.js';
import type { TlsPolicyName } from '../src/tls/policies.js';
import { makeTestCertificate } from './support/certs.js';
import { closeServer, startPolicyServer, trackPair, withTimeout, type PolicyFixture } from './support/policy-server.js';

const POLICIES = ['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory', 'fips-strict'] as const satisfies readonly TlsPolicyName[];
const SETTLE_TIMEOUT_MS = 5_000;

type Expected =
  | { readonly group: TlsGroupName; readonly helloRetry: boolean; readonly advisory: boolean }
  | { readonly refused: RefusalReason };
const acc = (group: TlsGroupName, helloRetry: boolean, advisory = false): Expected => ({ group, helloRetry, advisory });
const ref = (refused: RefusalReason): Expected => ({ refused });

interface ClientKind {
  readonly name: string;
  /** tls.connect options (host/port/ca added) or a policy for connect(policy). */
  readonly client: { readonly options: tls.ConnectionOptions } | { readonly policy: TlsPolicyName };
  readonly expected: Readonly<Record<TlsPolicyName, Expected>>;
}

const by = (
  hybridOnly: Expected,
  fallback: Expected,
  advisory: Expected,
  strict: Expected,
): Record<TlsPolicyName, Expected> => ({
  'hybrid-only': hybridOnly,
  'hybrid-with-classical-fallback': fallback,
  'fips-advisory': advisory,
  'fips-strict': strict,
});

// Groups offered (supported_groups, client order) and key shares are noted per row.
const CLIENTS: readonly ClientKind[] = [
  {
    // groups [4588, 29, 23], key shares [4588, 29] (browser-like)
    name: "ecdhCurve '*X25519MLKEM768:*X25519:P-256'",
    client: { options: { ecdhCurve: '*X25519MLKEM768:*X25519:P-256' } },
    expected: by(
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false, true),
      ref('no_shared_group'),
    ),
  },
  {
    // groups [4588], key share [4588]
    name: "ecdhCurve 'X25519MLKEM768'",
    client: { options: { ecdhCurve: 'X25519MLKEM768' } },
    expected: by(acc('X25519MLKEM768', false), acc('X25519MLKEM768', false), acc('X25519MLKEM768', false, true), ref('no_shared_group')),
  },
  {
    // groups [29, 4588], key share [29]: the hybrid tier wins over the X25519 key share
    name: "ecdhCurve 'X25519:X25519MLKEM768' (HRR)",
    client: { options: { ecdhCurve: 'X25519:X25519MLKEM768' } },
    expected: by(acc('X25519MLKEM768', true), acc('X25519MLKEM768', true), acc('X25519MLKEM768', true, true), ref('no_shared_group')),
  },
  {
    // groups [23, 4588], key share [23]
    name: "ecdhCurve 'P-256:X25519MLKEM768' (HRR)",
    client: { options: { ecdhCurve: 'P-256:X25519MLKEM768' } },
    expected: by(acc('X25519MLKEM768', true), acc('X25519MLKEM768', true), acc('X25519MLKEM768', true, true), ref('no_shared_group')),
  },
  {
    // groups [4588, 4589, 4587], key share [4588]; the NIST tier's HRR goes to the server's first (4587), not the client's (4589)
    name: "ecdhCurve 'X25519MLKEM768:SecP384r1MLKEM1024:SecP256r1MLKEM768'",
    client: { options: { ecdhCurve: 'X25519MLKEM768:SecP384r1MLKEM1024:SecP256r1MLKEM768' } },
    expected: by(
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false),
      acc('SecP256r1MLKEM768', true),
      acc('SecP256r1MLKEM768', true),
    ),
  },
  {
    // groups [4589, 4587], key shares [4589, 4587]: server order within the tier picks 4587
    name: "ecdhCurve '*SecP384r1MLKEM1024:*SecP256r1MLKEM768'",
    client: { options: { ecdhCurve: '*SecP384r1MLKEM1024:*SecP256r1MLKEM768' } },
    expected: by(
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
    ),
  },
  {
    // groups [4589], key share [4589]
    name: "ecdhCurve 'SecP384r1MLKEM1024'",
    client: { options: { ecdhCurve: 'SecP384r1MLKEM1024' } },
    expected: by(
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
    ),
  },
  {
    // groups [4589, 4588], key share [4589]: a key share in the tier, though X25519MLKEM768 comes first in server order
    name: "ecdhCurve 'SecP384r1MLKEM1024:X25519MLKEM768'",
    client: { options: { ecdhCurve: 'SecP384r1MLKEM1024:X25519MLKEM768' } },
    expected: by(
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
      acc('SecP384r1MLKEM1024', false),
    ),
  },
  {
    name: "classical-only ecdhCurve 'X25519'",
    client: { options: { ecdhCurve: 'X25519' } },
    expected: by(ref('no_shared_group'), acc('X25519', false), acc('X25519', false, true), ref('no_shared_group')),
  },
  {
    name: "classical-only ecdhCurve 'P-256'",
    client: { options: { ecdhCurve: 'P-256' } },
    expected: by(ref('no_shared_group'), acc('secp256r1', false), acc('secp256r1', false, true), ref('no_shared_group')),
  },
  {
    // groups [24, 29], key share [24]: fallback has no P-384, so HRR to X25519; fips-advisory takes the P-384 key share
    name: "classical-only ecdhCurve 'P-384:X25519'",
    client: { options: { ecdhCurve: 'P-384:X25519' } },
    expected: by(ref('no_shared_group'), acc('X25519', true), acc('secp384r1', false, true), ref('no_shared_group')),
  },
  {
    // groups [23, 29], key shares [23, 29]: server order within the tier
    name: "classical-only ecdhCurve '*P-256:*X25519'",
    client: { options: { ecdhCurve: '*P-256:*X25519' } },
    expected: by(ref('no_shared_group'), acc('X25519', false), acc('secp256r1', false, true), ref('no_shared_group')),
  },
  {
    name: "TLS 1.2-only maxVersion 'TLSv1.2'",
    client: { options: { maxVersion: 'TLSv1.2' } },
    expected: by(ref('protocol_version'), ref('protocol_version'), ref('protocol_version'), ref('protocol_version')),
  },
  {
    name: "ChaCha-only ciphers 'TLS_CHACHA20_POLY1305_SHA256' with ecdhCurve 'SecP256r1MLKEM768'",
    client: { options: { ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'SecP256r1MLKEM768' } },
    expected: by(
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      ref('no_shared_cipher'),
    ),
  },
  {
    // groups [30, 23], key share [30] (X448, which no policy has)
    name: "classical-only ecdhCurve 'X448:P-256' (key share for a group no policy has)",
    client: { options: { ecdhCurve: 'X448:P-256' } },
    expected: by(ref('no_shared_group'), acc('secp256r1', true), acc('secp256r1', true, true), ref('no_shared_group')),
  },
  {
    // groups [256, 29], key share [256] (ffdhe2048)
    name: "classical-only ecdhCurve 'ffdhe2048:X25519'",
    client: { options: { ecdhCurve: 'ffdhe2048:X25519' } },
    expected: by(ref('no_shared_group'), acc('X25519', true), acc('X25519', true, true), ref('no_shared_group')),
  },
  {
    // OpenSSL 3.5's default groups: [4588, 29, 23, 30, 24, 25, 256, 257], key shares [4588, 29]; no NIST hybrid
    name: 'Node defaults (no ecdhCurve)',
    client: { options: {} },
    expected: by(acc('X25519MLKEM768', false), acc('X25519MLKEM768', false), acc('X25519MLKEM768', false, true), ref('no_shared_group')),
  },
  {
    name: "CCM-only ciphers 'TLS_AES_128_CCM_SHA256' (a suite no policy has)",
    client: { options: { ciphers: 'TLS_AES_128_CCM_SHA256' } },
    expected: by(ref('no_shared_cipher'), ref('no_shared_cipher'), ref('no_shared_cipher'), ref('no_shared_cipher')),
  },
  {
    // groups [4588, 4587, 4589], key share [4588]
    name: "connect('hybrid-only')",
    client: { policy: 'hybrid-only' },
    expected: by(
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false),
      acc('SecP256r1MLKEM768', true),
      acc('SecP256r1MLKEM768', true),
    ),
  },
  {
    // groups [4588, 4587, 4589, 29, 23], key shares [4588, 29]
    name: "connect('hybrid-with-classical-fallback')",
    client: { policy: 'hybrid-with-classical-fallback' },
    expected: by(
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false),
      acc('SecP256r1MLKEM768', true),
      acc('SecP256r1MLKEM768', true),
    ),
  },
  {
    // groups [4587, 4589, 4588, 23, 24, 29], key shares [4587, 4588]: hybrid-only's tier order puts 4588 first
    name: "connect('fips-advisory')",
    client: { policy: 'fips-advisory' },
    expected: by(
      acc('X25519MLKEM768', false),
      acc('X25519MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
    ),
  },
  {
    // groups [4587, 4589], key share [4587], AES-GCM only
    name: "connect('fips-strict')",
    client: { policy: 'fips-strict' },
    expected: by(
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
      acc('SecP256r1MLKEM768', false),
    ),
  },
];

const cert = makeTestCertificate();

// ---------------------------------------------------------------------------
// Clients

type ClientOutcome =
  | { ok: true; nodeName: string | undefined; group: TlsGroupName | undefined; clientInfo: HandshakeInfo | undefined }
  | { ok: false; error: Error };

/** Resolves once the socket has either completed its handshake (then ends it) or failed; never rejects. */
function settleClient(socket: tls.TLSSocket): Promise<ClientOutcome> {
  return withTimeout(
    new Promise<ClientOutcome>((resolve) => {
      let done = false;
      socket.once('secureConnect', () => {
        if (done) return;
        done = true;
        const info = socket.getEphemeralKeyInfo();
        const nodeName = info && 'name' in info && typeof info.name === 'string' ? info.name : undefined;
        resolve({ ok: true, nodeName, group: nodeName === undefined ? undefined : groupByNodeName(nodeName), clientInfo: negotiatedGroup(socket) });
        socket.end();
      });
      socket.on('error', (error) => {
        if (done) return;
        done = true;
        resolve({ ok: false, error });
      });
      socket.on('close', () => {
        if (done) return;
        done = true;
        resolve({ ok: false, error: new Error('closed before secureConnect') });
      });
    }),
    SETTLE_TIMEOUT_MS,
    'client outcome',
  );
}

function startClient(kind: ClientKind, port: number): tls.TLSSocket {
  const base: tls.ConnectionOptions = { host: '127.0.0.1', port, ca: cert.cert, servername: 'localhost' };
  return 'policy' in kind.client ? connect(kind.client.policy, base) : tls.connect({ ...base, ...kind.client.options });
}

// ---------------------------------------------------------------------------

const fixtures = new Map<TlsPolicyName, PolicyFixture>();
const observed: string[] = [];

beforeAll(async () => {
  for (const policy of POLICIES) {
    fixtures.set(policy, await startPolicyServer(policy, cert, { settleTimeoutMs: SETTLE_TIMEOUT_MS, handshakeTimeoutMs: SETTLE_TIMEOUT_MS }));
  }
});

afterAll(async () => {
  for (const f of fixtures.values()) await f.close();
  if (process.env.HK_PRINT_MATRIX) console.log(observed.join('\n'));
});

describe.each(POLICIES)('policy server %s', (policy) => {
  it.each(CLIENTS)('$name', async (kind) => {
    const f = fixtures.get(policy)!;
    const expected = kind.expected[policy];
    const connectionsBefore = f.relay.clientHellos.length;
    const serverOutcome = f.next();
    const clientOutcome = settleClient(startClient(kind, f.relay.port));
    const [server, client] = await Promise.all([serverOutcome, clientOutcome]);
    // Let the relay's counter catch up with the last bytes (it counts before forwarding, so it already has).
    expect(f.relay.clientHellos.length).toBe(connectionsBefore + 1);
    const clientHellos = f.relay.clientHellos[connectionsBefore]!;

    if ('refused' in expected) {
      observed.push(`${policy} | ${kind.name} | refused ${server.kind === 'refused' ? server.refusal.reason : '?'} | client ok=${client.ok}`);
      expect(server.kind).toBe('refused');
      if (server.kind !== 'refused') return;
      expect(server.refusal.reason).toBe(expected.refused);
      expect(server.refusal.policy).toBe(policy);
      expect(client.ok).toBe(false);
      expect(clientHellos).toBe(1);
      return;
    }

    observed.push(
      `${policy} | ${kind.name} | server ${server.kind === 'negotiated' ? `${server.info.group} hrr=${server.info.helloRetry} adv=${server.info.advisory}` : `refused ${server.refusal.reason}`}` +
        ` | client ${client.ok ? client.nodeName : `error ${client.error.message}`} | ClientHellos ${clientHellos}`,
    );
    expect(client.ok, client.ok ? '' : client.error.message).toBe(true);
    expect(server.kind, server.kind === 'refused' ? `${server.refusal.reason}: ${server.refusal.detail}` : '').toBe('negotiated');
    if (!client.ok || server.kind !== 'negotiated') return;
    // The derivation equals what the client's OpenSSL reports...
    expect(client.group, `client reported ${client.nodeName}`).toBeDefined();
    expect(server.info.group).toBe(client.group);
    // ...and both equal the literal in the table.
    expect(server.info.group).toBe(expected.group);
    expect(server.info.helloRetry).toBe(expected.helloRetry);
    expect(server.info.advisory).toBe(expected.advisory);
    expect(server.info.hybrid).toBe(expected.group.includes('MLKEM'));
    expect(server.info.policy).toBe(policy);
    expect(server.info.side).toBe('server');
    // The wire agrees on the HelloRetryRequest: a second ClientHello exactly when one was asked for.
    expect(clientHellos).toBe(expected.helloRetry ? 2 : 1);
    if ('policy' in kind.client) {
      expect(client.clientInfo).toMatchObject({ side: 'client', policy: kind.client.policy, group: expected.group, helloRetry: undefined });
    }
  });

  it('every connection so far ended in exactly one negotiated or refused event', () => {
    const f = fixtures.get(policy)!;
    expect(f.outcomes).toHaveLength(CLIENTS.length);
    expect(f.relay.clientHellos).toHaveLength(CLIENTS.length);
  });
});

describe('guards and other servers', () => {
  it("Node still exposes the raw TCP socket as tlsSocket._parent on the server side (server.ts's parentOf relies on it)", async () => {
    const server = tls.createServer({ key: cert.key, cert: cert.cert, ...tlsOptions('hybrid-only') });
    const raws: net.Socket[] = [];
    server.on('connection', (raw: net.Socket) => raws.push(raw));
    const secured = new Promise<tls.TLSSocket>((resolve) => server.once('secureConnection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = tls.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: cert.cert, servername: 'localhost' });
      const outcome = settleClient(client);
      const socket = await withTimeout(secured, SETTLE_TIMEOUT_MS, 'secureConnection');
      expect((await outcome).ok).toBe(true);
      const parent = (socket as unknown as { _parent?: unknown })._parent;
      expect(parent).toBeInstanceOf(net.Socket);
      expect(raws).toHaveLength(1);
      expect(parent).toBe(raws[0]);
      socket.destroy();
    } finally {
      await closeServer(server);
    }
  });

  it('the policy server hands negotiated/secureConnection the same TLSSocket whose _parent is the accepted socket', async () => {
    const f = fixtures.get('hybrid-only')!;
    const raws: net.Socket[] = [];
    const onConnection = (raw: net.Socket) => raws.push(raw);
    f.server.on('connection', onConnection);
    const negotiated = new Promise<tls.TLSSocket>((resolve) => f.server.once('negotiated', (_info, socket) => resolve(socket)));
    const secured = new Promise<tls.TLSSocket>((resolve) => f.server.once('secureConnection', resolve));
    try {
      const outcome = settleClient(connect('hybrid-only', { host: '127.0.0.1', port: f.port, ca: cert.cert, servername: 'localhost' }));
      const [socket, secureSocket] = await withTimeout(Promise.all([negotiated, secured]), SETTLE_TIMEOUT_MS, 'negotiated');
      expect((await outcome).ok).toBe(true);
      expect(secureSocket).toBe(socket);
      expect((socket as unknown as { _parent?: unknown })._parent).toBe(raws[0]);
      expect(negotiatedGroup(socket)).toMatchObject({ side: 'server', group: 'X25519MLKEM768', helloRetry: false });
    } finally {
      f.server.off('connection', onConnection);
    }
  });

  it("connect('hybrid-only') against a plain server offering only X25519 fails (the client policy offers no classical group)", async () => {
    const server = tls.createServer({ key: cert.key, cert: cert.cert, ecdhCurve: 'X25519' }, (s) => s.on('error', () => {}));
    const serverErrors: Error[] = [];
    server.on('tlsClientError', (e) => serverErrors.push(e));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const socket = connect('hybrid-only', { host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: cert.cert, servername: 'localhost' });
      const outcome = await settleClient(socket);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error).not.toBeInstanceOf(PolicyViolationError);
      expect(outcome.error.message).toMatch(/handshake failure|alert/i);
      expect(negotiatedGroup(socket)).toBeUndefined();
    } finally {
      await closeServer(server);
    }
  });

  it("tlsOptions('hybrid-only') puts https.createServer under the policy: X25519MLKEM768 as the client reports; X25519-only is refused", async () => {
    const server = https.createServer({ key: cert.key, cert: cert.cert, ...tlsOptions('hybrid-only') }, (_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('https ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (ecdhCurve: string) =>
      new Promise<{ body: string; group: string | undefined }>((resolve, reject) => {
        let group: string | undefined;
        const req = https.request({ host: '127.0.0.1', port, path: '/', ca: cert.cert, servername: 'localhost', ecdhCurve, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ body, group }));
          res.on('error', reject);
        });
        req.on('socket', (s) =>
          (s as tls.TLSSocket).once('secureConnect', () => {
            const info = (s as tls.TLSSocket).getEphemeralKeyInfo();
            group = info && 'name' in info ? (info.name as string) : undefined;
          }),
        );
        req.on('error', reject);
        req.end();
      });
    try {
      const r = await withTimeout(get('*X25519MLKEM768:*X25519'), SETTLE_TIMEOUT_MS, 'https request');
      expect(r.body).toBe('https ok');
      expect(groupByNodeName(r.group ?? '')).toBe('X25519MLKEM768');
      await expect(withTimeout(get('X25519'), SETTLE_TIMEOUT_MS, 'https request')).rejects.toThrow(/handshake failure|alert/i);
    } finally {
      server.closeAllConnections();
      await closeServer(server);
    }
  });

  it("tlsOptions('hybrid-only') puts http2.createSecureServer under the policy: X25519MLKEM768 as the client reports", async () => {
    const server = http2.createSecureServer({ key: cert.key, cert: cert.cert, ...tlsOptions('hybrid-only') }, (_req, res) => res.end('h2 ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const session = http2.connect(`https://localhost:${port}`, { ca: cert.cert, ecdhCurve: 'X25519:X25519MLKEM768' });
    try {
      const group = await withTimeout(
        new Promise<string | undefined>((resolve, reject) => {
          session.once('error', reject);
          session.once('connect', (_s, socket) => {
            const info = (socket as tls.TLSSocket).getEphemeralKeyInfo();
            resolve(info && 'name' in info ? (info.name as string) : undefined);
          });
        }),
        SETTLE_TIMEOUT_MS,
        'http2 connect',
      );
      const body = await withTimeout(
        new Promise<string>((resolve, reject) => {
          const req = session.request({ ':path': '/' });
          let data = '';
          req.setEncoding('utf8');
          req.on('data', (d: string) => (data += d));
          req.on('end', () => resolve(data));
          req.on('error', reject);
          req.end();
        }),
        SETTLE_TIMEOUT_MS,
        'http2 request',
      );
      expect(body).toBe('h2 ok');
      // The client offered X25519 first with its only key share; the hybrid-only server asked for X25519MLKEM768.
      expect(groupByNodeName(group ?? '')).toBe('X25519MLKEM768');
    } finally {
      session.destroy();
      await closeServer(server);
    }
  });
});

describe('ClientHello framing (the server reads the ClientHello before OpenSSL does)', () => {
  /** A relay whose client→server bytes go out in `slice`-byte writes, one per event-loop turn. */
  async function startDribblingRelay(targetPort: number, slice: number): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((down) => {
      const up = net.connect(targetPort, '127.0.0.1');
      up.setNoDelay(true);
      let chain = Promise.resolve();
      trackPair(sockets, down, up);
      down.on('data', (chunk: Buffer) => {
        chain = chain.then(async () => {
          for (let i = 0; i < chunk.length; i += slice) {
            if (up.destroyed) return;
            up.write(chunk.subarray(i, i + slice));
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        });
      });
      up.on('data', (chunk: Buffer) => down.write(chunk));
      down.on('close', () => void chain.then(() => up.destroy()));
      up.on('close', () => down.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    return { port: (relay.address() as AddressInfo).port, close: () => closeServer(relay, sockets) };
  }

  it('one ClientHello record split over many TCP segments (200-byte writes) is negotiated as the client reports', async () => {
    const f = fixtures.get('hybrid-only')!;
    const relay = await startDribblingRelay(f.port, 200);
    try {
      const serverOutcome = f.next();
      const socket = tls.connect({ host: '127.0.0.1', port: relay.port, ca: cert.cert, servername: 'localhost', ecdhCurve: '*X25519MLKEM768:*SecP384r1MLKEM1024' });
      const [server, client] = await Promise.all([serverOutcome, settleClient(socket)]);
      expect(client.ok).toBe(true);
      expect(server).toMatchObject({ kind: 'negotiated', info: { group: 'X25519MLKEM768', helloRetry: false } });
      if (client.ok) expect(client.group).toBe('X25519MLKEM768');
    } finally {
      await relay.close();
    }
  });

  // RFC 8446 §5.1: handshake messages may be fragmented across several records.
  // OpenSSL's client does so when its max_send_fragment is small
  // (tlsSocket.setMaxSendFragment(512): the ~1.5 kB ClientHello with an
  // X25519MLKEM768 key share becomes 3 records). OpenSSL's server accepts it;
  // createServer must derive the same group instead of refusing the connection.
  it('a ClientHello fragmented across TLS records (client setMaxSendFragment(512)) is negotiated like a plain OpenSSL server does', async () => {
    const fragmentedClient = (port: number) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: cert.cert, servername: 'localhost', ecdhCurve: '*X25519MLKEM768' });
      expect(socket.setMaxSendFragment(512)).toBe(true);
      return socket;
    };
    // The same TLS options on a plain server: OpenSSL negotiates X25519MLKEM768.
    const plain = tls.createServer({ key: cert.key, cert: cert.cert, ...tlsOptions('hybrid-only') }, (s) => {
      s.on('error', () => {});
      s.resume();
      s.on('end', () => s.end());
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const viaPlain = await settleClient(fragmentedClient((plain.address() as AddressInfo).port));
      expect(viaPlain).toMatchObject({ ok: true, group: 'X25519MLKEM768' });
    } finally {
      await closeServer(plain);
    }

    const f = fixtures.get('hybrid-only')!;
    const serverOutcome = f.next();
    const [server, client] = await Promise.all([serverOutcome, settleClient(fragmentedClient(f.port))]);
    expect(server.kind === 'refused' ? `refused ${server.refusal.reason}: ${server.refusal.detail}` : `negotiated ${server.info.group}`).toBe(
      'negotiated X25519MLKEM768',
    );
    expect(client).toMatchObject({ ok: true, group: 'X25519MLKEM768' });
  });
});
