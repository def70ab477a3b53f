/**
 * hybridkem benchmarks: keygen, encapsulate and decapsulate of every suite on
 * every backend that loads (native, wasm, noble), timed in the same process,
 * interleaved, against noble's own hybrid presets (the baseline for ratios)
 * and against ML-KEM alone (noble's ml_kem and the `mlkem` package). See
 * bench/README.md for how to read the results.
 *
 *   node src/index.mjs                 full run (about a minute)
 *   node src/index.mjs --smoke         a few ms per cell; CI checks that it runs, not how fast
 *   node src/index.mjs --json          JSON on stdout (the table goes to stderr)
 *   node src/index.mjs --out FILE      JSON to FILE, table on stdout
 *   node src/index.mjs --suite X-Wing  only some suites (repeatable, or comma-separated)
 *   node src/index.mjs --time 500      ms per implementation per round (default 250)
 *   node src/index.mjs --rounds 5      interleaved rounds (default 3)
 *
 * Nothing here asserts speed: the exit code is 0 unless something throws.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getSuite, probeBackends, SUITES, SuiteNotSupportedError } from '@hybridkem/core';
import { measure, OPERATIONS, PRESETS } from './measure.mjs';
import { resultsTable, summaryLines } from './report.mjs';
import { hybridkemSubject, mlkemReferences, NOBLE_HYBRID_PRESETS, nobleHybridSubject } from './subjects.mjs';

const { args, settings, suites } = parseCommandLine();
const jsonToStdout = args.json && args.out === undefined;
const print = jsonToStdout ? (line = '') => process.stderr.write(`${line}\n`) : (line = '') => console.log(line);
// Progress: one self-overwriting line on a terminal, nothing in CI logs.
const progress = process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[K${line}`) : () => {};

function parseCommandLine() {
  try {
    const { values: args } = parseArgs({
      options: {
        smoke: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        suite: { type: 'string', multiple: true },
        time: { type: 'string' },
        rounds: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (args.help) {
      const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
      console.log(source.slice(0, source.indexOf('*/')).replace(/^\/\*\*\n?|^ \* ?/gm, '').trimEnd());
      process.exit(0);
    }
    const settings = { ...(args.smoke ? PRESETS.smoke : PRESETS.full) };
    if (args.time !== undefined) settings.time = positiveNumber('--time', args.time);
    if (args.rounds !== undefined) settings.rounds = Math.round(positiveNumber('--rounds', args.rounds));
    const suites = args.suite ? args.suite.flatMap((s) => s.split(',')).map((s) => getSuite(s.trim())) : SUITES;
    return { args, settings, suites };
  } catch (error) {
    console.error(`bench: ${error.message} (see --help)`);
    process.exit(2);
  }
}

function positiveNumber(flag, text) {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${flag} expects a positive number, got "${text}"`);
  return n;
}

// What to time.
const probes = await probeBackends();
const backends = probes.filter((p) => p.available).map((p) => p.backend);
const references = new Map();
for (const name of new Set(suites.map((s) => s.mlkem.name))) references.set(name, await mlkemReferences(name));

const started = performance.now();
const rows = [];
const skipped = [];
const peers = new Map();
for (const suite of suites) {
  const subjects = [];
  for (const backend of backends) {
    try {
      subjects.push(hybridkemSubject(suite, backend));
    } catch (error) {
      if (!(error instanceof SuiteNotSupportedError)) throw error;
      skipped.push(error.message);
    }
  }
  const peer = nobleHybridSubject(suite, backends[0]);
  if (peer) {
    subjects.push(peer);
    peers.set(suite.name, peer);
  }
  subjects.push(...references.get(suite.mlkem.name));

  for (const operation of OPERATIONS) {
    progress(`timing ${suite.name} ${operation} (${subjects.length} implementations)`);
    const stats = measure(subjects, operation, settings);
    const baseline = peer ? stats[subjects.indexOf(peer)] : undefined;
    subjects.forEach((subject, i) => {
      rows.push({
        suite: suite.name,
        suiteId: suite.id,
        operation,
        implementation: subject.name,
        kind: subject.kind,
        ...(subject.backend ? { backend: subject.backend } : {}),
        baseline: subject === peer,
        ...stats[i],
        vsNobleHybrid: baseline ? stats[i].medianMs / baseline.medianMs : null,
      });
    });
  }
}
const elapsedSeconds = (performance.now() - started) / 1000;
progress('');

// Footnotes.
const differing = [...peers.values()].filter((p) => p.sameBytes === false);
const notes = [];
if (differing.length > 0) {
  notes.push(
    `[1] noble's ${differing.map((p) => p.exportName).join(' and ')} follow an older draft of ` +
      'draft-irtf-cfrg-concrete-hybrid-kems (other seed expansion and shared-point encoding) and do not produce ' +
      "hybridkem's bytes (checked at startup: same seed, different public key). Fine for timing, not interoperable.",
  );
}
const noPreset = suites.filter((s) => !NOBLE_HYBRID_PRESETS[s.name]).map((s) => s.name);
if (noPreset.length > 0) {
  notes.push(`    No noble hybrid preset exists for ${noPreset.join(', ')}, so no ratio there.`);
}
notes.push(
  '[2] ML-KEM alone, for the ML-KEM share of the cost. Its private key is the expanded decapsulation key, so its ' +
    'decapsulate skips the key derivation from the 32-byte seed that every hybrid here (ours and noble) repeats on each call.',
);
for (const p of probes.filter((p) => !p.available)) notes.push(`not loaded: ${p.name}: ${loadFailure(p.error)}`);
for (const s of skipped) notes.push(`skipped: ${s}`);

