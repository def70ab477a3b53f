/**
 * Cloudflare's workerd (npm package `workerd`), as a test drives it: a worker
 * bundled the way the Workers toolchain (wrangler) bundles one, a config
 * naming its modules, workerd serving it on 127.0.0.1, and a first request
 * once it listens. The caller stops workerd with `@hybridkem/core/testing`'s
 * stopProcess, which stops its whole process group (node_modules/.bin/workerd
 * is a launcher script whose child is the binary that serves).
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve, sep } from 'node:path';
import { spawnProcess } from '@hybridkem/core/testing';
import { build, type Plugin } from 'esbuild';
import { freePort } from './free-port.js';

/**
 * The compatibility date of every test worker: one this workerd release
 * supports. A package must not need a newer one.
 */
export const COMPATIBILITY_DATE = '2025-09-01';

/** A bundled worker: `outdir/worker.js` and the .wasm modules it imports, copied beside it. */
export interface WorkerBundle {
  outdir: string;
  /** File names (in outdir) of the .wasm modules worker.js imports. */
  wasm: string[];
}

/**
 * Bundles `entry` into `outdir/worker.js` as wrangler does: the `workerd`,
 * `worker` and `browser` export conditions, and its default module rule for
 * `.wasm` (CompiledWasm: `import x from "./y.wasm"` stays an import, and the
 * file becomes a module of the worker; workerd refuses to compile bytes at
 * run time). A package's .wasm export (`@hybridkem/wasm/hybridkem.wasm`)
 * resolves through its exports map.
 */
export async function bundleWorker(entry: string, outdir: string): Promise<WorkerBundle> {
  const wasm = new Map<string, string>();
  const wasmModules: Plugin = {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = args.path.startsWith('.') ? resolve(args.resolveDir, args.path) : createRequire(join(args.resolveDir, 'x.js')).resolve(args.path);
        const name = basename(file);
        if (wasm.has(name) && wasm.get(name) !== file) throw new Error(`two .wasm modules named ${name}`);
        wasm.set(name, file);
        return { path: `./${name}`, external: true };
      });
    },
  };
  await build({
    entryPoints: { worker: entry },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    outdir,
    plugins: [wasmModules],
    logLevel: 'warning',
  });
  for (const [name, file] of wasm) copyFileSync(file, join(outdir, name));
  return { outdir, wasm: [...wasm.keys()] };
}

export interface WorkerdConfigOptions {
  /** The 127.0.0.1 port workerd listens on (see freePort). */
  port: number;
  bundle: WorkerBundle;
  /** The folder the config file is written to: module paths are relative to it. Default: the bundle's outdir. */
  configDir?: string;
  compatibilityDate?: string;
  /**
   * Text bindings of the worker (`env.NAME` is the string), e.g. a secret
   * key for a test worker. Default: none.
   */
  bindings?: Record<string, string>;
}

/** A Cap'n Proto text literal: JSON's escaping (\\, \", \n, \uXXXX) is valid capnp text. */
function capnpText(value: string): string {
  return JSON.stringify(value);
}

/** A workerd config (capnp) serving the bundle as service `main` on 127.0.0.1:port over HTTP. */
export function workerdConfig(options: WorkerdConfigOptions): string {
  const { port, bundle, configDir = bundle.outdir, compatibilityDate = COMPATIBILITY_DATE, bindings = {} } = options;
  const prefix = relative(configDir, bundle.outdir).split(sep).filter(Boolean).map((part) => `${part}/`).join('');
  const modules = [
    `(name = "worker.js", esModule = embed "${prefix}worker.js")`,
    ...bundle.wasm.map((name) => `(name = "${name}", wasm = embed "${prefix}${name}")`),
  ];
  const textBindings = Object.entries(bindings).map(([name, text]) => `(name = ${capnpText(name)}, text = ${capnpText(text)})`);
  const bindingsLine = textBindings.length === 0 ? '' : `\n  bindings = [ ${textBindings.join(', ')} ],`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "${compatibilityDate}",${bindingsLine}
);
`;
}

/** A workerd that was started: stop `child` with stopProcess. */
export interface Workerd {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** All workerd printed so far (stdout and stderr, --verbose), for failure messages. */
  log(): string;
}

/**
 * Writes `configDir/config.capnp` for the bundle on a free port and starts
 * `binary serve` on it (from configDir) in a process group of its own. It
 * may not listen yet: see waitUntilServing and firstResponse. `options.bindings`:
 * text bindings (see WorkerdConfigOptions). The config file holds them, so a
 * secret binding is as private as configDir.
 */
export async function startWorkerd(
  binary: string,
  bundle: WorkerBundle,
  configDir = bundle.outdir,
  options: { bindings?: Record<string, string> } = {},
): Promise<Workerd> {
  const port = await freePort();
  const configFile = join(configDir, 'config.capnp');
  writeFileSync(configFile, workerdConfig({ port, bundle, configDir, ...(options.bindings ? { bindings: options.bindings } : {}) }));
  const child = spawnProcess(binary, ['serve', configFile, '--verbose'], { cwd: configDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  return { child, origin: `http://127.0.0.1:${port}`, log: () => log };
}

/** Throws, with the end of workerd's log, when workerd has exited. */
function assertRunning(workerd: Workerd): void {
  const { child } = workerd;
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}):\n${workerd.log().slice(-4000)}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls GET `origin` until it answers 2xx (the worker must answer a GET
 * cheaply), for a test that then sends its real request; fails when workerd
 * exits or after 90 s.
 */
export async function waitUntilServing(workerd: Workerd): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    assertRunning(workerd);
    try {
      const res = await fetch(workerd.origin, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`workerd did not serve ${workerd.origin} within 90 s:\n${workerd.log().slice(-4000)}`);
    await sleep(250);
  }
}

/**
 * The worker's answer to one GET of `path`: retried only while nothing
 * listens yet (a refused connection never reached the worker), so the
 * worker runs once; fails when workerd exits or after 60 s.
 */
export async function firstResponse(workerd: Workerd, path = '/'): Promise<Response> {
  const url = `${workerd.origin}${path}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    assertRunning(workerd);
    try {
      return await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== 'ECONNREFUSED') throw new Error(`GET ${url} failed: ${String(err)} (${code ?? 'no code'})\n${workerd.log().slice(-4000)}`, { cause: err });
    }
    if (Date.now() > deadline) throw new Error(`workerd did not listen on ${url} within 60 s:\n${workerd.log().slice(-4000)}`);
    await sleep(200);
  }
}
