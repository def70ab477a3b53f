/**
 * The group OpenSSL 3.5 picks as a TLS 1.3 server under a policy, derived
 * from the ClientHello alone — a Node server cannot ask OpenSSL
 * (`getEphemeralKeyInfo()` is null on the server side).
 *
 * OpenSSL 3.5's server selection with group tuples (SSL_CTX_set1_groups_list(3),
 * and tls_parse_ctos_key_share in ssl/statem/extensions_srvr.c), with the
 * server's preference (`honorCipherOrder`, SSL_OP_CIPHER_SERVER_PREFERENCE):
 *   1. take the first tier (tuple) in which the client supports any group;
 *   2. within it, the first group, in server order, the client sent a key
 *      share for: no HelloRetryRequest;
 *   3. otherwise the tier's first group the client supports, with a
 *      HelloRetryRequest asking for its key share.
 * A later tier is never used while an earlier one has a group the client
 * supports. spec/TRANSPORT.md §3 states it; the tests check it against Node,
 * Go and Chromium clients.
 * @module
 */
import type { ClientHelloSummary } from './client-hello.js';
import { TLS_GROUPS, type TlsGroupName } from './groups.js';
import { TLS13_CIPHER_SUITES, type TlsPolicy } from './policies.js';

const TLS_1_3 = 0x0304;

/** Why a server under a policy refuses a ClientHello. */
export type HelloRefusalReason = 'protocol_version' | 'no_shared_cipher' | 'no_shared_group';

export type GroupSelection =
  | { readonly accepted: true; readonly group: TlsGroupName; readonly helloRetry: boolean; readonly advisory: boolean }
  | { readonly accepted: false; readonly reason: HelloRefusalReason };

/** The outcome of a ClientHello under `policy`, checked in the order OpenSSL checks: version, cipher suite, group. */
export function selectGroup(policy: TlsPolicy, hello: ClientHelloSummary): GroupSelection {
  if (!hello.versions.includes(TLS_1_3)) return { accepted: false, reason: 'protocol_version' };
  if (!policy.cipherSuites.some((suite) => hello.cipherSuites.includes(TLS13_CIPHER_SUITES[suite]))) {
    return { accepted: false, reason: 'no_shared_cipher' };
  }
  for (const tier of policy.tiers) {
    const supported = tier.groups.filter((group) => hello.groups.includes(TLS_GROUPS[group].id));
    if (supported.length === 0) continue;
    const shared = supported.find((group) => hello.keyShareGroups.includes(TLS_GROUPS[group].id));
    return { accepted: true, group: shared ?? supported[0]!, helloRetry: shared === undefined, advisory: tier.advisory };
  }
  return { accepted: false, reason: 'no_shared_group' };
}
