/**
 * A two-node WireGuard lab for tests: two network namespaces, a veth pair
 * between them (the "underlay", 10.201.0.1/24 and 10.201.0.2/24), and in
 * each namespace a userspace WireGuard device run by `wireguard-go -f`
 * (always in the foreground: no kernel module is needed, and the process is
 * ours to stop), configured with `wg` as peers of each other over the veth,
 * with tunnel addresses 10.202.0.1 and 10.202.0.2. The addresses are fixed:
 * they live only inside the lab's own namespaces.
 *
 * Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN): `ip` (iproute2), `wg`
 * (wireguard-tools), `wireguard-go`, `ping` (iputils-ping) and /dev/net/tun
 * (Debian: `bash scripts/setup-mesh-toolchain.sh`). Under CI=true a missing
 * piece fails the test naming it ({@link requireWireGuardLab}); elsewhere
 * {@link wireGuardLabUsable} says why the test does not run.
 *
 * Clean-up: wireguard-go and ping are started with `@hybridkem/core/testing`'s
 * spawnProcess (stopped after the test file by the vitest setup file, killed
 * when the process exits); `stop()` stops them and deletes both namespaces
 * (which deletes the veth pair) and the lab's key directory, and may be
 * called any number of times; a lab not stopped is torn down when the
 * process exits; and starting a lab deletes namespaces left by earlier test
 * processes that no longer exist (named `hk-PID-…`).
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inCI, processExists, spawnProcess, stopProcess } from '@hybridkem/core/testing';

/** Where wireguard-go creates its UAPI sockets (one per interface, named after it, shared by all namespaces). */
export const WIREGUARD_SOCKET_DIR = '/var/run/wireguard';
/** The listen port of each device (each namespace has its own port space). */
export const WIREGUARD_LAB_PORT = 51820;
const LOG_LIMIT = 64 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A program on PATH (or in /usr/sbin, /sbin), or undefined. */
function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** The tools the lab runs. `WIREGUARD_GO` and `WG` override the programs. */
export interface WireGuardLabTools {
  readonly ip: string;
  readonly wg: string;
  readonly wireguardGo: string;
  readonly ping: string;
}

/** The lab's tools, or everything that is missing (each named, with what provides it). */
export type WireGuardLabProbe = { ok: true; tools: WireGuardLabTools } | { ok: false; missing: readonly string[]; reason: string };

let probed: WireGuardLabProbe | undefined;

/**
 * Whether the lab can run here: the four programs, /dev/net/tun (opened for
 * reading and writing) and the right to create a network namespace (one is
 * added and deleted). Cached per process.
 */
