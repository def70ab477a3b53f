/**
 * nats-server (Debian's package `nats-server`, /usr/sbin/nats-server) as the
 * mesh's tests and bench drive it: one server or a cluster, with JetStream,
 * on 127.0.0.1 and free ports, each server with a store directory of its own
 * under one temporary folder. Servers are started with
 * `@hybridkem/core/testing`'s spawnProcess, so whatever a failed or timed-out
 * test leaves running is stopped after its file by the vitest setup file and
 * killed when the test process exits; `stop()` stops everything and removes
 * the store directories, and may be called any number of times.
 *
 * Readiness is read from the monitoring port (`-m`): `/healthz` answers 200
 * once the server is up with JetStream, and for a cluster `/jsz` names the
 * JetStream meta leader once the servers have elected one (until then no
 * stream can be created).
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCI, spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { freePort } from './free-port.js';
import { probe, type Runtime } from './runtime.js';

/** Where Debian's package installs nats-server; `NATS_SERVER` overrides it. */
export const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

/** nats-server, or why it is not usable. */
export function probeNatsServer(): Runtime {
  return probe('nats-server', NATS_SERVER);
}

/**
 * nats-server, or a failure with the way to install it. Under CI=true a
 * missing server always fails (never a skip); elsewhere a caller may use
 * {@link probeNatsServer} with test-runtimes' shouldRun instead.
 */
export function requireNatsServer(): string {
  const runtime = probeNatsServer();
  if (!runtime.ok) {
    throw new Error(
      `${runtime.reason}: the mesh's distribution tests need nats-server (Debian: apt-get install nats-server, or bash scripts/setup-mesh-toolchain.sh; NATS_SERVER=/path overrides the path)${inCI ? ' (required under CI=true)' : ''}`,
    );
  }
  return runtime.path;
}

/** One server of a {@link NatsCluster} (or the only one). */
export interface NatsServerInfo {
  readonly name: string;
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The monitoring port (`http://127.0.0.1:PORT/healthz`, `/jsz`, `/varz`). */
  readonly monitorPort: number;
  /** The cluster route port (0 for a single server). */
  readonly clusterPort: number;
  readonly storeDir: string;
}

export interface NatsCluster {
  readonly servers: readonly NatsServerInfo[];
  /** Every server's client URL, comma-separated (what connectDistribution and nats.js take). */
  readonly url: string;
  /** Whether server `i` is running. */
  running(i: number): boolean;
  /** Server `i`'s process id while it runs. */
  pid(i: number): number | undefined;
  /** Stops server `i` abruptly (SIGKILL by default: its store is left as a crash leaves it). */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts server `i` again on the same ports and store, and waits until it is ready. */
  restart(i: number): Promise<void>;
  /** Waits until every running server is ready (and, for a cluster, a meta leader is known). */
  ready(timeoutMs?: number): Promise<void>;
  /** The end of server `i`'s log (stdout and stderr), for failure messages. */
  log(i: number): string;
  /** Stops every server and removes the store directories. Idempotent. */
  stop(): Promise<void>;
}

/** A single server: a cluster of one, without routes. */
export type NatsServer = NatsCluster;

export interface NatsServerOptions {
  /** Enable JetStream (default true). */
  jetstream?: boolean;
  /** The store directory (default: a new temporary one, removed by stop()). */
  storeDir?: string;
}

export interface NatsClusterOptions {
  /** Number of servers (default 3). */
  size?: number;
  /** The parent of the servers' store directories (default: a new temporary one, removed by stop()). */
  storeDir?: string;
  /** Readiness timeout in ms (default 60 000). */
  timeoutMs?: number;
}

const LOG_LIMIT = 64 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ServerState {
  info: NatsServerInfo;
  args: string[];
  child: ChildProcess | undefined;
  log: string;
}

