/**
 * Go 1.26 crypto/tls clients (interop/go/cmd/hktls) against createServer under
 * each policy: the server's derived group must equal the group Go reports
 * (ConnectionState().CurveID) every time, and the literal in the table.
 *
 * What Go 1.26 sends (observed with readClientHelloSummary): by default
 * supported_groups [4588 X25519MLKEM768, 4587 SecP256r1MLKEM768, 4589
 * SecP384r1MLKEM1024, 29, 23, 24, 25] with key shares [4588, 29]. Go ignores the
 * order of CurvePreferences (since Go 1.24 it applies its own preference), so
 * `groups: [29, 4588]` still puts 4588 first with key shares [4588, 29]; a
 * hybrid group first brings the X25519 share along only when X25519 is in the
 * list.
 *
 * A TCP relay in front of each server counts the ClientHello records, so the
 * derived helloRetry is checked against the wire too (Go does not report it).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupById, type TlsGroupName } from '../src/tls/groups.js';
import type { RefusalReason } from '../src/tls/handshake-info.js';
import type { TlsPolicyName } from '../src/tls/policies.js';
import { makeTestCertificate } from './support/certs.js';
import { buildGoTlsClient, runGoTlsClient, type GoTlsResult } from './support/go-client.js';
import { startPolicyServer, type PolicyFixture } from './support/policy-server.js';

/** Whether the Go toolchain is here; under CI=true its absence throws (a failure, never a skip). */
function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`the go toolchain is missing; under CI=true the Go interop tests must run (${String(error)})`);
    return false;
  }
}

const POLICIES = ['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory', 'fips-strict'] as const satisfies readonly TlsPolicyName[];
const SETTLE_TIMEOUT_MS = 10_000;

// IANA code points, written out.
const X25519MLKEM768 = 4588;
const SecP256r1MLKEM768 = 4587;
const SecP384r1MLKEM1024 = 4589;
const X25519 = 29;
const P256 = 23;

type Expected =
  | { readonly group: TlsGroupName; readonly id: number; readonly helloRetry: boolean; readonly advisory: boolean }
  | { readonly refused: RefusalReason };
const acc = (group: TlsGroupName, id: number, helloRetry: boolean, advisory = false): Expected => ({ group, id, helloRetry, advisory });
const ref = (refused: RefusalReason): Expected => ({ refused });

interface GoClientKind {
  readonly name: string;
  readonly groups: number[] | undefined;
  readonly expected: Readonly<Record<TlsPolicyName, Expected>>;
}

const by = (hybridOnly: Expected, fallback: Expected, advisory: Expected, strict: Expected): Record<TlsPolicyName, Expected> => ({
  'hybrid-only': hybridOnly,
  'hybrid-with-classical-fallback': fallback,
  'fips-advisory': advisory,
  'fips-strict': strict,
});

const GO_CLIENTS: readonly GoClientKind[] = [
  {
    // Go 1.26 defaults include SecP256r1MLKEM768 but send key shares only for X25519MLKEM768 and X25519.
    // fips-advisory: its first tier (SecP256r1MLKEM768, SecP384r1MLKEM1024) has a group Go supports, so
    // OpenSSL 3.5 takes that tier and asks for a SecP256r1MLKEM768 key share (HelloRetryRequest) rather
    // than use the X25519MLKEM768 share Go sent, which is only in the (advisory) second tier: a later
    // tuple is never used while an earlier one has a group the client supports (SSL_CTX_set1_groups_list(3)).
    name: 'Go defaults',
    groups: undefined,
    expected: by(
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, true),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, true),
    ),
  },
  {
    name: 'groups [4587] (SecP256r1MLKEM768 only)',
    groups: [SecP256r1MLKEM768],
    expected: by(
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, false),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, false),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, false),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, false),
    ),
  },
  {
    // key share [4588] only
    name: 'groups [4588, 4587]',
    groups: [X25519MLKEM768, SecP256r1MLKEM768],
    expected: by(
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, true),
      acc('SecP256r1MLKEM768', SecP256r1MLKEM768, true),
    ),
  },
  {
    name: 'groups [4589] (SecP384r1MLKEM1024 only)',
    groups: [SecP384r1MLKEM1024],
    expected: by(
      acc('SecP384r1MLKEM1024', SecP384r1MLKEM1024, false),
      acc('SecP384r1MLKEM1024', SecP384r1MLKEM1024, false),
      acc('SecP384r1MLKEM1024', SecP384r1MLKEM1024, false),
      acc('SecP384r1MLKEM1024', SecP384r1MLKEM1024, false),
    ),
  },
  {
    // Go reorders to [4588, 29] with key shares [4588, 29]: no NIST hybrid, so fips-advisory's second tier, advisory.
    name: 'groups [29, 4588] (Go applies its own order)',
    groups: [X25519, X25519MLKEM768],
    expected: by(
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('X25519MLKEM768', X25519MLKEM768, false),
      acc('X25519MLKEM768', X25519MLKEM768, false, true),
      ref('no_shared_group'),
    ),
  },
  {
    name: 'groups [29] (X25519 only)',
    groups: [X25519],
    expected: by(ref('no_shared_group'), acc('X25519', X25519, false), acc('X25519', X25519, false, true), ref('no_shared_group')),
  },
  {
    name: 'groups [23] (P-256 only)',
    groups: [P256],
    expected: by(ref('no_shared_group'), acc('secp256r1', P256, false), acc('secp256r1', P256, false, true), ref('no_shared_group')),
  },
];

