/**
 * Applying pre-shared keys to WireGuard (spec/MESH.md §12) through
 * `wg set IFACE peer PUB preshared-key FILE`, reading `latest-handshakes`,
 * and forcing a fresh handshake after a PSK change.
 *
 * Secrets (a PSK, and for {@link WireGuardControl.forceHandshake} the
 * device's private key) only ever travel through a file: written with mode
 * 0600 inside a fresh 0700 directory, handed to `wg` by path, and removed
 * when the command has finished, also when it failed. They are never on a
 * command line (visible in /proc/PID/cmdline to every user), in the
 * environment, in an error message or in a printed line. Commands run
 * through an injectable {@link CommandRunner} (`ip netns exec NS …` for a
 * device inside a network namespace: {@link netnsRunner}), never through a
 * shell. A dry run validates its arguments and returns and prints the
 * commands it would run, with the secrets redacted, and touches nothing.
 * @module
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HybridKemError, InvalidArgumentError } from '@hybridkem/core';

/** WireGuard's pre-shared key size (the Noise IKpsk2 `psk`, 32 bytes). */
export const WG_PSK_BYTES = 32;
/** A WireGuard (X25519) key's size. */
export const WG_KEY_BYTES = 32;
/** Most peers a `wg show` answer may list before it is refused (bounds the parse). */
export const MAX_WG_PEERS = 65_536;
/** Most bytes of a command's stdout or stderr kept (a longer answer is refused). */
export const MAX_COMMAND_OUTPUT_BYTES = 4 * 1024 * 1024;
/** Most characters of a command's stderr quoted in an error. */
const MAX_STDERR_IN_ERROR = 2_048;
/**
 * The persistent-keepalive interval (seconds) set for a moment to make the
 * device send a keepalive at once (spec/MESH.md §12); restored right after.
 */
const POKE_KEEPALIVE_SECONDS = 25;