export function probeWireGuardLab(): WireGuardLabProbe {
  if (probed !== undefined) return probed;
  const missing: string[] = [];
  const ip = findTool('ip');
  const wg = process.env.WG ?? findTool('wg');
  const wireguardGo = process.env.WIREGUARD_GO ?? findTool('wireguard-go');
  const ping = findTool('ping');
  if (ip === undefined) missing.push('ip (Debian package iproute2)');
  if (wg === undefined || !existsSync(wg)) missing.push('wg (Debian package wireguard-tools)');
  if (wireguardGo === undefined || !existsSync(wireguardGo)) missing.push('wireguard-go (Debian package wireguard-go)');
  if (ping === undefined) missing.push('ping (Debian package iputils-ping)');
  try {
    accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
  } catch (error) {
    missing.push(`/dev/net/tun (${(error as NodeJS.ErrnoException).code ?? 'not usable'}: the sandbox gives no TUN device)`);
  }
  if (ip !== undefined) {
    const ns = `hk-${process.pid}-probe-${randomBytes(3).toString('hex')}`;
    try {
      execFileSync(ip, ['netns', 'add', ns], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
      execFileSync(ip, ['netns', 'del', ns], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
      missing.push(`permission to create network namespaces (ip netns add: ${stderr || (error as Error).message}; needs root or CAP_SYS_ADMIN and CAP_NET_ADMIN)`);
    }
  }
  probed =
    missing.length === 0
      ? { ok: true, tools: Object.freeze({ ip: ip!, wg: wg!, wireguardGo: wireguardGo!, ping: ping! }) }
      : { ok: false, missing: Object.freeze(missing), reason: `the WireGuard lab cannot run here, missing: ${missing.join('; ')}` };
  return probed;
}

/** The lab's tools, or a failure naming every missing piece and how to install it. */
export function requireWireGuardLab(): WireGuardLabTools {
  const p = probeWireGuardLab();
  if (!p.ok) throw new Error(`${p.reason} (Debian: bash scripts/setup-mesh-toolchain.sh, run as root)${inCI ? ' (required under CI=true)' : ''}`);
  return p.tools;
}

/**
 * Whether a WireGuard lab test runs: always under CI=true (where
 * {@link requireWireGuardLab} then fails it if something is missing);
 * elsewhere only when the lab can run, printing why not otherwise (e.g. a
 * sandbox that forbids namespaces or has no /dev/net/tun).
 */
export function wireGuardLabUsable(what = 'WireGuard lab test'): boolean {
  if (inCI) return true;
  const p = probeWireGuardLab();
  if (!p.ok) console.warn(`${what}: not run outside CI: ${p.reason}`);
  return p.ok;
}

/** What a command run inside a namespace did. */
export interface LabCommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One side of the lab. */
export interface WireGuardLabNode {
  readonly name: 'a' | 'b';
  /** The network namespace (`hk-PID-RAND-a`). */
  readonly ns: string;
  /** The WireGuard interface (unique on the machine: wireguard-go's socket directory is shared by every namespace). */
  readonly iface: string;
  /** The device's public key (base64). */
  readonly publicKey: string;
  /** Its tunnel address (10.202.0.1 or .2). */
  readonly tunnelAddress: string;
  /** Its veth address (10.201.0.1 or .2). */
  readonly underlayAddress: string;
  readonly listenPort: number;
  /** Runs argv inside the namespace (`ip netns exec NS …`); resolves also for a non-zero status. */
  exec(argv: readonly string[], timeoutMs?: number): Promise<LabCommandResult>;
  /** The end of wireguard-go's output, for failure messages. */
  log(): string;
  /** Whether its wireguard-go still runs. */
  running(): boolean;
}

export interface PingOptions {
  /** The side that pings the other through the tunnel (default 'a'). */
  from?: 'a' | 'b';
  /** Echo requests to send, 1..100 000. */
  count: number;
  /** Interval between them in ms (≥ 10; below 200 needs root). */
  intervalMs: number;
}

export interface PingResult {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  /** ping's summary output. */
  readonly output: string;
}

export interface WireGuardLab {
  readonly a: WireGuardLabNode;
  readonly b: WireGuardLabNode;
  /** The lab's tools (paths). */
  readonly tools: WireGuardLabTools;
  /** Pings the other side's tunnel address from one side and counts replies. */
  ping(options: PingOptions): Promise<PingResult>;
  /** Stops wireguard-go and any ping, deletes both namespaces (and the veth pair) and the key files. Idempotent. */
  stop(): Promise<void>;
}

export interface WireGuardLabOptions {
  /** A PSK both sides start with (32 bytes), or none. */
  psk?: Uint8Array;
  /** Start-up timeout in ms (default 20 000). */
  timeoutMs?: number;
}

/** Labs started and not yet stopped, torn down synchronously when the process exits. */
const LIVE = new Set<{ ip: string; namespaces: string[]; sockets: string[]; dir: string }>();
process.once('exit', () => {
  for (const l of LIVE) teardownSync(l);
});

function teardownSync(l: { ip: string; namespaces: string[]; sockets: string[]; dir: string }): void {
  for (const ns of l.namespaces) {
    try {
      execFileSync(l.ip, ['netns', 'del', ns], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // already gone
    }
  }
  for (const s of l.sockets) rmSync(s, { force: true });
  rmSync(l.dir, { recursive: true, force: true });
  LIVE.delete(l);
}

/** Deletes `hk-PID-…` namespaces whose process no longer exists (left by a test process that was killed). */
function removeStaleNamespaces(ip: string): void {
  let list = '';
  try {
    list = execFileSync(ip, ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    return;
  }
  for (const line of list.split('\n')) {
    const m = /^(hk-(\d+)-[0-9a-f]+-[ab])\b/.exec(line);
    if (m === null || Number(m[2]) === process.pid || processExists(Number(m[2]))) continue;
    try {
      execFileSync(ip, ['netns', 'del', m[1]!], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // raced with another clean-up
    }
  }
}

/** Runs a short command (no shell), with an optional stdin and a timeout; resolves also for a non-zero status. */
function runCommand(argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<LabCommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-LOG_LIMIT)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-LOG_LIMIT)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status: status ?? (signal === null ? null : -1), stdout, stderr });
    });
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined); // a command that exits without reading: its status says what happened
      child.stdin!.end(options.input);
    }
  });
}