// ---------------------------------------------------------------------------

const cert = makeTestCertificate();

const fixtures = new Map<TlsPolicyName, PolicyFixture>();
const observed: string[] = [];

describe.skipIf(!goAvailable())('Go 1.26 crypto/tls client against createServer', () => {
  beforeAll(async () => {
    await buildGoTlsClient();
    for (const policy of POLICIES) fixtures.set(policy, await startPolicyServer(policy, cert, { settleTimeoutMs: SETTLE_TIMEOUT_MS }));
  });

  afterAll(async () => {
    for (const f of fixtures.values()) await f.close();
    if (process.env.HK_PRINT_MATRIX) console.log(observed.join('\n'));
  });

  describe.each(POLICIES)('%s', (policy) => {
    it.each(GO_CLIENTS)('$name', async (kind) => {
      const f = fixtures.get(policy)!;
      const expected = kind.expected[policy];
      const before = f.relay.clientHellos.length;
      const serverOutcome = f.next();
      const goOutcome: Promise<GoTlsResult> = runGoTlsClient({ port: f.relay.port, ca: cert.certPath, groups: kind.groups, timeoutMs: 5_000 });
      const [server, go] = await Promise.all([serverOutcome, goOutcome]);
      expect(f.relay.clientHellos.length).toBe(before + 1);
      const clientHellos = f.relay.clientHellos[before]!;
      observed.push(
        `${policy} | Go ${kind.name} | server ${server.kind === 'negotiated' ? `${server.info.group} hrr=${server.info.helloRetry} adv=${server.info.advisory}` : `refused ${server.refusal.reason}`}` +
          ` | go ${go.ok ? go.group : 'error'} | ClientHellos ${clientHellos}`,
      );

      if ('refused' in expected) {
        expect(go.ok).toBe(false);
        expect(server.kind).toBe('refused');
        if (server.kind === 'refused') expect(server.refusal.reason).toBe(expected.refused);
        expect(clientHellos).toBe(1);
        return;
      }
      expect(go.ok, go.ok ? '' : go.error).toBe(true);
      expect(server.kind, server.kind === 'refused' ? `${server.refusal.reason}: ${server.refusal.detail}` : '').toBe('negotiated');
      if (!go.ok || server.kind !== 'negotiated') return;
      // Derivation == what Go negotiated == the literal.
      expect(server.info.group).toBe(groupById(go.group));
      expect(go.group).toBe(expected.id);
      expect(server.info.group).toBe(expected.group);
      expect(server.info.helloRetry).toBe(expected.helloRetry);
      expect(server.info.advisory).toBe(expected.advisory);
      expect(server.info.hybrid).toBe(expected.group.includes('MLKEM'));
      expect(go.version).toBe('TLS 1.3');
      expect(clientHellos).toBe(expected.helloRetry ? 2 : 1);
      if (policy === 'fips-strict') expect([0x1301, 0x1302]).toContain(go.cipherSuite);
    });
  });

  it('every Go connection ended in exactly one negotiated or refused event', () => {
    for (const f of fixtures.values()) {
      expect(f.outcomes).toHaveLength(GO_CLIENTS.length);
      expect(f.relay.clientHellos).toHaveLength(GO_CLIENTS.length);
    }
  });
});
