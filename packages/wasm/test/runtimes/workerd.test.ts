/**
 * Cloudflare's workerd (npm package `workerd`): the worker (worker-entry.ts)
 * is bundled with the package's `workerd` export condition, as wrangler
 * would; each .wasm it imports stays an external module listed in the
 * config (workerd refuses to compile bytes at run time). workerd serves on
 * 127.0.0.1; the test POSTs the vectors, asserts the summary and always
 * stops workerd's whole process group (the .bin launcher and the binary).
 * A second worker (worker-lite-entry.ts) uses `@hybridkem/wasm/lite` and
 * passes `@hybridkem/wasm/hybridkem.wasm`, imported as a module, to initWasm.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { expectSummary } from './expect-summary.js';
import type { RuntimeSummary } from './run-vectors.js';
import { assertUsable, devBinary, here, shouldRun } from './tools.js';
import { loadVectors } from './vectors.js';

const TIMEOUT_MS = 180_000;
// A date this workerd release supports; the package must not need a newer one.
const COMPATIBILITY_DATE = '2025-09-01';
const runtime = devBinary('workerd');

describe('workerd', () => {
  for (const [entry, title] of [
    ['worker-entry.ts', 'a worker bundled with the workerd condition serves a request that passes every vector and a round trip per suite'],
    ['worker-lite-entry.ts', "a worker on '@hybridkem/wasm/lite' passing the imported hybridkem.wasm module to initWasm passes every vector and a round trip per suite"],
  ] as const) {
    it.runIf(shouldRun(runtime))(
      title,
      async () => {
        assertUsable(runtime);
        const vectors = loadVectors();
        const dir = mkdtempSync(join(tmpdir(), 'hybridkem-workerd-'));
        let workerd: ChildProcess | undefined;
        let log = '';
        try {
          const wasm = await bundleWorker(dir, entry);
          // The workerd entry imports its .wasm as a module; compiling bytes at run time would be refused.
          expect(wasm, 'the .wasm modules the workerd bundle imports').not.toEqual([]);
          const port = await freePort();
          writeFileSync(join(dir, 'config.capnp'), config(port, wasm));
          workerd = spawnProcess(runtime.path, ['serve', join(dir, 'config.capnp'), '--verbose'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
          workerd.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
          workerd.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
          const origin = `http://127.0.0.1:${port}`;
          await waitUntilServing(origin, workerd, () => log);
          const res = await fetch(origin, { method: 'POST', body: JSON.stringify(vectors.answers), signal: AbortSignal.timeout(TIMEOUT_MS - 60_000) });
          const body = (await res.json()) as RuntimeSummary | { error: string };
          expect('error' in body ? body.error : '', `workerd log:\n${log.slice(-4000)}`).toBe('');
          expect(res.status).toBe(200);
          const summary = body as RuntimeSummary;
          console.log(`${runtime.version} (${entry}): ${summary.vectors.passed}/${summary.vectors.total} vectors, ${summary.roundTrips.passed}/${summary.roundTrips.total} round trips (${summary.backend.name})`);
          expectSummary(summary, vectors);
        } finally {
          if (workerd) await stopProcess(workerd, 10_000);
          rmSync(dir, { recursive: true, force: true });
        }
      },
      TIMEOUT_MS,
    );
  }
});

/** Bundles `entry` into dir/worker.js; returns the .wasm modules it imports, copied beside it. */
async function bundleWorker(dir: string, entry: string): Promise<string[]> {
  const wasm = new Map<string, string>();
  // What wrangler's CompiledWasm module rule does: leave `import x from "./y.wasm"` to the runtime.
  const wasmModules: Plugin = {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        // A package's .wasm export (`@hybridkem/wasm/hybridkem.wasm`) resolves through its exports map.
        const file = args.path.startsWith('.') ? resolve(args.resolveDir, args.path) : createRequire(join(args.resolveDir, 'x.js')).resolve(args.path);
        const name = basename(file);
        if (wasm.has(name) && wasm.get(name) !== file) throw new Error(`two .wasm modules named ${name}`);
        wasm.set(name, file);
        return { path: `./${name}`, external: true };
      });
    },
  };
  await build({
    entryPoints: { worker: join(here, entry) },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    outdir: dir,
    plugins: [wasmModules],
    logLevel: 'warning',
  });
  for (const [name, file] of wasm) copyFileSync(file, join(dir, name));
  return [...wasm.keys()];
}

function config(port: number, wasm: string[]): string {
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    ...wasm.map((name) => `(name = "${name}", wasm = embed "${name}")`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
}

/** A port the kernel just handed out on 127.0.0.1 (workerd takes a fixed address). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilServing(origin: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}):\n${log().slice(-4000)}`);
    try {
      const res = await fetch(origin, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`workerd did not serve ${origin} within 90 s:\n${log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
