/**
 * `hybridkem gateway`: a post-quantum TLS gateway in front of a TCP service
 * (@hybridkem/transport's runGatewayMain): TLS under a named policy on
 * --listen, plain TCP to --upstream, Prometheus metrics on --metrics.
 * Everything on the command line is checked here, before any worker starts.
 * @module
 */
import { open } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { TlsPolicyName } from '@hybridkem/transport';
import { stringOption, UsageError, type ParsedArgs } from '../args.js';
import type { Command } from '../context.js';
import { CliError } from '../output.js';
import { fsReason } from '../sealing.js';

/**
 * @hybridkem/transport's TLS_POLICY_NAMES, for help, completions and the man
 * page without loading the package (about 0.2 s, prom-client included) on
 * every command: it is imported only when the gateway runs, and checks the
 * name against its own list. test/gateway.test.ts holds this copy to it.
 */
export const POLICY_NAMES = Object.freeze([
  'hybrid-only',
  'hybrid-with-classical-fallback',
  'fips-advisory',
  'fips-strict',
] as const satisfies readonly TlsPolicyName[]);

/** A PEM certificate chain or key is far smaller than this. */
const MAX_PEM_BYTES = 1024 * 1024;
/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const shown = (value: string): string => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/**
 * HOST:PORT, strictly: HOST an IPv4 address, a host name, or an IPv6 address
 * in brackets ([::1]:8443); PORT decimal, 1–65535 (0, "any free port", where
 * `allowZero`). The host is returned without brackets. Errors start with
 * `where` (default "gateway: --FLAG"; `hybridkem channel` names its own).
 */
export function parseHostPort(flag: string, value: string, { allowZero = false, where = `gateway: --${flag}` } = {}): HostPort {
  const expected = `expected HOST:PORT (an IPv6 address in brackets: [::1]:8443), got ${shown(value)}`;
  let host: string;
  let port: string;
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(value);
  if (bracketed) {
    [, host, port] = bracketed as unknown as [string, string, string];
    if (!isIPv6(host)) throw new UsageError(`${where}: ${shown(host)} in brackets is not an IPv6 address`);
  } else {
    const colon = value.lastIndexOf(':');
    if (colon < 0 || value.startsWith('[')) throw new UsageError(`${where}: ${expected}`);
    host = value.slice(0, colon);
    port = value.slice(colon + 1);
    if (host.includes(':')) {
      throw new UsageError(`${where}: an IPv6 address goes in brackets, as in [::1]:8443; got ${shown(value)}`);
    }
    if (host === '') throw new UsageError(`${where}: missing host: ${expected}`);
    if (!isIPv4(host) && (/^[0-9.]+$/.test(host) || !HOSTNAME.test(host))) {
      throw new UsageError(`${where}: ${shown(host)} is not an IPv4 address or a host name`);
    }
  }
  const min = allowZero ? 0 : 1;
  if (!/^(0|[1-9][0-9]{0,4})$/.test(port) || Number(port) > 65535 || Number(port) < min) {
    throw new UsageError(`${where}: port must be an integer from ${min} to 65535, got ${shown(port)}`);
  }
  return { host, port: Number(port) };
}

/** A decimal integer from `min` to `max`: digits only (no sign, exponent, fraction or leading zero). */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`gateway: --${flag}: expected an integer from ${min} to ${max}, got ${shown(value)}`);
  }
  return Number(value);
}

function required(args: ParsedArgs, name: string, placeholder: string): string {
  const value = stringOption(args, name);
  if (value === undefined) throw new UsageError(`gateway: --${name} ${placeholder} is required`);
  return value;
}

function integerOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = stringOption(args, name);
  return value === undefined ? undefined : parseInteger(name, value, min, max);
}

/**
 * A PEM file's text. Errors name the option and the path, never the
 * contents (the key file holds the private key).
 */