function loadFailure(error) {
  let root = error;
  while (root instanceof Error && root.cause) root = root.cause;
  return (root instanceof Error ? root.message : String(root)).split('\n')[0].replace(/ imported from \S+$/, '');
}

const label = (row) =>
  row.kind === 'reference' ? `${row.implementation} [2]` : differing.some((p) => p.name === row.implementation) ? `${row.implementation} [1]` : row.implementation;

const minSamples = Math.min(...rows.map((r) => r.samples));
print(
  `${args.smoke ? 'SMOKE RUN (numbers are not meaningful): ' : ''}` +
    `Node ${process.versions.node}, ${os.cpus()[0]?.model?.trim() ?? os.arch()} × ${os.availableParallelism()}; ` +
    `${settings.rounds} interleaved round${settings.rounds === 1 ? '' : 's'} of ≥ ${settings.time} ms per implementation, ` +
    `≥ ${minSamples} samples per cell.`,
);
print('median = p50 latency; ops/s = 1000 / median; ±MAD = median absolute deviation / median;');
print("vs noble hybrid = median / noble hybrid's median for the same suite and operation (below x1.00 is faster).");
print();
print(resultsTable(rows, label));
print();
for (const line of summaryLines(rows)) print(line);
for (const line of notes) print(line);
process.stderr.write(`done in ${elapsedSeconds.toFixed(1)} s\n`);

if (args.json || args.out !== undefined) {
  const json = JSON.stringify(report(), null, 2) + '\n';
  if (jsonToStdout) process.stdout.write(json);
  else {
    writeFileSync(args.out, json);
    process.stderr.write(`wrote ${args.out}\n`);
  }
}

function report() {
  return {
    schema: 'hybridkem-bench/1',
    date: new Date().toISOString(),
    mode: args.smoke ? 'smoke' : 'full',
    settings,
    elapsedSeconds,
    environment: {
      node: process.versions.node,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      cpu: os.cpus()[0]?.model?.trim() ?? null,
      parallelism: os.availableParallelism(),
      loadAverage: os.loadavg(),
    },
    versions: Object.fromEntries(['@hybridkem/core', '@noble/post-quantum', 'mlkem', 'tinybench'].map((p) => [p, packageVersion(p)])),
    backends: probes.map((p) =>
      p.available
        ? { name: p.name, available: true, version: p.backend.version, implementation: p.backend.implementation, constantTime: p.backend.constantTime }
        : { name: p.name, available: false, error: loadFailure(p.error) },
    ),
    nobleHybridPresets: Object.fromEntries([...peers].map(([suite, p]) => [suite, { export: p.exportName, sameBytesAsHybridkem: p.sameBytes ?? null }])),
    results: rows,
    notes,
  };
}

/** A dependency's version from its package.json (found next to its resolved entry point). */
function packageVersion(name) {
  try {
    let dir = new URL('.', import.meta.resolve(name === '@noble/post-quantum' ? `${name}/hybrid.js` : name));
    for (let i = 0; i < 4; i++, dir = new URL('..', dir)) {
      try {
        const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {
        // not here; look one level up
      }
    }
  } catch {
    // unresolvable
  }
  return null;
}
