/**
 * The gateway on every core: `startGatewayCluster` forks node:cluster
 * workers that each run `createGateway` on one shared listen address, serves
 * the workers' summed metrics from the primary, replaces workers that die
 * (boundedly) and drains them all on close. `runGatewayMain` is the process
 * entry the CLI calls: the cluster plus signal handling.
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import {
  checkHostPort,
  checkPositiveInteger,
  DEFAULT_DRAIN_TIMEOUT_MS,
  resolveGatewayOptions,
  type GatewayOptions,
  type HostPort,
} from './gateway.js';
import { isWorkerMessage, type PrimaryMessage, type WorkerGatewayOptions, type WorkerMessage } from './protocol.js';

export interface GatewayClusterOptions extends GatewayOptions {
  /** Worker processes; default `os.availableParallelism()`. */
  workers?: number;
  /** Where the primary serves `GET /metrics` (all workers summed) and `GET /healthz`; none when absent. */
  metrics?: HostPort;
  /** How long `close()` lets open connections finish before destroying them; default 30 000. */
  drainTimeoutMs?: number;
}

export interface GatewayCluster {
  /** The TLS address every worker accepts on. */
  readonly address: HostPort;
  readonly metricsAddress?: HostPort;
  readonly workers: number;
  /** Drains every worker (close with drainTimeoutMs), waits for them to exit, closes the metrics server. */
  close(): Promise<void>;
  /**
   * Settles when the cluster has shut down: with undefined after `close()`,
   * with the error when it shut itself down (workers dying faster than
   * MAX_RESTARTS_PER_MINUTE). Never rejects.
   */
  readonly done: Promise<Error | undefined>;
}

/** Unexpected worker deaths replaced within one minute before the cluster gives up: a crash loop is not healed by forking. */
export const MAX_RESTARTS_PER_MINUTE = 5;
/** A worker that has not said it is listening by then failed to start. */
const WORKER_START_TIMEOUT_MS = 15_000;
/** Beyond the drain timeout, how long a draining worker may take to exit before it is killed. */
const WORKER_EXIT_GRACE_MS = 5_000;

/**
 * The built worker entry next to this module's bundle (dist/gateway/worker.js
 * or .cjs). Run from the TypeScript sources (tests), it is the package's dist
 * build, which must exist and be newer than every source file: a cluster
 * worker is a separate process that cannot run the .ts files.
 */
export function gatewayWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (!/\.ts$/.test(here)) return join(dirname(here), 'gateway', here.endsWith('.cjs') ? 'worker.cjs' : 'worker.js');
  const pkg = resolve(dirname(here), '..', '..');
  const entry = join(pkg, 'dist', 'gateway', 'worker.js');
  const build = 'build first: scripts/pnpm --filter @hybridkem/transport build';
  if (!existsSync(entry)) throw new Error(`gateway cluster: ${entry} is missing; ${build}`);
  const builtAt = statSync(entry).mtimeMs;
  const newest = newestMtime(join(pkg, 'src'));
  if (newest.mtimeMs > builtAt) throw new Error(`gateway cluster: ${entry} is older than ${newest.path}; ${build}`);
  return entry;
}

