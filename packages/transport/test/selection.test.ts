/**
 * selectGroup(policy, summary) on hand-written ClientHello summaries, and
 * readClientHelloSummary on real ClientHello bytes from Node's TLS client.
 *
 * Every expected value here is written by hand from the rule in selection.ts
 * (OpenSSL 3.5 group tuples with server preference): the first tier the
 * client supports any group of wins; within it the first group in server
 * order the client sent a key share for (no HelloRetryRequest), otherwise the
 * tier's first group in server order the client supports (HelloRetryRequest).
 * Checks run in the order version, cipher suite, group.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientHelloError, readClientHelloSummary, type ClientHelloSummary } from '../src/tls/client-hello.js';
import { getPolicy, type TlsPolicyName } from '../src/tls/policies.js';
import { selectGroup, type GroupSelection } from '../src/tls/selection.js';

// IANA code points, written out (not taken from groups.ts).
const X25519MLKEM768 = 0x11ec; // 4588
const SecP256r1MLKEM768 = 0x11eb; // 4587
const SecP384r1MLKEM1024 = 0x11ed; // 4589
const X25519 = 0x001d; // 29
const P256 = 0x0017; // 23
const P384 = 0x0018; // 24
const P521 = 0x0019; // 25, used by no policy
const X448 = 0x001e; // 30, used by no policy

const TLS13 = 0x0304;
const TLS12 = 0x0303;
const AES128 = 0x1301;
const AES256 = 0x1302;
const CHACHA = 0x1303;
const ECDHE_RSA_AES128_GCM = 0xc02f; // a TLS 1.2 suite

function hello(partial: Partial<ClientHelloSummary>): ClientHelloSummary {
  return {
    versions: [TLS13, TLS12],
    cipherSuites: [AES128, CHACHA, AES256],
    groups: [],
    keyShareGroups: [],
    serverName: 'localhost',
    ...partial,
  };
}

const ok = (group: string, helloRetry: boolean, advisory: boolean): GroupSelection =>
  ({ accepted: true, group, helloRetry, advisory }) as GroupSelection;
const refused = (reason: 'protocol_version' | 'no_shared_cipher' | 'no_shared_group'): GroupSelection => ({ accepted: false, reason });

interface Case {
  name: string;
  hello: ClientHelloSummary;
  expected: GroupSelection;
}

const CASES: Record<TlsPolicyName, Case[]> = {
  'hybrid-only': [
    {
      name: 'key share in the tier: X25519MLKEM768, no HRR',
      hello: hello({ groups: [X25519MLKEM768, X25519, P256], keyShareGroups: [X25519MLKEM768, X25519] }),
      expected: ok('X25519MLKEM768', false, false),
    },
    {
      name: 'key shares for two groups of the tier: server order wins over client order',
      hello: hello({ groups: [SecP256r1MLKEM768, X25519MLKEM768], keyShareGroups: [SecP256r1MLKEM768, X25519MLKEM768] }),
      expected: ok('X25519MLKEM768', false, false),
    },
    {
      name: 'only the key share of a later group in server order: that group, no HRR',
      hello: hello({ groups: [X25519MLKEM768, SecP384r1MLKEM1024], keyShareGroups: [SecP384r1MLKEM1024] }),
      expected: ok('SecP384r1MLKEM1024', false, false),
    },
    {
      name: 'supported but no key share: HRR to the first supported group in server order',
      hello: hello({ groups: [X25519, SecP384r1MLKEM1024, SecP256r1MLKEM768], keyShareGroups: [X25519] }),
      expected: ok('SecP256r1MLKEM768', true, false),
    },
    {
      name: 'classical-only client: no_shared_group',
      hello: hello({ groups: [X25519, P256, P384], keyShareGroups: [X25519] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'no supported_groups at all: no_shared_group',
      hello: hello({ groups: [], keyShareGroups: [] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'TLS 1.2-only: protocol_version',
      hello: hello({ versions: [TLS12], groups: [X25519MLKEM768], keyShareGroups: [] }),
      expected: refused('protocol_version'),
    },
    {
      name: 'ChaCha-only is fine (all TLS 1.3 suites)',
      hello: hello({ cipherSuites: [CHACHA], groups: [X25519MLKEM768], keyShareGroups: [X25519MLKEM768] }),
      expected: ok('X25519MLKEM768', false, false),
    },
    {
      name: 'TLS 1.2 suites only: no_shared_cipher',
      hello: hello({ cipherSuites: [ECDHE_RSA_AES128_GCM], groups: [X25519MLKEM768], keyShareGroups: [X25519MLKEM768] }),
      expected: refused('no_shared_cipher'),
    },
  ],
  'hybrid-with-classical-fallback': [
    {
      name: 'key share in the first tier: X25519MLKEM768, no HRR',
      hello: hello({ groups: [X25519MLKEM768, X25519, P256], keyShareGroups: [X25519MLKEM768, X25519] }),
      expected: ok('X25519MLKEM768', false, false),
    },
    {
      name: 'hybrid supported without key share, X25519 key share: HRR to X25519MLKEM768 (first tier wins over a key share)',
      hello: hello({ groups: [X25519, X25519MLKEM768], keyShareGroups: [X25519] }),
      expected: ok('X25519MLKEM768', true, false),
    },
    {
      name: 'NIST hybrids supported without key share: HRR to SecP256r1MLKEM768',
      hello: hello({ groups: [P256, SecP384r1MLKEM1024, SecP256r1MLKEM768], keyShareGroups: [P256] }),
      expected: ok('SecP256r1MLKEM768', true, false),
    },
    {
      name: 'classical-only with X25519 key share: fallback tier, X25519, no HRR, not advisory',
      hello: hello({ groups: [X25519, P256], keyShareGroups: [X25519] }),
      expected: ok('X25519', false, false),
    },
    {
      name: 'classical-only with only a P-256 key share: secp256r1, no HRR',
      hello: hello({ groups: [P256, X25519], keyShareGroups: [P256] }),
      expected: ok('secp256r1', false, false),
    },
    {
      name: 'classical-only with both key shares, P-256 first: server order, X25519',
      hello: hello({ groups: [P256, X25519], keyShareGroups: [P256, X25519] }),
      expected: ok('X25519', false, false),
    },
    {
      name: 'classical-only without key share: HRR to X25519 (server order)',
      hello: hello({ groups: [P256, X25519], keyShareGroups: [] }),
      expected: ok('X25519', true, false),
    },
    {
      name: 'P-384 only: no_shared_group (P-384 is not in this policy)',
      hello: hello({ groups: [P384], keyShareGroups: [P384] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'TLS 1.2-only: protocol_version',
      hello: hello({ versions: [TLS12], groups: [X25519, P256], keyShareGroups: [] }),
      expected: refused('protocol_version'),
    },
  ],
  'fips-advisory': [
    {
      name: 'NIST hybrid key share in the first tier: SecP256r1MLKEM768, no HRR, no advisory',
      hello: hello({ groups: [SecP256r1MLKEM768, X25519MLKEM768], keyShareGroups: [SecP256r1MLKEM768] }),
      expected: ok('SecP256r1MLKEM768', false, false),
    },
    {
      name: 'SecP256r1MLKEM768 supported, X25519MLKEM768 key share (Go-like): HRR to SecP256r1MLKEM768',
      hello: hello({ groups: [X25519MLKEM768, SecP256r1MLKEM768, X25519, P256], keyShareGroups: [X25519MLKEM768, X25519] }),
      expected: ok('SecP256r1MLKEM768', true, false),
    },
    {
      name: 'SecP384r1MLKEM1024 only supported (no key share): HRR to it',
      hello: hello({ groups: [X25519MLKEM768, SecP384r1MLKEM1024], keyShareGroups: [X25519MLKEM768] }),
      expected: ok('SecP384r1MLKEM1024', true, false),
    },
    {
      name: 'no NIST hybrid, X25519MLKEM768 key share (Chromium-like): X25519MLKEM768 with advisory, no HRR',
      hello: hello({ groups: [X25519MLKEM768, X25519, P256, P384], keyShareGroups: [X25519MLKEM768, X25519] }),
      expected: ok('X25519MLKEM768', false, true),
    },
    {
      name: 'no NIST hybrid, X25519MLKEM768 supported but X25519 key share: HRR to X25519MLKEM768, advisory',
      hello: hello({ groups: [X25519, X25519MLKEM768], keyShareGroups: [X25519] }),
      expected: ok('X25519MLKEM768', true, true),
    },
    {
      name: 'classical-only with X25519 key share: X25519 (the only key share in the tier), advisory, no HRR',
      hello: hello({ groups: [X25519, P256], keyShareGroups: [X25519] }),
      expected: ok('X25519', false, true),
    },
    {
      name: 'classical-only without key share: HRR to secp256r1 (server order), advisory',
      hello: hello({ groups: [X25519, P384, P256], keyShareGroups: [] }),
      expected: ok('secp256r1', true, true),
    },
    {
      name: 'P-521/X448 only: no_shared_group',
      hello: hello({ groups: [P521, X448], keyShareGroups: [X448] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'TLS 1.2-only: protocol_version',
      hello: hello({ versions: [TLS12], groups: [P256], keyShareGroups: [] }),
      expected: refused('protocol_version'),
    },
  ],
  'fips-strict': [
    {
      name: 'SecP256r1MLKEM768 key share: no HRR',
      hello: hello({ groups: [SecP256r1MLKEM768, SecP384r1MLKEM1024], keyShareGroups: [SecP256r1MLKEM768] }),
      expected: ok('SecP256r1MLKEM768', false, false),
    },
    {
      name: 'only a SecP384r1MLKEM1024 key share: SecP384r1MLKEM1024, no HRR',
      hello: hello({ groups: [SecP384r1MLKEM1024, SecP256r1MLKEM768], keyShareGroups: [SecP384r1MLKEM1024] }),
      expected: ok('SecP384r1MLKEM1024', false, false),
    },
    {
      name: 'NIST hybrids supported, X25519MLKEM768 key share: HRR to SecP256r1MLKEM768',
      hello: hello({ groups: [X25519MLKEM768, SecP384r1MLKEM1024, SecP256r1MLKEM768], keyShareGroups: [X25519MLKEM768] }),
      expected: ok('SecP256r1MLKEM768', true, false),
    },
    {
      name: 'X25519MLKEM768 + classical (Chromium-like): no_shared_group',
      hello: hello({ groups: [X25519MLKEM768, X25519, P256, P384], keyShareGroups: [X25519MLKEM768, X25519] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'classical-only: no_shared_group',
      hello: hello({ groups: [P256, P384], keyShareGroups: [P256] }),
      expected: refused('no_shared_group'),
    },
    {
      name: 'ChaCha-only: no_shared_cipher',
      hello: hello({ cipherSuites: [CHACHA], groups: [SecP256r1MLKEM768], keyShareGroups: [SecP256r1MLKEM768] }),
      expected: refused('no_shared_cipher'),
    },
    {
      name: 'ChaCha-only and classical-only: no_shared_cipher (cipher suites are checked before groups)',
      hello: hello({ cipherSuites: [CHACHA], groups: [X25519], keyShareGroups: [X25519] }),
      expected: refused('no_shared_cipher'),
    },
    {
      name: 'TLS 1.2-only, ChaCha-only, classical-only: protocol_version (version is checked first)',
      hello: hello({ versions: [TLS12], cipherSuites: [CHACHA], groups: [X25519], keyShareGroups: [] }),
      expected: refused('protocol_version'),
    },
    {
      name: 'AES-128-GCM only is enough',
      hello: hello({ cipherSuites: [AES128], groups: [SecP256r1MLKEM768], keyShareGroups: [SecP256r1MLKEM768] }),
      expected: ok('SecP256r1MLKEM768', false, false),
    },
  ],
};

describe('selectGroup', () => {
  for (const [policy, cases] of Object.entries(CASES) as [TlsPolicyName, Case[]][]) {
    describe(policy, () => {
      it.each(cases)('$name', ({ hello: h, expected }) => {
        expect(selectGroup(getPolicy(policy), h)).toEqual(expected);
      });
    });
  }

  it('every policy has a key-share case, an HRR case and a classical-only case', () => {
    for (const cases of Object.values(CASES)) {
      expect(cases.some((c) => c.expected.accepted && !c.expected.helloRetry)).toBe(true);
      expect(cases.some((c) => c.name.includes('classical-only'))).toBe(true);
    }
    for (const policy of ['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory', 'fips-strict'] as const) {
      expect(CASES[policy].some((c) => c.expected.accepted && c.expected.helloRetry)).toBe(true);
    }
  });

  describe('groups and values no policy knows are ignored (GREASE-free summaries; unknown groups)', () => {
    // readClientHelloSummary strips GREASE; selectGroup must not depend on that for
    // correctness either: an unknown code point is never picked and never counts as a key share.
    const GREASE = [0x0a0a, 0x3a3a, 0xfafa];
    const plain = hello({ groups: [X25519, X25519MLKEM768], keyShareGroups: [X25519] });
    const noisy = hello({
      versions: [0x7a7a, TLS13, TLS12],
      cipherSuites: [0x2a2a, AES128, CHACHA, AES256],
      groups: [GREASE[0]!, P521, X25519, X448, X25519MLKEM768, GREASE[1]!],
      keyShareGroups: [GREASE[2]!, X448, X25519],
    });
    it.each([
      ['hybrid-only', ok('X25519MLKEM768', true, false)],
      ['hybrid-with-classical-fallback', ok('X25519MLKEM768', true, false)],
      ['fips-advisory', ok('X25519MLKEM768', true, true)],
      ['fips-strict', refused('no_shared_group')],
    ] as const)('%s', (policy, expected) => {
      expect(selectGroup(getPolicy(policy), plain)).toEqual(expected);
      expect(selectGroup(getPolicy(policy), noisy)).toEqual(expected);
    });
  });
});

describe('readClientHelloSummary on a real ClientHello from tls.connect', () => {
  let server: net.Server;
  let port: number;
  const summaries: Array<Promise<ClientHelloSummary>> = [];

  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      const p = readClientHelloSummary(socket);
      summaries.push(p);
      p.then(
        () => socket.destroy(),
        () => socket.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Connects with `options`, returns the summary the server read; the handshake itself fails (the server hangs up). */
  async function capture(options: tls.ConnectionOptions): Promise<ClientHelloSummary> {
    const before = summaries.length;
    const client = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    const closed = new Promise<void>((resolve) => {
      client.on('error', () => {});
      client.on('close', () => resolve());
    });
    await closed;
    expect(summaries.length).toBe(before + 1);
    return summaries[before]!;
  }

  it("ecdhCurve '*X25519MLKEM768:*X25519:P-256' → groups [4588, 29, 23], key shares [4588, 29]", async () => {
    const s = await capture({ ecdhCurve: '*X25519MLKEM768:*X25519:P-256', servername: 'example.test' });
    expect(s.groups).toEqual([4588, 29, 23]);
    expect(s.keyShareGroups).toEqual([4588, 29]);
    // Node's default minVersion is TLSv1.2.
    expect(s.versions).toEqual([0x0304, 0x0303]);
    expect(s.serverName).toBe('example.test');
    expect(s.cipherSuites).toEqual(expect.arrayContaining([0x1301, 0x1302, 0x1303]));
  });

  it("ecdhCurve 'X25519:X25519MLKEM768' without '*' → key share for the first group only", async () => {
    const s = await capture({ ecdhCurve: 'X25519:X25519MLKEM768' });
    expect(s.groups).toEqual([29, 4588]);
    expect(s.keyShareGroups).toEqual([29]);
  });

  it("ecdhCurve '*SecP256r1MLKEM768:SecP384r1MLKEM1024' TLS 1.3-only, AES-GCM only", async () => {
    const s = await capture({
      ecdhCurve: '*SecP256r1MLKEM768:SecP384r1MLKEM1024',
      minVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256',
    });
    expect(s.groups).toEqual([4587, 4589]);
    expect(s.keyShareGroups).toEqual([4587]);
    expect(s.versions).toEqual([0x0304]);
    expect(s.cipherSuites.filter((c) => c >= 0x1301 && c <= 0x1305)).toEqual([0x1302, 0x1301]);
  });

  it("maxVersion 'TLSv1.2' → versions [0x0303] (no supported_versions), no key shares", async () => {
    const s = await capture({ maxVersion: 'TLSv1.2', ecdhCurve: 'X25519:P-256' });
    expect(s.versions).toEqual([0x0303]);
    expect(s.keyShareGroups).toEqual([]);
    expect(s.groups).toEqual([29, 23]);
  });

  it("ciphers 'TLS_CHACHA20_POLY1305_SHA256' → the only TLS 1.3 suite is 0x1303", async () => {
    const s = await capture({ ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'SecP256r1MLKEM768' });
    expect(s.cipherSuites.filter((c) => c >= 0x1301 && c <= 0x1305)).toEqual([0x1303]);
    expect(selectGroup(getPolicy('fips-strict'), s)).toEqual(refused('no_shared_cipher'));
  });

  it('non-TLS bytes → ClientHelloError not_tls', async () => {
    const before = summaries.length;
    const c = net.connect(port, '127.0.0.1', () => c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    c.on('error', () => {});
    await new Promise<void>((resolve) => c.on('close', () => resolve()));
    const error = await summaries[before]!.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientHelloError);
    expect((error as ClientHelloError).reason).toBe('not_tls');
  });
});