export async function readPem(flag: 'cert' | 'key', path: string): Promise<string> {
  const what = `--${flag} ${path}`;
  if (path === '') throw new UsageError(`gateway: --${flag} needs a non-empty FILE`);
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new CliError(`${what}: not a regular file`);
      if (st.size > MAX_PEM_BYTES) throw new CliError(`${what}: file is ${st.size} bytes, too large for a PEM ${flag === 'cert' ? 'certificate' : 'key'}`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  if (flag === 'cert' && !text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CliError(`${what}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)`);
  }
  if (flag === 'key' && !/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
    throw new CliError(`${what}: no PEM private key in it (-----BEGIN PRIVATE KEY-----)`);
  }
  return text;
}

export const gateway: Command = {
  spec: {
    name: 'gateway',
    summary: 'run a post-quantum TLS gateway in front of a TCP service, with Prometheus metrics',
    usage: [
      'hybridkem gateway --listen HOST:PORT --upstream HOST:PORT --cert FILE --key FILE --policy NAME',
      '                  [--metrics HOST:PORT] [--workers N] [--max-connections N]',
      '                  [--handshake-timeout MS] [--idle-timeout MS] [--drain-timeout MS]',
    ],
    description: [
      'Accepts TLS 1.3 on --listen under the TLS policy --policy (hybrid-only: X25519MLKEM768,',
      'SecP256r1MLKEM768 or SecP384r1MLKEM1024 only; hybrid-with-classical-fallback: those, else',
      'X25519 or P-256, counted as fallbacks; fips-advisory and fips-strict: the NIST hybrids first,',
      'resp. only), and forwards each connection\'s plaintext to --upstream over TCP. Runs in',
      '--workers processes (default: one per CPU) sharing the listening port. --metrics serves',
      'Prometheus metrics (GET /metrics): handshakes by policy, group and result, handshake',
      'durations, fallbacks, refusals by reason, active connections, proxied bytes and upstream',
      'failures. HOST:PORT takes an IPv4 address, a host name or an IPv6 address in brackets',
      '([::1]:8443); port 0 in --listen or --metrics picks a free port. --cert and --key are PEM',
      'files. On SIGTERM or SIGINT it stops accepting, lets open connections finish for up to',
      '--drain-timeout ms, and exits with status 0. It prints "hybridkem gateway: listening on',
      'HOST:PORT (policy P, N workers)" on stderr once every worker listens.',
    ].join('\n'),
    options: {
      listen: { type: 'string', value: 'HOST:PORT', description: 'where to accept TLS connections' },
      upstream: { type: 'string', value: 'HOST:PORT', description: 'the TCP service to forward each connection to' },
      cert: { type: 'string', value: 'FILE', description: 'the server certificate (chain), PEM' },
      key: { type: 'string', value: 'FILE', description: "the certificate's private key, PEM" },
      policy: { type: 'string', value: 'NAME', choices: POLICY_NAMES, description: 'the TLS policy, e.g. hybrid-only or hybrid-with-classical-fallback' },
      metrics: { type: 'string', value: 'HOST:PORT', description: 'serve Prometheus metrics at http://HOST:PORT/metrics' },
      workers: { type: 'string', value: 'N', description: 'worker processes (default: one per CPU)' },
      'max-connections': { type: 'string', value: 'N', description: 'open connections at a time, shared among the workers (default 10000); more are closed at accept' },
      'handshake-timeout': { type: 'string', value: 'MS', description: 'close a client whose TLS handshake has not ended after MS milliseconds (default 10000)' },
      'idle-timeout': { type: 'string', value: 'MS', description: 'close a connection with no traffic either way for MS milliseconds (default 60000)' },
      'drain-timeout': { type: 'string', value: 'MS', description: 'on SIGTERM or SIGINT, wait up to MS milliseconds for open connections to finish (default 30000)' },
    },
    examples: [
      'hybridkem gateway --listen 0.0.0.0:8443 --upstream 127.0.0.1:8080 --cert server.crt --key server.key --policy hybrid-only',
      'hybridkem gateway --listen [::]:443 --upstream app:80 --cert tls.crt --key tls.key --policy hybrid-with-classical-fallback --metrics 127.0.0.1:9464 --workers 4',
    ],
  },

  async run(args) {
    if (args.common.json) throw new UsageError('gateway: --json is not supported (it logs to stderr and serves metrics)');
    const listen = parseHostPort('listen', required(args, 'listen', 'HOST:PORT'), { allowZero: true });
    const upstream = parseHostPort('upstream', required(args, 'upstream', 'HOST:PORT'));
    const certPath = required(args, 'cert', 'FILE');
    const keyPath = required(args, 'key', 'FILE');
    const policy = required(args, 'policy', 'NAME');
    const { assertHybridTls, runGatewayMain, TLS_POLICY_NAMES } = await import('@hybridkem/transport');
    if (!(TLS_POLICY_NAMES as readonly string[]).includes(policy)) {
      throw new UsageError(`gateway: --policy: unknown TLS policy ${shown(policy)}, expected one of ${TLS_POLICY_NAMES.join(', ')}`);
    }
    const metricsText = stringOption(args, 'metrics');
    const metrics = metricsText === undefined ? undefined : parseHostPort('metrics', metricsText, { allowZero: true });
    const workers = integerOption(args, 'workers', 1, 1024);
    const maxConnections = integerOption(args, 'max-connections', 1, 10_000_000);
    const handshakeTimeoutMs = integerOption(args, 'handshake-timeout', 1, MAX_TIMEOUT_MS);
    const idleTimeoutMs = integerOption(args, 'idle-timeout', 1, MAX_TIMEOUT_MS);
    const drainTimeoutMs = integerOption(args, 'drain-timeout', 1, MAX_TIMEOUT_MS);

    const cert = await readPem('cert', certPath);
    const key = await readPem('key', keyPath);
    // Fail here, once, rather than in every worker: a Node without the hybrid groups, or a
    // certificate and key that do not load or do not match (OpenSSL's message, never the key).
    assertHybridTls();
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
      throw new CliError(`--cert ${certPath} and --key ${keyPath}: cannot be used together: ${reason}`);
    }

    await runGatewayMain({
      policy: policy as TlsPolicyName,
      listen,
      upstream,
      cert,
      key,
      ...(metrics ? { metrics } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(maxConnections !== undefined ? { maxConnections } : {}),
      ...(handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs } : {}),
      ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
      ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
    });
    return { stdout: '' };
  },
};