/** Starts one nats-server (JetStream on by default) on 127.0.0.1 and waits until it is ready. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  return start(1, options.jetstream ?? true, options.storeDir, 60_000);
}

/**
 * Starts a JetStream cluster of `size` servers (default 3) on 127.0.0.1,
 * routed to each other, and waits until each is ready and a meta leader is
 * elected.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1 || size > 9) throw new RangeError(`cluster size must be 1..9, got ${size}`);
  return start(size, true, options.storeDir, options.timeoutMs ?? 60_000, size > 1);
}

async function start(size: number, jetstream: boolean, storeDir: string | undefined, timeoutMs: number, clustered = false): Promise<NatsCluster> {
  const binary = requireNatsServer();
  const ownDir = storeDir === undefined;
  const root = storeDir ?? mkdtempSync(join(tmpdir(), 'hybridkem-nats-'));
  const ports = [];
  // Distinct ports: freePort closes its socket, so the kernel could hand one out twice.
  const taken = new Set<number>();
  const nextPort = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  for (let i = 0; i < size; i++) ports.push({ port: await nextPort(), monitorPort: await nextPort(), clusterPort: clustered ? await nextPort() : 0 });
  const routes = ports.map((p) => `nats://127.0.0.1:${p.clusterPort}`).join(',');
  const states: ServerState[] = ports.map((p, i) => {
    const name = `hk-nats-${i}`;
    const dir = size === 1 && !ownDir ? root : join(root, name);
    mkdirSync(dir, { recursive: true });
    const args = ['-a', '127.0.0.1', '-p', String(p.port), '-m', String(p.monitorPort), '-n', name];
    if (jetstream) args.push('-js', '-sd', dir);
    if (clustered) args.push('--cluster_name', 'hybridkem-test', '--cluster', `nats://127.0.0.1:${p.clusterPort}`, '--routes', routes);
    return { info: Object.freeze({ name, url: `nats://127.0.0.1:${p.port}`, ...p, storeDir: dir }), args, child: undefined, log: '' };
  });

  let stopped = false;
  const launch = (s: ServerState): void => {
    const child = spawnProcess(binary, s.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (d: string): void => {
      s.log = (s.log + d).slice(-LOG_LIMIT);
    };
    child.stdout!.setEncoding('utf8').on('data', append);
    child.stderr!.setEncoding('utf8').on('data', append);
    s.child = child;
  };
  const alive = (s: ServerState): boolean => s.child !== undefined && s.child.exitCode === null && s.child.signalCode === null;

  const waitReady = async (which: readonly ServerState[], ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    for (const s of which) {
      for (;;) {
        if (!alive(s)) throw new Error(`nats-server ${s.info.name} exited (${s.child?.exitCode ?? s.child?.signalCode}):\n${s.log.slice(-4000)}`);
        if (await serverReady(s.info, jetstream, clustered)) break;
        if (Date.now() > deadline) throw new Error(`nats-server ${s.info.name} not ready within ${ms} ms:\n${s.log.slice(-4000)}`);
        await sleep(100);
      }
    }
  };

  const cluster: NatsCluster = {
    servers: Object.freeze(states.map((s) => s.info)),
    url: states.map((s) => s.info.url).join(','),
    running: (i) => alive(at(i)),
    pid: (i) => (alive(at(i)) ? at(i).child?.pid : undefined),
    async kill(i, signal = 'SIGKILL') {
      const s = at(i);
      const child = s.child;
      if (child === undefined || !alive(s)) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
      await exited;
      await stopProcess(child, 0); // forget it (the group is gone)
    },
    async restart(i) {
      const s = at(i);
      if (stopped) throw new Error('nats cluster stopped');
      if (alive(s)) throw new Error(`nats-server ${s.info.name} is running`);
      launch(s);
      await waitReady([s], timeoutMs);
    },
    ready: (ms = timeoutMs) => waitReady(states.filter(alive), ms),
    log: (i) => at(i).log,
    async stop() {
      stopped = true;
      await Promise.all(states.map((s) => (s.child ? stopProcess(s.child, 5_000) : undefined)));
      if (ownDir) rmSync(root, { recursive: true, force: true });
    },
  };
  function at(i: number): ServerState {
    const s = states[i];
    if (s === undefined) throw new RangeError(`no server ${i} (cluster of ${states.length})`);
    return s;
  }

  try {
    for (const s of states) launch(s);
    await waitReady(states, timeoutMs);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** One readiness probe of a server's monitoring port. */
async function serverReady(info: NatsServerInfo, jetstream: boolean, clustered: boolean): Promise<boolean> {
  const base = `http://127.0.0.1:${info.monitorPort}`;
  try {
    const health = await fetch(`${base}/healthz${jetstream ? '?js-enabled-only=true' : ''}`, { signal: AbortSignal.timeout(2_000) });
    if (!health.ok) return false;
    if (!jetstream || !clustered) return true;
    const jsz = await fetch(`${base}/jsz`, { signal: AbortSignal.timeout(2_000) });
    if (!jsz.ok) return false;
    const body = (await jsz.json()) as { meta_cluster?: { leader?: string } };
    return typeof body.meta_cluster?.leader === 'string' && body.meta_cluster.leader !== '';
  } catch {
    return false; // not listening yet
  }
}