function newestMtime(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestMtime(path) : { path, mtimeMs: statSync(path).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

function formatHostPort({ host, port }: HostPort): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

interface WorkerState {
  readonly worker: Worker;
  listening: boolean;
  draining: boolean;
}

/**
 * Starts the gateway cluster from the primary process: forks `workers`
 * workers running `createGateway` on `options.listen` (port 0: one free
 * port, which all of them share), each with
 * `ceil(maxConnections / workers)` connections, and the metrics server when
 * `options.metrics` is set. Rejects (after stopping what it started) when a
 * worker cannot start, e.g. EADDRINUSE. One cluster per process: node:cluster's
 * settings are process-wide.
 */
export async function startGatewayCluster(options: GatewayClusterOptions): Promise<GatewayCluster> {
  if (!cluster.isPrimary) throw new Error('startGatewayCluster must run in the primary process, not in a cluster worker');
  const resolved = resolveGatewayOptions(options);
  const workerCount = checkPositiveInteger('workers', options.workers, availableParallelism());
  const drainTimeoutMs = checkPositiveInteger('drainTimeoutMs', options.drainTimeoutMs, DEFAULT_DRAIN_TIMEOUT_MS);
  const metricsListen = options.metrics === undefined ? undefined : checkHostPort('metrics', options.metrics, true);
  const exec = gatewayWorkerEntry();

  const workerOptions: WorkerGatewayOptions = {
    policy: resolved.policy,
    listen: resolved.listen,
    upstream: resolved.upstream,
    key: resolved.key.toString(),
    cert: resolved.cert.toString(),
    handshakeTimeoutMs: resolved.handshakeTimeoutMs,
    idleTimeoutMs: resolved.idleTimeoutMs,
    upstreamConnectTimeoutMs: resolved.upstreamConnectTimeoutMs,
    // The limit is per process: split the total so the cluster as a whole keeps it.
    maxConnections: Math.ceil(resolved.maxConnections / workerCount),
  };

  cluster.setupPrimary({ exec, args: [] });
  const states = new Map<number, WorkerState>();
  let closing: Promise<void> | undefined;
  let settleDone: (error: Error | undefined) => void = () => {};
  const done = new Promise<Error | undefined>((r) => (settleDone = r));
  const restarts: number[] = [];

  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };

  /** Forks one worker and resolves with its address once it listens; rejects if it fails or exits first. */
  const fork = (listen: HostPort): Promise<HostPort> => {
    const worker = cluster.fork();
    const state: WorkerState = { worker, listening: false, draining: false };
    states.set(worker.id, state);
    return new Promise<HostPort>((resolveStart, rejectStart) => {
      const timer = setTimeout(() => {
        rejectStart(new Error(`gateway worker ${worker.process.pid} did not start listening within ${WORKER_START_TIMEOUT_MS} ms`));
        worker.process.kill('SIGKILL');
      }, WORKER_START_TIMEOUT_MS);
      const onMessage = (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        const m: WorkerMessage = message;
        if (m.type === 'hybridkem-gateway:hello') {
          send(worker, { type: 'hybridkem-gateway:start', options: { ...workerOptions, listen } });
        } else if (m.type === 'hybridkem-gateway:listening') {
          clearTimeout(timer);
          state.listening = true;
          resolveStart(m.address);
        } else if (m.type === 'hybridkem-gateway:failed') {
          clearTimeout(timer);
          const error = Object.assign(new Error(`gateway worker could not start: ${m.message}`), { code: m.code });
          // Its exit is this failure, not a death to replace.
          state.draining = true;
          rejectStart(error);
          worker.process.kill('SIGKILL');
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', (code, signal) => {
        clearTimeout(timer);
        rejectStart(new Error(`gateway worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before listening`));
      });
    });
  };

  const waitExit = (state: WorkerState): Promise<void> =>
    new Promise((resolveExit) => {
      const { worker } = state;
      if (worker.isDead()) return resolveExit();
      worker.once('exit', () => resolveExit());
    });

  const stopWorkers = async (timeoutMs: number) => {
    const all = [...states.values()];
    for (const state of all) {
      state.draining = true;
      send(state.worker, { type: 'hybridkem-gateway:drain', drainTimeoutMs: timeoutMs });
    }
    // A worker that does not exit after its drain (or that never got the message) is killed.
    const killTimer = setTimeout(() => {
      for (const state of all) if (!state.worker.isDead()) state.worker.process.kill('SIGKILL');
    }, timeoutMs + WORKER_EXIT_GRACE_MS);
    await Promise.all(all.map(waitExit));
    clearTimeout(killTimer);
  };

  let metricsServer: http.Server | undefined;
  const shutdown = (error: Error | undefined, timeoutMs: number): Promise<void> => {
    closing ??= (async () => {
      cluster.removeListener('exit', onExit);
      await stopWorkers(timeoutMs);
      if (metricsServer) {
        const server = metricsServer;
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      }
      settleDone(error);
    })();
    return closing;
  };

  let address: HostPort = resolved.listen;
  const onExit = (worker: Worker, code: number, signal: string) => {
    const state = states.get(worker.id);
    if (!state) return;
    states.delete(worker.id);
    if (state.draining || closing) return;
    const now = Date.now();
    while (restarts.length > 0 && restarts[0]! <= now - 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      const error = new Error(
        `gateway workers died ${restarts.length + 1} times within a minute (last: pid ${worker.process.pid}, ${signal ?? `code ${code}`}); shutting down`,
      );
      void shutdown(error, Math.min(drainTimeoutMs, 5_000));
      return;
    }
    restarts.push(now);
    process.stderr.write(`hybridkem gateway: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a replacement\n`);
    fork(resolved.listen).catch((error: Error) => process.stderr.write(`hybridkem gateway: replacement worker failed: ${error.message}\n`));
  };
  cluster.on('exit', onExit);

  try {
    // node:cluster shares one listening handle per (host, port) as the workers
    // ask for it, port 0 included: every worker, and every replacement, must
    // ask for the same listen address to join it rather than bind another.
    address = await fork(resolved.listen);
    await Promise.all(Array.from({ length: workerCount - 1 }, () => fork(resolved.listen)));

    let metricsAddress: HostPort | undefined;
    if (metricsListen) {
      const aggregator = new AggregatorRegistry();
      const server = http.createServer((request, response) => {
        const path = (request.url ?? '/').split('?')[0];
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          response.writeHead(405, { allow: 'GET, HEAD' }).end();
        } else if (path === '/metrics') {
          aggregator.clusterMetrics().then(
            (text) => response.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
            (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${error.message}\n`),
          );
        } else if (path === '/healthz') {
          const listening = [...states.values()].filter((s) => s.listening && !s.worker.isDead()).length;
          const healthy = !closing && listening > 0;
          response.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(`${healthy ? 'ok' : 'unavailable'}: ${listening}/${workerCount} workers listening\n`);
        } else {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        }
      });
      metricsServer = server;
      await new Promise<void>((resolveListen, rejectListen) => {
        server.once('error', rejectListen);
        server.listen({ host: metricsListen.host, port: metricsListen.port }, () => {
          server.removeListener('error', rejectListen);
          resolveListen();
        });
      });
      server.on('error', (error) => process.stderr.write(`hybridkem gateway: metrics server: ${error.message}\n`));
      const a = server.address() as AddressInfo;
      metricsAddress = { host: a.address, port: a.port };
    }

    return {
      address,
      ...(metricsAddress ? { metricsAddress } : {}),
      workers: workerCount,
      close: () => shutdown(undefined, drainTimeoutMs),
      done,
    };
  } catch (error) {
    metricsServer?.close();
    await shutdown(error as Error, 1_000);
    throw error;
  }
}

/**
 * The gateway as a process (what `hybridkem gateway` runs): starts the
 * cluster, prints `hybridkem gateway: listening on HOST:PORT (policy P, N
 * workers)` to stderr, and on SIGTERM or SIGINT drains (drainTimeoutMs) and
 * exits 0; a second signal kills the workers and exits 1 at once. Exits 1
 * when the cluster shuts itself down (workers crash-looping). Rejects when
 * the cluster cannot start (bad options, address in use, no build); the
 * caller reports it and exits non-zero. Once started it does not return: it
 * ends the process itself.
 */
export async function runGatewayMain(options: GatewayClusterOptions): Promise<void> {
  const gateway = await startGatewayCluster(options);
  const { address, workers } = gateway;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`hybridkem gateway: ${signal} again, exiting without draining\n`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    signalled = true;
    process.stderr.write(`hybridkem gateway: ${signal}, draining connections\n`);
    void gateway.close();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.stderr.write(`hybridkem gateway: listening on ${formatHostPort(address)} (policy ${options.policy}, ${workers} workers)\n`);
  if (gateway.metricsAddress) process.stderr.write(`hybridkem gateway: metrics on http://${formatHostPort(gateway.metricsAddress)}/metrics\n`);

  const error = await gateway.done;
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGINT', onSignal);
  if (error) {
    process.stderr.write(`hybridkem gateway: ${error.message}\n`);
    process.exit(1);
  }
  process.exitCode = 0;
  process.exit(0);
}
