// spec/MESH.md's refusal and metric tables are the documentation of
// refusals.ts, errors.ts and metrics.ts: a change to either must show in the other.
import { readFileSync } from 'node:fs';
import { markdownTableAfter } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_LENGTH, MAX_KEY_NAME_LENGTH, MAX_SEALED_PAYLOAD_LENGTH, MESH_METRICS, REFUSAL_CODES, REFUSAL_REASON_DESCRIPTIONS, REFUSAL_REASONS } from '../src/index.js';
import { MAX_PATTERN_LENGTH, MAX_RECORD_NAME_LENGTH, STORAGE_TIER_BYTES, STORAGE_TIERS } from '../src/directory/record.js';

const spec = readFileSync(new URL('../../../spec/MESH.md', import.meta.url), 'utf8');

const tableAfter = (heading: string): string[][] => markdownTableAfter(spec, heading);

const unquote = (cell: string) => cell.replaceAll('`', '');

describe('spec/MESH.md', () => {
  it('§4 lists every refusal reason in opening order, with its code and description', () => {
    const rows = tableAfter('## 4. Opening order and refusal reasons');
    expect(rows.map((row) => unquote(row[0]!))).toEqual([...REFUSAL_REASONS]);
    const steps = rows.map((row) => Number(row[1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBe(1);
    for (const row of rows) {
      const reason = unquote(row[0]!) as (typeof REFUSAL_REASONS)[number];
      expect(row[2]).toBe(reason === 'malformed' ? "the decoder's (§2.3)" : `\`${REFUSAL_CODES[reason]}\``);
      expect(row[3]).toBe(REFUSAL_REASON_DESCRIPTIONS[reason]);
    }
  });

  it('§6 lists every metric with its type and labels', () => {
    const rows = tableAfter('<!-- metrics-table');
    expect(rows.map((row) => [unquote(row[0]!), row[1], row[2] ? row[2].split(', ') : []])).toEqual(
      Object.values(MESH_METRICS).map((m) => [m.name, m.type, [...m.labels]]),
    );
  });

  it('§2.1 and §3 give the bounds the code enforces', () => {
    expect(spec).toContain(`| 76 | 1 | key name length n, 1 ≤ n ≤ ${MAX_KEY_NAME_LENGTH} |`);
    expect(spec).toContain(`| 77 + n | 4 | sealed payload length L, 1 ≤ L ≤ ${MAX_SEALED_PAYLOAD_LENGTH} |`);
    expect(spec).toContain(`of the key, 1 to ${MAX_KEY_LENGTH} bytes |`);
    expect(spec).toContain(`| 22 | 1 | name length n, 1 ≤ n ≤ ${MAX_RECORD_NAME_LENGTH} |`);
    expect(spec).toContain(`| 43 + n + K + G | 1 | p: key-name pattern length, 0 ≤ p ≤ ${MAX_PATTERN_LENGTH} |`);
    // The storage-tier row names every tier with its byte.
    const tierRow = spec.split('\n').find((l) => l.startsWith('| 21 | 1 | key-storage tier'));
    expect(tierRow).toBeDefined();
    for (const t of STORAGE_TIERS) expect(tierRow).toContain(`\`0x${STORAGE_TIER_BYTES[t].toString(16).padStart(2, '0')}\``);
    expect(spec).toContain('`0x01` (`passphrase-file`)');
    expect(spec).toContain('`0x02` (`pkcs11`)');
  });
});
