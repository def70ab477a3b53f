// prometheus/prometheus.yml passes promtool's own check, and a broken copy does not (so the check checks).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireRuntime } from './support.mjs';

const config = fileURLToPath(new URL('../prometheus/prometheus.yml', import.meta.url));
const promtool = (file) => spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 60_000 });

test('promtool check config accepts prometheus/prometheus.yml', (t) => {
  if (!requireRuntime(t, 'promtool', 'Debian package prometheus; scripts/setup-examples-toolchain.sh installs it')) return;
  const r = promtool(config);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /SUCCESS/);
});

test('promtool check config refuses a broken copy', async (t) => {
  if (!requireRuntime(t, 'promtool', 'Debian package prometheus; scripts/setup-examples-toolchain.sh installs it')) return;
  const dir = await mkdtemp(join(tmpdir(), 'gateway-prom-'));
  try {
    const text = await readFile(config, 'utf8');
    // A scrape interval that is not a duration, and a job without a name.
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, text.replace('scrape_interval: 15s', 'scrape_interval: fifteen').replace('job_name: hybridkem-mesh-agent', 'job_name: ""'));
    const r = promtool(broken);
    assert.notEqual(r.status, 0, 'promtool accepted a broken config');
    assert.match(r.stdout + r.stderr, /FAILED|error/i);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