/** What a command did: exit status (null when killed by a signal), and its output. */
export interface CommandResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunOptions {
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

/**
 * Runs one command (argv[0] looked up on PATH, no shell) and resolves with
 * its status and output, also for a non-zero status. It rejects only when the
 * command could not be run or did not finish in time (a
 * {@link WireGuardError}).
 */
export type CommandRunner = (argv: readonly string[], options: CommandRunOptions) => Promise<CommandResult>;

/** Why a WireGuard operation failed (the `failure` of a {@link WireGuardError}). */
export type WireGuardFailure =
  /** The command could not be started (not installed, not executable). */
  | 'spawn-failed'
  /** The command exited with a non-zero status or was killed; `stderr` says why. */
  | 'exit-status'
  /** The command did not finish within the timeout (it was killed). */
  | 'timeout'
  /** The command wrote more than {@link MAX_COMMAND_OUTPUT_BYTES}. */
  | 'output-too-large'
  /** `wg show` answered something this module does not understand. */
  | 'unexpected-output'
  /** No handshake newer than the given time completed before the deadline. */
  | 'handshake-timeout'
  /** After a forced handshake the device's own private key could not be set back: the device needs attention. */
  | 'restore-failed';

/**
 * A WireGuard command or operation failed (spec/MESH.md §12). `command` is
 * the command line with every secret file shown as a placeholder; `stderr`
 * is the command's (truncated) stderr. Neither ever holds key material.
 */
export class WireGuardError extends HybridKemError {
  readonly failure: WireGuardFailure;
  readonly command: string | undefined;
  readonly status: number | null;
  readonly stderr: string;
  constructor(
    failure: WireGuardFailure,
    detail: string,
    options: { command?: string; status?: number | null; stderr?: string; cause?: unknown } = {},
  ) {
    const stderr = (options.stderr ?? '').trim().slice(0, MAX_STDERR_IN_ERROR);
    super(
      'ERR_BACKEND_UNAVAILABLE',
      `wireguard (${failure}): ${detail}${options.command === undefined ? '' : ` [${options.command}]`}${stderr === '' ? '' : `: ${stderr}`}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'WireGuardError';
    this.failure = failure;
    this.command = options.command;
    this.status = options.status ?? null;
    this.stderr = stderr;
  }
}

/** Runs commands on this machine with `execFile` (no shell; the environment is the process's own). */
export const localCommandRunner: CommandRunner = (argv, options) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      reject(new InvalidArgumentError('argv', 'empty command'));
      return;
    }
    execFile(
      file,
      args,
      { encoding: 'utf8', timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: options.maxOutputBytes, windowsHide: true },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ status: 0, signal: null, stdout, stderr });
          return;
        }
        const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: number | string };
        if (typeof e.code === 'string' && e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(new WireGuardError('output-too-large', `more than ${options.maxOutputBytes} bytes of output`, { command: file }));
        } else if (typeof e.code === 'string') {
          reject(new WireGuardError('spawn-failed', `${file} could not be run (${e.code})`, { command: file }));
        } else if (e.killed === true && e.signal === 'SIGKILL') {
          reject(new WireGuardError('timeout', `no answer within ${options.timeoutMs} ms`, { command: file, stderr }));
        } else {
          resolve({ status: typeof e.code === 'number' ? e.code : null, signal: e.signal ?? null, stdout, stderr });
        }
      },
    );
  });

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A runner that runs each command inside network namespace `ns`
 * (`ip netns exec NS …`), e.g. for a wireguard-go device a test created
 * there. The secret files stay readable: `ip netns exec` changes the network
 * namespace, not the file system.
 */
export function netnsRunner(ns: string, base: CommandRunner = localCommandRunner, ip = 'ip'): CommandRunner {
  if (!NETNS_NAME.test(ns) || ns === '.' || ns === '..') throw new InvalidArgumentError('ns', 'a network namespace name is 1..64 of [A-Za-z0-9_.-]');
  return (argv, options) => base([ip, 'netns', 'exec', ns, ...argv], options);
}

/** One command as run (or, in a dry run, as it would run), secret files shown as placeholders. */
export interface PlannedCommand {
  /** argv with every secret file replaced by a placeholder such as `<psk file, 0600, redacted>`. */
  readonly argv: readonly string[];
  /** The same, as one line (arguments quoted where needed). */
  readonly display: string;
}

export interface WireGuardControlOptions {
  /** Runs the commands (default {@link localCommandRunner}; {@link netnsRunner} for a namespace). */
  readonly runner?: CommandRunner;
  /** The `wg` binary (default `wg`, looked up on PATH). */
  readonly wg?: string;
  /** Validate, print and return the commands without running any or writing any file (default false). */
  readonly dryRun?: boolean;
  /** Where a dry run prints each command (default: a line on stdout). Never given a secret. */
  readonly print?: (line: string) => void;
  /** The parent of the private temporary directories (default os.tmpdir()). */
  readonly tmpDir?: string;
  /** Timeout of each command in ms (default 10 000). */
  readonly timeoutMs?: number;
}

export interface WaitForHandshakeOptions {
  /** Give up after this many ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Poll interval in ms (default 100). */
  readonly pollMs?: number;
}

/** WireGuard operations on devices reached through one runner (spec/MESH.md §12). */
export interface WireGuardControl {
  readonly dryRun: boolean;
  /**
   * Sets peer `peerPublicKey`'s pre-shared key on `iface` to `psk` (32 bytes):
   * `wg set IFACE peer PUB preshared-key FILE`. The current session keeps
   * carrying traffic; the PSK is used from the next handshake on.
   * Resolves with the command run (or, in a dry run, that would run).
   */
  applyPresharedKey(iface: string, peerPublicKey: string, psk: Uint8Array): Promise<readonly PlannedCommand[]>;
  /**
   * `wg show IFACE latest-handshakes`: each peer's (base64 public key) last
   * completed handshake in Unix seconds, 0 for never. Read-only, so it runs
   * in a dry run too.
   */
  readLatestHandshakes(iface: string): Promise<ReadonlyMap<string, number>>;
  /**
   * Makes `iface` start a new handshake now (spec/MESH.md §12 for why this
   * way): the device's private key is set to a random one and straight back
   * (WireGuard expires every peer's current sending keys when its private
   * key changes, keeping them for receiving), then `peerPublicKey`'s
   * persistent keepalive is switched on and back so that the device sends
   * to that peer at once, which starts the handshake. Every other peer of the
   * device also handshakes again on its next packet. The device's private
   * key is read with `wg show IFACE private-key` and goes back through a
   * 0600 file. Resolves with the commands run (or that would run).
   */
  forceHandshake(iface: string, peerPublicKey: string): Promise<readonly PlannedCommand[]>;
  /**
   * Polls {@link readLatestHandshakes} until peer `peerPublicKey`'s latest
   * handshake is later than `after` (Unix seconds) and resolves with it;
   * a `handshake-timeout` {@link WireGuardError} after the timeout.
   */
  waitForHandshake(iface: string, peerPublicKey: string, after: number, options?: WaitForHandshakeOptions): Promise<number>;
}

const IFACE_NAME = /^[A-Za-z0-9_.=+-]{1,15}$/;
const WG_KEY_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

function checkIface(iface: string): void {
  if (typeof iface !== 'string' || !IFACE_NAME.test(iface) || iface === '.' || iface === '..') {
    throw new InvalidArgumentError('iface', 'an interface name is 1..15 of [A-Za-z0-9_.=+-]');
  }
}

function checkPublicKey(key: string, field = 'peerPublicKey'): void {
  if (typeof key !== 'string' || !WG_KEY_BASE64.test(key)) throw new InvalidArgumentError(field, 'expected a WireGuard public key (base64 of 32 bytes, 44 characters)');
}

const shellQuote = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/** A secret handed to `wg` by file, and the placeholder shown instead of the file. */
interface SecretFile {
  readonly placeholder: string;
  /** The secret as wg reads it: base64 and a newline. Zeroed after writing. */
  readonly content: Buffer;
}

/** An argv element: a literal, or the path of a secret file. */
type Arg = string | { readonly secret: number };

/** Creates a WireGuard control (spec/MESH.md §12). */
export function createWireGuardControl(options: WireGuardControlOptions = {}): WireGuardControl {
  const o = Object.freeze({ ...options });
  const runner = o.runner ?? localCommandRunner;
  const wg = o.wg ?? 'wg';
  const dryRun = o.dryRun ?? false;
  const print = o.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const timeoutMs = o.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new InvalidArgumentError('timeoutMs', 'a positive integer');

  const plan = (args: readonly Arg[], secrets: readonly SecretFile[]): PlannedCommand => {
    const argv = args.map((a) => (typeof a === 'string' ? a : secrets[a.secret]!.placeholder));
    return Object.freeze({ argv: Object.freeze(argv), display: argv.map(shellQuote).join(' ') });
  };

  /** Runs one command; a non-zero status is a typed error with the command's stderr. */
  const run = async (args: readonly Arg[], secrets: readonly SecretFile[], paths: readonly string[], display: string): Promise<CommandResult> => {
    const argv = args.map((a) => (typeof a === 'string' ? a : paths[a.secret]!));
    let result: CommandResult;
    try {
      result = await runner(argv, { timeoutMs, maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES });
    } catch (error) {
      if (error instanceof WireGuardError) throw new WireGuardError(error.failure, `${argv[0]} failed`, { command: display, stderr: error.stderr, cause: error });
      throw new WireGuardError('spawn-failed', `${argv[0]} could not be run`, { command: display, cause: error });
    }
    if (result.status !== 0) {
      throw new WireGuardError('exit-status', `exited with ${result.status ?? result.signal}`, { command: display, status: result.status, stderr: result.stderr });
    }
    return result;
  };

  /**
   * Runs the commands in order with the secrets in a private directory that
   * is removed afterwards, whatever happens. Each step may decide the next
   * (`steps` is called with a runner of one command).
   */
  const withSecrets = async <T>(secrets: readonly SecretFile[], body: (exec: (args: readonly Arg[]) => Promise<CommandResult>) => Promise<T>): Promise<T> => {
    let dir: string | undefined;
    try {
      const paths: string[] = [];
      if (secrets.length > 0) {
        dir = await mkdtemp(join(o.tmpDir ?? tmpdir(), 'hybridkem-wg-'));
        await chmod(dir, 0o700); // mkdtemp already uses 0700; a restrictive mode is what wg's file check relies on
        for (let i = 0; i < secrets.length; i++) {
          const path = join(dir, `k${i}`);
          const handle = await open(path, 'wx', 0o600);
          try {
            await handle.writeFile(secrets[i]!.content);
          } finally {
            await handle.close();
          }
          paths.push(path);
        }
      }
      return await body((args) => run(args, secrets, paths, plan(args, secrets).display));
    } finally {
      for (const s of secrets) s.content.fill(0);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  };

  const show = async (iface: string, what: string): Promise<string> => {
    const args = [wg, 'show', iface, what];
    return (await run(args, [], [], plan(args, []).display)).stdout;
  };

  /** Parses `wg show IFACE <field>` (lines `PUB<TAB>VALUE`), bounded. */
  const parsePeerLines = (stdout: string, command: string, value: RegExp): Map<string, string> => {
    const out = new Map<string, string>();
    const lines = stdout.split('\n').filter((l) => l !== '');
    if (lines.length > MAX_WG_PEERS) throw new WireGuardError('unexpected-output', `more than ${MAX_WG_PEERS} peers`, { command });
    lines.forEach((line, i) => {
      const tab = line.indexOf('\t');
      const key = line.slice(0, tab);
      const v = line.slice(tab + 1);
      if (tab < 0 || !WG_KEY_BASE64.test(key) || !value.test(v)) throw new WireGuardError('unexpected-output', `line ${i + 1} is not "<public key><TAB><value>"`, { command });
      out.set(key, v);
    });
    return out;
  };

  const readLatestHandshakes = async (iface: string): Promise<ReadonlyMap<string, number>> => {
    checkIface(iface);
    const command = `${wg} show ${iface} latest-handshakes`;
    const lines = parsePeerLines(await show(iface, 'latest-handshakes'), command, /^\d{1,15}$/);
    return new Map([...lines].map(([k, v]) => [k, Number(v)]));
  };

  return Object.freeze({
    dryRun,

    async applyPresharedKey(iface: string, peerPublicKey: string, psk: Uint8Array): Promise<readonly PlannedCommand[]> {
      checkIface(iface);
      checkPublicKey(peerPublicKey);
      if (!(psk instanceof Uint8Array) || psk.length !== WG_PSK_BYTES) throw new InvalidArgumentError('psk', `expected ${WG_PSK_BYTES} bytes`);
      const secret: SecretFile = { placeholder: '<psk file, 0600, redacted>', content: Buffer.from(`${Buffer.from(psk).toString('base64')}\n`) };
      const args: Arg[] = [wg, 'set', iface, 'peer', peerPublicKey, 'preshared-key', { secret: 0 }];
      const planned = plan(args, [secret]);
      if (dryRun) {
        secret.content.fill(0);
        print(planned.display);
        return Object.freeze([planned]);
      }
      await withSecrets([secret], (exec) => exec(args));
      return Object.freeze([planned]);
    },

    readLatestHandshakes,

    async forceHandshake(iface: string, peerPublicKey: string): Promise<readonly PlannedCommand[]> {
      checkIface(iface);
      checkPublicKey(peerPublicKey);
      const temp: SecretFile = { placeholder: '<random private key file, 0600, redacted>', content: Buffer.alloc(0) };
      const own: SecretFile = { placeholder: '<device private key file, 0600, redacted>', content: Buffer.alloc(0) };
      const flip: Arg[] = [wg, 'set', iface, 'private-key', { secret: 0 }];
      const restore: Arg[] = [wg, 'set', iface, 'private-key', { secret: 1 }];
      const keepalive = (v: string): Arg[] => [wg, 'set', iface, 'peer', peerPublicKey, 'persistent-keepalive', v];
      if (dryRun) {
        // As for a peer whose keepalive is off; one with keepalive N gets `off` then `N` instead.
        const planned = [flip, restore, keepalive(String(POKE_KEEPALIVE_SECONDS)), keepalive('off')].map((a) => plan(a, [temp, own]));
        for (const p of planned) print(p.display);
        return Object.freeze(planned);
      }

      const ownKey = (await show(iface, 'private-key')).trim();
      if (!WG_KEY_BASE64.test(ownKey)) {
        // Never quote the answer: it may be a key.
        throw new WireGuardError('unexpected-output', 'the device has no private key, or `wg show private-key` answered something else', {
          command: `${wg} show ${iface} private-key`,
        });
      }
      const keepalives = parsePeerLines(await show(iface, 'persistent-keepalive'), `${wg} show ${iface} persistent-keepalive`, /^(off|\d{1,5})$/);
      const current = keepalives.get(peerPublicKey);
      if (current === undefined) throw new InvalidArgumentError('peerPublicKey', `no such peer on ${iface}`);

      const secrets: SecretFile[] = [
        { ...temp, content: Buffer.from(`${randomBytes(WG_KEY_BYTES).toString('base64')}\n`) },
        { ...own, content: Buffer.from(`${ownKey}\n`) },
      ];
      const steps: Arg[][] = [flip, restore];
      if (current === 'off') steps.push(keepalive(String(POKE_KEEPALIVE_SECONDS)), keepalive('off'));
      else steps.push(keepalive('off'), keepalive(current));
      const planned = steps.map((a) => plan(a, secrets));

      await withSecrets(secrets, async (exec) => {
        let flipError: unknown;
        try {
          await exec(flip);
        } catch (error) {
          flipError = error;
        }
        // Always put the device's own key back, also when the flip failed
        // or timed out (it may have been applied): a device left with the
        // random key has lost every peer.
        let restoreError: unknown;
        for (let attempt = 0; attempt < 3; attempt++) {
          try {
            await exec(restore);
            restoreError = undefined;
            break;
          } catch (error) {
            restoreError = error;
          }
        }
        if (restoreError !== undefined) {
          throw new WireGuardError('restore-failed', `${iface}'s own private key could not be set back after a forced handshake; set it again`, {
            command: planned[1]!.display,
            stderr: restoreError instanceof WireGuardError ? restoreError.stderr : '',
            cause: restoreError,
          });
        }
        if (flipError !== undefined) throw flipError;
        for (const step of steps.slice(2)) await exec(step);
      });
      return Object.freeze(planned);
    },

    async waitForHandshake(iface: string, peerPublicKey: string, after: number, wait: WaitForHandshakeOptions = {}): Promise<number> {
      checkIface(iface);
      checkPublicKey(peerPublicKey);
      const deadline = Date.now() + (wait.timeoutMs ?? 10_000);
      const pollMs = wait.pollMs ?? 100;
      for (;;) {
        const t = (await readLatestHandshakes(iface)).get(peerPublicKey);
        if (t === undefined) throw new InvalidArgumentError('peerPublicKey', `no such peer on ${iface}`);
        if (t > after) return t;
        if (Date.now() >= deadline) {
          throw new WireGuardError('handshake-timeout', `no handshake with the peer on ${iface} after ${after} (latest ${t}) within ${wait.timeoutMs ?? 10_000} ms`);
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
  });
}

/**
 * The rotation engine's applier (§11's `PskApplier`) for one WireGuard
 * interface: `apply(peer, psk)` sets the peer's PSK (§12.1) and nothing
 * else. It does not force a handshake: forcing before the other side holds
 * the same PSK stops this side's traffic to the peer until it does (§12.2),
 * so only the side that applies last (§11's initiator) should call
 * `control.forceHandshake` after applying.
 */
export function wireGuardPskApplier(control: WireGuardControl, iface: string): { apply(peerPublicKey: string, psk: Uint8Array): Promise<void> } {
  checkIface(iface);
  return Object.freeze({
    async apply(peerPublicKey: string, psk: Uint8Array): Promise<void> {
      await control.applyPresharedKey(iface, peerPublicKey, psk);
    },
  });
}