async function must(argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await runCommand(argv, options);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Starts the lab: namespaces, veth pair, wireguard-go in each, keys, peers
 * (with `options.psk` on both sides if given) and tunnel addresses, and
 * waits until both devices exist. On any failure everything started so far
 * is torn down before the error is thrown.
 */
export async function startWireGuardLab(options: WireGuardLabOptions = {}): Promise<WireGuardLab> {
  const tools = requireWireGuardLab();
  const { ip, wg } = tools;
  if (options.psk !== undefined && options.psk.length !== 32) throw new RangeError('psk must be 32 bytes');
  const timeoutMs = options.timeoutMs ?? 20_000;
  removeStaleNamespaces(ip);

  const tag = randomBytes(2).toString('hex');
  const nsBase = `hk-${process.pid}-${tag}`;
  const ifBase = `hk${process.pid.toString(36)}${tag}`; // ≤ 2 + 5 + 4 + 1 = 12 characters (IFNAMSIZ 16)
  const dir = mkdtempSync(join(tmpdir(), 'hybridkem-wglab-'));
  chmodSync(dir, 0o700);
  const state = { ip, namespaces: [] as string[], sockets: [] as string[], dir };
  LIVE.add(state);
  const children: ChildProcess[] = [];
  const pings = new Set<ChildProcess>();
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all([...pings, ...children].map((c) => stopProcess(c, 3_000)));
    for (const ns of state.namespaces) await runCommand([ip, 'netns', 'del', ns]).catch(() => undefined);
    teardownSync(state);
  };

  try {
    const sides = (['a', 'b'] as const).map((name, i) => ({
      name,
      ns: `${nsBase}-${name}`,
      iface: `${ifBase}${name}`,
      tunnelAddress: `10.202.0.${i + 1}`,
      underlayAddress: `10.201.0.${i + 1}`,
      listenPort: WIREGUARD_LAB_PORT + i,
      keyFile: join(dir, `${name}.key`),
      publicKey: '',
      log: '',
      child: undefined as ChildProcess | undefined,
    }));
    const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
    for (const s of sides) {
      await must([ip, 'netns', 'add', s.ns]);
      state.namespaces.push(s.ns);
      await must([ip, '-n', s.ns, 'link', 'set', 'lo', 'up']);
    }
    await must([ip, '-n', a.ns, 'link', 'add', 'hkveth', 'type', 'veth', 'peer', 'name', 'hkveth', 'netns', b.ns]);
    for (const s of sides) {
      await must([ip, '-n', s.ns, 'addr', 'add', `${s.underlayAddress}/24`, 'dev', 'hkveth']);
      await must([ip, '-n', s.ns, 'link', 'set', 'hkveth', 'up']);
    }

    for (const s of sides) {
      const socket = join(WIREGUARD_SOCKET_DIR, `${s.iface}.sock`);
      state.sockets.push(socket);
      const child = spawnProcess(ip, ['netns', 'exec', s.ns, tools.wireguardGo, '-f', s.iface], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'verbose' },
      });
      children.push(child);
      s.child = child;
      const append = (d: string): void => void (s.log = (s.log + d).slice(-LOG_LIMIT));
      child.stdout!.setEncoding('utf8').on('data', append);
      child.stderr!.setEncoding('utf8').on('data', append);
    }
    const deadline = Date.now() + timeoutMs;
    for (const s of sides) {
      for (;;) {
        if (s.child!.exitCode !== null || s.child!.signalCode !== null) throw new Error(`wireguard-go ${s.iface} exited (${s.child!.exitCode ?? s.child!.signalCode}):\n${s.log.slice(-4000)}`);
        if (existsSync(join(WIREGUARD_SOCKET_DIR, `${s.iface}.sock`)) && (await runCommand([ip, '-n', s.ns, 'link', 'show', s.iface])).status === 0) break;
        if (Date.now() > deadline) throw new Error(`wireguard-go ${s.iface} not ready within ${timeoutMs} ms:\n${s.log.slice(-4000)}`);
        await sleep(50);
      }
    }

    // umask 077 semantics for the key files: created 0600 in a 0700 directory.
    for (const s of sides) {
      const privateKey = await must([wg, 'genkey']);
      writeFileSync(s.keyFile, privateKey, { mode: 0o600 });
      s.publicKey = (await must([wg, 'pubkey'], { input: privateKey })).trim();
    }
    const pskFile = join(dir, 'psk');
    if (options.psk !== undefined) writeFileSync(pskFile, `${Buffer.from(options.psk).toString('base64')}\n`, { mode: 0o600 });
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = [wg, 'set', self.iface, 'private-key', self.keyFile, 'listen-port', String(self.listenPort), 'peer', other.publicKey];
      set.push('allowed-ips', `${other.tunnelAddress}/32`, 'endpoint', `${other.underlayAddress}:${other.listenPort}`);
      if (options.psk !== undefined) set.push('preshared-key', pskFile);
      await must([ip, 'netns', 'exec', self.ns, ...set]);
      await must([ip, '-n', self.ns, 'addr', 'add', `${self.tunnelAddress}/24`, 'dev', self.iface]);
      await must([ip, '-n', self.ns, 'link', 'set', self.iface, 'up']);
    }
    rmSync(pskFile, { force: true });

    const node = (s: (typeof sides)[0]): WireGuardLabNode =>
      Object.freeze({
        name: s.name,
        ns: s.ns,
        iface: s.iface,
        publicKey: s.publicKey,
        tunnelAddress: s.tunnelAddress,
        underlayAddress: s.underlayAddress,
        listenPort: s.listenPort,
        exec: (argv: readonly string[], ms?: number) => runCommand([ip, 'netns', 'exec', s.ns, ...argv], { timeoutMs: ms ?? 15_000 }),
        log: () => s.log,
        running: () => s.child!.exitCode === null && s.child!.signalCode === null,
      });
    const lab: WireGuardLab = Object.freeze({
      a: node(a),
      b: node(b),
      tools,
      async ping(o: PingOptions): Promise<PingResult> {
        if (!Number.isInteger(o.count) || o.count < 1 || o.count > 100_000) throw new RangeError('count must be 1..100000');
        if (!Number.isInteger(o.intervalMs) || o.intervalMs < 10) throw new RangeError('intervalMs must be an integer ≥ 10');
        if (stopped) throw new Error('the WireGuard lab is stopped');
        const from = o.from === 'b' ? b : a;
        const to = o.from === 'b' ? a : b;
        // -n: no name lookups; -q: the summary only; -W 1: wait at most 1 s for the last replies.
        const child = spawnProcess(ip, ['netns', 'exec', from.ns, tools.ping, '-n', '-q', '-c', String(o.count), '-i', String(o.intervalMs / 1000), '-W', '1', to.tunnelAddress], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        pings.add(child);
        let output = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-LOG_LIMIT)));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-LOG_LIMIT)));
        const limit = setTimeout(() => void stopProcess(child, 0), o.count * o.intervalMs + 15_000);
        await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('close', () => r())));
        clearTimeout(limit);
        await stopProcess(child, 0);
        pings.delete(child);
        const m = /(\d+) packets transmitted, (\d+) received/.exec(output);
        if (m === null) throw new Error(`ping from ${from.ns} printed no summary (exit ${child.exitCode ?? child.signalCode}):\n${output}`);
        const sent = Number(m[1]);
        const received = Number(m[2]);
        return Object.freeze({ sent, received, lost: sent - received, output: output.trim() });
      },
      stop,
    });
    return lab;
  } catch (error) {
    await stop();
    throw error;
  }
}
