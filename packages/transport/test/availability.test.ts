// On a Node whose OpenSSL predates 3.5 (Node 22.19.0 in scripts/test-node-versions.sh)
// every entry point throws TlsUnavailableError naming the Node versions that
// work and the one running; on Node >= 22.20 / 24.5 they work.
import { describe, expect, it } from 'vitest';
import { clientGroupReportUnavailableReason, connect, createServer, hybridTlsUnavailableReason, tlsOptions, TlsUnavailableError } from '../src/index.js';

const [major, minor] = (process.versions.openssl ?? '0.0').split('.').map(Number) as [number, number];
const opensslHasHybridGroups = major > 3 || (major === 3 && minor >= 5);

if (!opensslHasHybridGroups) describe(`Node ${process.version} (OpenSSL ${process.versions.openssl}): unavailable`, () => {
  const expected =
    `@hybridkem/transport needs Node.js >= 22.20.0 (22.x) or >= 24.5.0 (24.x and later), which bundle OpenSSL 3.5 ` +
    `with the hybrid TLS groups; this is Node.js ${process.version} with OpenSSL ${process.versions.openssl}`;

  it('says why, naming the Node needed and the one running', () => {
    expect(hybridTlsUnavailableReason()).toBe(expected);
  });

  it('tlsOptions, createServer and connect throw TlsUnavailableError (ERR_TLS_UNAVAILABLE)', () => {
    for (const call of [
      () => tlsOptions('hybrid-only'),
      () => createServer('fips-strict'),
      () => connect('hybrid-with-classical-fallback', { port: 1 }),
    ]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TlsUnavailableError);
      expect((error as TlsUnavailableError).code).toBe('ERR_TLS_UNAVAILABLE');
      expect((error as Error).message).toBe(expected);
    }
  });
});

if (opensslHasHybridGroups) describe(`Node ${process.version} (OpenSSL ${process.versions.openssl}): available`, () => {
  it('has no reason to refuse and gives the policy options', () => {
    expect(hybridTlsUnavailableReason()).toBeUndefined();
    expect(tlsOptions('hybrid-with-classical-fallback')).toEqual({
      ecdhCurve: '*X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024/*X25519:P-256',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
      honorCipherOrder: true,
    });
    expect(tlsOptions('fips-strict')).toEqual({
      ecdhCurve: '*SecP256r1MLKEM768:SecP384r1MLKEM1024',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256',
      honorCipherOrder: true,
    });
  });

  it('an unknown policy is ERR_INVALID_ARGUMENT listing the policies', () => {
    expect(() => tlsOptions('hybrid' as never)).toThrow(
      'policy: unknown TLS policy "hybrid"; the policies are hybrid-only, hybrid-with-classical-fallback, fips-advisory, fips-strict',
    );
  });
});

// connect() also needs Node to name the group it negotiated: 24.19+ and 26.5+ do; Node 22 does not.
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number) as [number, number];
const namesGroups = (nodeMajor === 24 && nodeMinor >= 19) || (nodeMajor === 26 && nodeMinor >= 5) || nodeMajor > 26;

if (opensslHasHybridGroups && !namesGroups) describe(`Node ${process.version}: hybrid TLS, but connect() cannot report the group`, () => {
  it('connect throws TlsUnavailableError naming the Nodes that can and what to use here; tlsOptions works', () => {
    const expected =
      `@hybridkem/transport's connect() needs Node.js >= 24.19.0 (24.x) or >= 26.5.0 (26.x and later), whose ` +
      `getEphemeralKeyInfo() names the hybrid TLS group; this is Node.js ${process.version}. Older Nodes with OpenSSL 3.5 ` +
      `negotiate the hybrid groups but cannot name them: tls.connect({ ...options, ...tlsOptions(policy) }) connects under ` +
      `the policy without the report`;
    expect(clientGroupReportUnavailableReason()).toBe(expected);
    expect(() => connect('hybrid-only', { port: 1 })).toThrow(expected);
    expect(() => connect('hybrid-only', { port: 1 })).toThrow(TlsUnavailableError);
    expect(tlsOptions('hybrid-only').ecdhCurve).toBe('*X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024');
  });
});

if (namesGroups) describe(`Node ${process.version}: connect() reports the group`, () => {
  it('has no reason to refuse', () => {
    expect(clientGroupReportUnavailableReason()).toBeUndefined();
  });
});
