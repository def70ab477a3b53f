/**
 * The agent's process entry (dist/agent/main.js, spec/MESH.md §7.3) as a
 * user runs it: a missing option is a clean exit 1 naming it, no stack.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtDist } from './support/cluster.js';

describe('dist/agent/main.js', () => {
  it('exits 1 naming the missing options', () => {
    builtDist(); // "build first" when dist is missing or stale
    const r = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'agent', 'main.js'), '--node', 'n-1'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('hybridkem mesh agent: Error: --url, --store, --kem-private-key, --kem-public-key, --anchor are required');
  });

  it('refuses an unknown option', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'agent', 'main.js'), '--bogus'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^hybridkem mesh agent: TypeError: Unknown option '--bogus'/);
  });
});
