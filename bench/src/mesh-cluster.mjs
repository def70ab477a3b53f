/**
 * The mesh under faults at the bench's size (issue #16 item 3, spec/MESH.md
 * §7.4): a 3-server JetStream cluster on 127.0.0.1 (replicas 3), N node
 * agents as processes with file stores, M envelopes, the envelope stream's
 * leader SIGKILLed and restarted, agents SIGKILLed from outside and right
 * after a commit (before the ack), every envelope applied exactly once per
 * recipient. Full run: 100 nodes, 10 000 envelopes; smoke: 4 nodes, 40.
 *
 * The scenario is not copied here: it is runMeshCluster of
 * packages/mesh/test/support/cluster.ts, the harness packages/mesh's cluster
 * test runs at CI size (20 nodes, 1 000 envelopes). That file is TypeScript
 * importing the package's src/ and @hybridkem/test-runtimes (TypeScript
 * sources, never built), so it is bundled with esbuild (the bench's own
 * dependency) and imported: relative imports (mesh src/) and
 * @hybridkem/test-runtimes go into the bundle, every other package stays
 * external and resolves from packages/mesh/node_modules, as it does for the
 * test. The harness finds the package (its dist/, which the agents run, and
 * test/support/chaos-agent.mjs) by walking up from the bundle to
 * @hybridkem/mesh's package.json; the bundle is written into a snapshot of
 * those files under packages/mesh/node_modules/.cache/hybridkem-bench/, so
 * the agents (re)started during the minutes of a full run all run the dist
 * the run began with: a rebuild of packages/mesh meanwhile (tsup empties
 * dist/ first) would otherwise make a restarted agent fail to load.
 *
 * Bundling rather than spawning vitest on the cluster test with
 * MESH_CLUSTER_NODES / MESH_CLUSTER_ENVELOPES and parsing its
 * `mesh cluster result:` line: the result comes back as the object, not
 * scraped from a log that vitest may interleave, truncate or reformat; a
 * missing nats-server is an error here, not a skipped test with no line
 * to parse; the run lives in the bench process, so its processes are
 * stopped by the harness's `finally` and, on Ctrl-C or a crash, by
 * @hybridkem/core/testing's exit hook (below); and nothing depends on the
 * test's own time limit, reporter or vitest config. The cost is one esbuild
 * call (well under a second), made on every run so the bundle is never older
 * than the harness.
 * @module
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { formatTable } from './report.mjs';

/** The fault run's size. */
export const MESH_CLUSTER = Object.freeze({
  full: Object.freeze({ nodes: 100, envelopes: 10_000 }),
  smoke: Object.freeze({ nodes: 4, envelopes: 40 }),
});
/**
 * Bounds of --mesh-nodes / --mesh-envelopes. Each node is a Node.js process
 * (about 100 MB resident, measured at full size), so 150 of them hold about
 * 15 GB; the issuer sends at least one envelope to each node; the time
 * allowed grows by 60 ms per envelope, so 50 000 envelopes may take up to
 * 50 minutes.
 */
export const MESH_CLUSTER_BOUNDS = Object.freeze({ maxNodes: 150, maxEnvelopes: 50_000 });

/** The time allowed (ms), as packages/mesh/test/cluster.test.ts gives it: 170 s, or 60 ms per envelope when more. */
export function meshClusterTimeoutMs(envelopes) {
  return Math.max(170_000, envelopes * 60);
}

const MESH_DIR = dirname(fileURLToPath(import.meta.resolve('@hybridkem/mesh/package.json')));
const HARNESS = join(MESH_DIR, 'test', 'support', 'cluster.ts');
const CACHE_DIR = join(MESH_DIR, 'node_modules', '.cache', 'hybridkem-bench');

/**
 * A snapshot of what the harness and its agents load from packages/mesh
 * (package.json, dist/, src/ with their times, for the harness's check that
 * dist/ is not older than src/, and the chaos agent), in a folder of its own
 * under CACHE_DIR: { dir, remove() }.
 */
