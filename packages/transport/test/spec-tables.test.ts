// spec/TRANSPORT.md's group and policy tables are the documentation of
// groups.ts and policies.ts: a change to either must show in the other.
import { readFileSync } from 'node:fs';
import { markdownTableAfter } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import { GATEWAY_METRICS } from '../src/gateway/metrics.js';
import { REFUSAL_REASONS, TLS_GROUP_NAMES, TLS_GROUPS, TLS_POLICIES, TLS_POLICY_NAMES } from '../src/index.js';

const spec = readFileSync(new URL('../../../spec/TRANSPORT.md', import.meta.url), 'utf8');

const tableAfter = (heading: string): string[][] => markdownTableAfter(spec, heading);

const unquote = (cell: string) => cell.replaceAll('`', '');

describe('spec/TRANSPORT.md', () => {
  it('§1 lists every group with its code point, OpenSSL name and kind', () => {
    const rows = tableAfter('## 1. Groups');
    expect(rows.map((row) => unquote(row[0]!))).toEqual([...TLS_GROUP_NAMES]);
    for (const row of rows) {
      const group = TLS_GROUPS[unquote(row[0]!) as keyof typeof TLS_GROUPS];
      expect(row[1]).toBe(`\`0x${group.id.toString(16).toUpperCase().padStart(4, '0')}\` (${group.id})`);
      expect(unquote(row[2]!)).toBe(group.openssl);
      expect(row[3]!.startsWith('hybrid')).toBe(group.hybrid);
      expect(row[4]).toBe(group.nistCurve ? 'yes' : 'no');
    }
  });

  it('§2 gives every policy its tiers, advisories, key shares and cipher suites', () => {
    const rows = tableAfter('## 2. The policy matrix');
    expect(rows.map((row) => unquote(row[0]!))).toEqual([...TLS_POLICY_NAMES]);
    for (const row of rows) {
      const policy = TLS_POLICIES[unquote(row[0]!) as keyof typeof TLS_POLICIES];
      const tiers = row[1]!.split(' / ').map((tier) => ({
        advisory: tier.endsWith(' (advisory)'),
        groups: tier.replace(/ \(advisory\)$/, '').split(', '),
      }));
      expect(tiers).toEqual(policy.tiers.map((tier) => ({ advisory: tier.advisory, groups: [...tier.groups] })));
      expect(row[2]!.split(', ')).toEqual([...policy.clientKeyShares]);
      expect(row[3]!.split(', ')).toEqual([...policy.cipherSuites]);
    }
  });

  it('§3.1 lists every refusal reason, in order', () => {
    expect(tableAfter('### 3.1 Refusal reasons').map((row) => unquote(row[0]!))).toEqual([...REFUSAL_REASONS]);
  });

  it('§5 lists every gateway metric with its type and labels', () => {
    const rows = tableAfter('<!-- metrics-table');
    expect(rows.map((row) => [unquote(row[0]!), row[1], row[2] ? row[2].split(', ') : []])).toEqual(
      Object.values(GATEWAY_METRICS).map((m) => [m.name, m.type, [...m.labels]]),
    );
  });
});
