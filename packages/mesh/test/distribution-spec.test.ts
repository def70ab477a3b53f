/**
 * spec/MESH.md §7 names the distribution's stream, bucket, subjects,
 * consumer names and size bounds; this holds the text to the code's
 * constants (the settings themselves are checked against a running server
 * in distribution-nats.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumerName, DIRECTORY_BUCKET, ENVELOPE_STREAM, ENVELOPE_SUBJECT_PREFIX, MAX_DIRECTORY_RECORD_BYTES, MAX_ENVELOPE_BYTES } from '../src/index.js';

const spec = readFileSync(join(__dirname, '..', '..', '..', 'spec', 'MESH.md'), 'utf8');
const section = spec.slice(spec.indexOf('## 7. Distribution'), spec.indexOf('\n## 8.'));
const grouped = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

describe('spec/MESH.md §7 and the code', () => {
  it('has the section', () => {
    expect(section.length).toBeGreaterThan(1000);
    for (const h of ['### 7.1', '### 7.2', '### 7.3', '### 7.4', '### 7.5', '### 7.6']) expect(section).toContain(h);
  });

  it('names the stream, the bucket, the subjects and the consumers as the code does', () => {
    expect(section).toContain(`stream \`${ENVELOPE_STREAM}\``);
    expect(section).toContain(`KV bucket \`${DIRECTORY_BUCKET}\``);
    expect(section).toContain(`\`${ENVELOPE_SUBJECT_PREFIX}*\``);
    expect(section).toContain(`\`${ENVELOPE_SUBJECT_PREFIX}N\``);
    expect(consumerName('N')).toBe('node-N');
    expect(section).toContain('pull consumer `node-N`');
  });

  it('gives the size bounds the code enforces', () => {
    expect(section).toContain(`${grouped(MAX_ENVELOPE_BYTES)} bytes (\`MAX_ENVELOPE_BYTES\``);
    expect(section).toContain(`to ${grouped(MAX_DIRECTORY_RECORD_BYTES)} (\`MAX_DIRECTORY_RECORD_BYTES\`)`);
    expect(section).toMatch(/\| max message size \| 32 768 bytes \|/);
    expect(section).toMatch(/\| max value size \| 16 384 bytes \|/);
    expect(section).toMatch(/\| max ack pending \| 1 \|/);
  });
});