function snapshotPackage() {
  mkdirSync(CACHE_DIR, { recursive: true });
  const dir = mkdtempSync(join(CACHE_DIR, 'run-'));
  try {
    for (const path of ['package.json', 'dist', 'src', join('test', 'support', 'chaos-agent.mjs')]) {
      cpSync(join(MESH_DIR, path), join(dir, path), { recursive: true, preserveTimestamps: true });
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mesh cluster: copying packages/mesh (${error.message}); build it first: scripts/pnpm --filter @hybridkem/mesh build`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles the harness (see the module comment) into `dir` (a package
 * snapshot) and imports it.
 */
export async function loadMeshClusterHarness(dir) {
  const result = await build({
    entryPoints: [HARNESS],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: join(dir, 'bench', 'cluster.mjs'),
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'workspace-packages-external',
        setup(b) {
          // Bare specifiers (node:*, @hybridkem/core, @nats-io/*, …) stay imports, except test-runtimes (TypeScript source).
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path === '@hybridkem/test-runtimes' || args.path.startsWith('@hybridkem/test-runtimes/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const file = result.outputFiles[0].path;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, result.outputFiles[0].contents);
  const harness = await import(pathToFileURL(file).href);
  if (typeof harness.runMeshCluster !== 'function') throw new Error(`mesh cluster: ${HARNESS} no longer exports runMeshCluster`);
  return harness;
}

/**
 * Ctrl-C or SIGTERM during the run: exit through process.exit, so that
 * @hybridkem/core/testing's exit hook SIGKILLs every process group the
 * harness started (the agents and nats-servers lead groups of their own and
 * would not get the terminal's signal). Returns the function that removes the
 * handlers.
 */
function exitOnSignals() {
  const handlers = ['SIGINT', 'SIGTERM'].map((signal) => {
    const handler = () => {
      process.stderr.write(`\nbench: mesh cluster: ${signal}, stopping its processes\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler];
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * Runs the fault scenario once: { ...MeshClusterResult, perSecond, timeoutMs,
 * loadAverage: { start, end } (1-minute), events (the harness's lines),
 * problems (exactly-once violations: empty when it held), notes }.
 */
export async function runMeshClusterBench({ nodes, envelopes, progress = () => {} }) {
  const snapshot = snapshotPackage();
  const timeoutMs = meshClusterTimeoutMs(envelopes);
  const events = [];
  const loadStart = os.loadavg()[0];
  const removeHandlers = exitOnSignals();
  // After process.exit too (Ctrl-C above): this hook runs after core/testing's, which kills the agents first.
  process.once('exit', snapshot.remove);
  let r;
  try {
    const harness = await loadMeshClusterHarness(snapshot.dir);
    progress(`mesh cluster: ${nodes} node agents, ${envelopes} envelopes (up to ${Math.round(timeoutMs / 1000)} s)`);
    r = await harness.runMeshCluster({
      nodes,
      envelopes,
      timeoutMs,
      log: (line) => {
        events.push(line);
        progress(line.slice(0, 160));
      },
    });
  } finally {
    removeHandlers();
    process.off('exit', snapshot.remove);
    snapshot.remove();
  }
  // What cluster.test.ts expects, as one list: any entry means exactly-once did not hold.
  const problems = [...r.failures];
  if (r.applied !== envelopes) problems.push(`${r.applied} journal entries for ${envelopes} envelopes`);
  if (r.duplicates > 0) problems.push(`${r.duplicates} envelopes applied twice`);
  if (r.missing > 0) problems.push(`${r.missing} envelopes never applied (within ${Math.round(timeoutMs / 1000)} s)`);
  if (r.unexpected > 0) problems.push(`${r.unexpected} journal entries of envelopes not sent to that node`);
  if (r.refused > 0) problems.push(`${r.refused} refusals other than replay`);
  if (r.unacknowledged !== 0) problems.push(r.unacknowledged < 0 ? 'no server said how many envelopes are left in the stream' : `${r.unacknowledged} envelopes never acknowledged`);
  if (r.agentCrashes > 0) problems.push(`${r.agentCrashes} agents exited by themselves`);
  // Faults that did not happen are not failures (at smoke size they may well not), but the run then proved less.
  const notes = [];
  if (r.serverKills === 0) notes.push('no nats-server was killed');
  if (r.agentExternalKills === 0) notes.push('no agent was killed from outside');
  if (r.agentSelfKills === 0) notes.push('no agent killed itself between a commit and its ack');
  return { ...r, perSecond: r.envelopes / (r.totalMs / 1000), timeoutMs, loadAverage: { start: loadStart, end: os.loadavg()[0] }, events, problems, notes };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The report: one table row, the other counts, the harness's lines, the verdict. */
export function meshClusterLines(c, { smoke }) {
  const out = [
    `${smoke ? 'SMOKE RUN (figures are not meaningful): ' : ''}Mesh under faults (packages/mesh/test/support/cluster.ts, spec/MESH.md §7.4): ` +
      `3 nats-servers (JetStream, replicas 3) on 127.0.0.1, ${c.nodes} node agents as processes (file node stores), ` +
      `backend ${c.backend}; the envelope stream's leader SIGKILLed after a third of the envelopes and restarted 2 s later, ` +
      'agents SIGKILLed from outside and by themselves between a commit and its ack, all restarted. Counted from the journals on disk; ' +
      `total = setup (servers, directory, agents) to the last acknowledgement; envelopes/s = envelopes / total. ` +
      `Load average (1 min) ${c.loadAverage.start.toFixed(2)} at the start, ${c.loadAverage.end.toFixed(2)} at the end, ${os.availableParallelism()} cores.`,
    '',
    formatTable(
      [
        { title: 'nodes', align: 'right' },
        { title: 'envelopes', align: 'right' },
        { title: 'applied', align: 'right' },
        { title: 'duplicates', align: 'right' },
        { title: 'missing', align: 'right' },
        { title: 'redeliveries', align: 'right' },
        { title: 'agent kills (commit / outside)', align: 'right' },
        { title: 'NATS server kills', align: 'right' },
        { title: 'publish', align: 'right' },
        { title: 'total', align: 'right' },
        { title: 'envelopes/s', align: 'right' },
      ],
      [
        [
          c.nodes,
          c.envelopes,
          c.applied,
          c.duplicates,
          c.missing,
          c.redeliveries,
          `${c.agentSelfKills + c.agentExternalKills} (${c.agentSelfKills} / ${c.agentExternalKills})`,
          c.serverKills,
          seconds(c.publishMs),
          seconds(c.totalMs),
          c.perSecond.toFixed(1),
        ],
      ],
    ),
    '',
    `  also: unexpected ${c.unexpected}, unacknowledged ${c.unacknowledged}, refused ${c.refused}, publish duplicates ${c.publishDuplicates}, ` +
      `agent restarts ${c.agentRestarts}, agent crashes ${c.agentCrashes}; issuer published ${(c.envelopes / (c.publishMs / 1000)).toFixed(1)} envelopes/s`,
    ...c.events.map((line) => `  ${(line.length > 500 ? `${line.slice(0, 500)}…` : line).replaceAll('\n', '\n    ')}`),
  ];
  for (const note of c.notes) out.push(`  note: ${note} (the run proved less than it can)`);
  out.push(
    c.problems.length === 0
      ? `every envelope applied exactly once per recipient (${c.applied})`
      : `FAILURES (exactly-once did not hold):\n${c.problems.map((p) => `  ${p}`).join('\n')}`,
  );
  return out;
}
