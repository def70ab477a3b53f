/**
 * The policy matrix (spec/TRANSPORT.md §2): one row per policy, the only copy
 * of which groups each policy accepts, in which preference tiers, with which
 * key shares a client sends first, and which TLS 1.3 cipher suites.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import type { TlsGroupName } from './groups.js';

/**
 * A set of groups the server treats as equally good. OpenSSL 3.5 takes a
 * group from the first tier the client supports at all, and within it prefers
 * one the client already sent a key share for (no HelloRetryRequest); a later
 * tier is used only when the client supports nothing in the earlier ones.
 */
export interface PolicyTier {
  readonly groups: readonly TlsGroupName[];
  /** A handshake in this tier is accepted with a counted advisory (fips-advisory's non-NIST-hybrid groups). */
  readonly advisory: boolean;
}

export interface TlsPolicy {
  readonly name: TlsPolicyName;
  /** Server preference, best tier first. */
  readonly tiers: readonly PolicyTier[];
  /** Groups a client under this policy sends key shares for in its first ClientHello. */
  readonly clientKeyShares: readonly TlsGroupName[];
  /** TLS 1.3 cipher suites, in server preference order (OpenSSL names = RFC 8446 names). */
  readonly cipherSuites: readonly TlsCipherSuite[];
}

/** TLS 1.3 cipher suites (RFC 8446 §B.4) and their code points. */
export const TLS13_CIPHER_SUITES = Object.freeze({
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_GCM_SHA256: 0x1301,
});
export type TlsCipherSuite = keyof typeof TLS13_CIPHER_SUITES;

const ALL_TLS13: readonly TlsCipherSuite[] = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];
// fips-strict: AES-GCM only, the TLS 1.3 suites SP 800-52r2 §3.3.1.2 approves.
const AES_GCM: readonly TlsCipherSuite[] = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'];

const HYBRID_TIER: PolicyTier = { groups: ['X25519MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024'], advisory: false };
const NIST_HYBRID_TIER: PolicyTier = { groups: ['SecP256r1MLKEM768', 'SecP384r1MLKEM1024'], advisory: false };

function freezePolicy(policy: TlsPolicy): TlsPolicy {
  for (const tier of policy.tiers) Object.freeze(tier.groups), Object.freeze(tier);
  Object.freeze(policy.tiers);
  Object.freeze(policy.clientKeyShares);
  Object.freeze(policy.cipherSuites);
  return Object.freeze(policy);
}

export const TLS_POLICIES = Object.freeze({
  'hybrid-only': freezePolicy({
    name: 'hybrid-only',
    tiers: [HYBRID_TIER],
    clientKeyShares: ['X25519MLKEM768'],
    cipherSuites: ALL_TLS13,
  }),
  'hybrid-with-classical-fallback': freezePolicy({
    name: 'hybrid-with-classical-fallback',
    tiers: [HYBRID_TIER, { groups: ['X25519', 'secp256r1'], advisory: false }],
    clientKeyShares: ['X25519MLKEM768', 'X25519'],
    cipherSuites: ALL_TLS13,
  }),
  'fips-advisory': freezePolicy({
    name: 'fips-advisory',
    tiers: [
      NIST_HYBRID_TIER,
      { groups: ['X25519MLKEM768'], advisory: true },
      { groups: ['secp256r1', 'secp384r1', 'X25519'], advisory: true },
    ],
    clientKeyShares: ['SecP256r1MLKEM768', 'X25519MLKEM768'],
    cipherSuites: ALL_TLS13,
  }),
  'fips-strict': freezePolicy({
    name: 'fips-strict',
    tiers: [NIST_HYBRID_TIER],
    clientKeyShares: ['SecP256r1MLKEM768'],
    cipherSuites: AES_GCM,
  }),
} satisfies Record<string, TlsPolicy>);

export type TlsPolicyName = 'hybrid-only' | 'hybrid-with-classical-fallback' | 'fips-advisory' | 'fips-strict';

export const TLS_POLICY_NAMES = Object.freeze(Object.keys(TLS_POLICIES) as TlsPolicyName[]);

/** The policy named `name`; an unknown name is ERR_INVALID_ARGUMENT listing the names there are. */
export function getPolicy(name: string): TlsPolicy {
  if (!Object.hasOwn(TLS_POLICIES, name)) {
    throw new InvalidArgumentError('policy', `unknown TLS policy ${JSON.stringify(name)}; the policies are ${TLS_POLICY_NAMES.join(', ')}`);
  }
  return TLS_POLICIES[name as TlsPolicyName];
}

/** Every group the policy accepts, in server preference order. */
export function acceptedGroups(policy: TlsPolicy): TlsGroupName[] {
  return policy.tiers.flatMap((tier) => tier.groups);
}

/** Whether a handshake on `group` under `policy` carries an advisory; undefined when the policy refuses the group. */
export function isAdvisory(policy: TlsPolicy, group: TlsGroupName): boolean | undefined {
  return policy.tiers.find((tier) => tier.groups.includes(group))?.advisory;
}
