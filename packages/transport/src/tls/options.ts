/**
 * `tlsOptions(policy)`: the options that put a `tls`, `https` or `http2`
 * server or client under a policy.
 * @module
 */
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { assertHybridTls } from './availability.js';
import { TLS_GROUPS } from './groups.js';
import { getPolicy, type TlsPolicy, type TlsPolicyName } from './policies.js';

/** The options `tlsOptions` returns: spread them last, so that nothing else overrides the policy. */
export type PolicyTlsOptions = Required<Pick<SecureContextOptions, 'ecdhCurve' | 'minVersion' | 'maxVersion' | 'ciphers'>> &
  Required<Pick<TlsOptions, 'honorCipherOrder'>>;

/**
 * OpenSSL's groups list for the policy: tiers separated by `/` (OpenSSL 3.5
 * group tuples), groups within a tier by `:`, and `*` before the groups a
 * client sends key shares for (a server ignores the `*`). See
 * SSL_CTX_set1_groups_list(3) in OpenSSL 3.5.
 */
export function opensslGroupsList(policy: TlsPolicy): string {
  return policy.tiers
    .map((tier) => tier.groups.map((g) => (policy.clientKeyShares.includes(g) ? '*' : '') + TLS_GROUPS[g].openssl).join(':'))
    .join('/');
}

/**
 * The options for a server or a client under `policy`: TLS 1.3 only (the
 * hybrid groups exist only in TLS 1.3), the policy's groups and cipher
 * suites, and the server's preference order (`honorCipherOrder`, which
 * OpenSSL also applies to groups). Throws TlsUnavailableError on a Node
 * without OpenSSL 3.5, ERR_INVALID_ARGUMENT for an unknown policy.
 */
export function tlsOptions(policy: TlsPolicyName): PolicyTlsOptions {
  const p = getPolicy(policy);
  assertHybridTls();
  return {
    ecdhCurve: opensslGroupsList(p),
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    // Node takes TLS 1.3 suite names in `ciphers` (it has no `ciphersuites` option).
    ciphers: p.cipherSuites.join(':'),
    honorCipherOrder: true,
  };
}
