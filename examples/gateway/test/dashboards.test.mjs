// The Grafana dashboards decode strictly against Grafana's dashboard schema
// (grafana-foundation-sdk's generated Go types, via dashboard-check/), and a
// dashboard with an unknown field or a wrongly typed value does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireRuntime } from './support.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DASHBOARDS = ['hybridkem-gateway.json', 'hybridkem-mesh.json'].map((f) => here(`../grafana/${f}`));
let dir;
let checker;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-dash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Builds dashboard-check once, offline: the module was downloaded beforehand (.ci/run). */
function build(t) {
  if (checker) return checker;
  if (!requireRuntime(t, 'go', 'Go toolchain; the module is fetched by `(cd examples/gateway/dashboard-check && go mod download)`')) return undefined;
  const out = join(dir, 'dashboard-check');
  const r = spawnSync('go', ['build', '-o', out, '.'], {
    cwd: here('../dashboard-check'),
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
  });
  assert.equal(r.status, 0, `go build dashboard-check failed: ${r.stderr}`);
  checker = out;
  return checker;
}

const run = (files) => spawnSync(checker, files, { encoding: 'utf8', timeout: 60_000 });

test('both dashboards pass the strict schema check, every panel and query included', async (t) => {
  if (!build(t)) return;
  const r = run(DASHBOARDS);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const file of DASHBOARDS) {
    const d = JSON.parse(await readFile(file, 'utf8'));
    assert.ok(r.stdout.includes(`ok ${file} panels=${d.panels.length}\n`), r.stdout);
    // Import asks for the Prometheus datasource; every panel and query uses it.
    assert.deepEqual(d.__inputs.map((i) => [i.name, i.type, i.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']]);
    for (const p of d.panels) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      for (const q of p.targets) assert.deepEqual(q.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' });
    }
  }
});

const BREAKAGES = [
  ['an unknown dashboard field', (d) => { d.colour = 'blue'; }, /unexpected field 'colour'/],
  ['an unknown panel field', (d) => { d.panels[0].queries = []; }, /panels\[0\].*unexpected field 'queries'/],
  ['a wrong type in gridPos', (d) => { d.panels[1].gridPos.w = 'wide'; }, /gridPos\.w.*cannot unmarshal string/],
  ['a wrong type in schemaVersion', (d) => { d.schemaVersion = '39'; }, /schemaVersion.*cannot unmarshal string/],
  ['an unknown option of the panel type', (d) => { d.panels[0].options.legend.colour = 'red'; }, /options.*unexpected field 'colour'/],
  ['a wrong option type', (d) => { d.panels[0].options.tooltip.mode = 3; }, /options.*tooltip.*cannot unmarshal number/],
  ['an unknown query field', (d) => { d.panels[0].targets[0].exp = 'up'; }, /targets\[0\].*unexpected field 'exp'/],
  ['no datasource input', (d) => { d.__inputs = []; }, /no datasource input DS_PROMETHEUS/],
];

for (const [what, breakIt, message] of BREAKAGES) {
  test(`a dashboard with ${what} fails the check`, async (t) => {
    if (!build(t)) return;
    const d = JSON.parse(await readFile(DASHBOARDS[0], 'utf8'));
    breakIt(d);
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(d));
    const r = run([file]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, message);
  });
}
