/**
 * `hybridkem gateway`: every flag is checked before anything starts (literal
 * messages, exit status 2 for usage, 1 for unreadable files), and a real run
 * of the built CLI with two workers proxies one hybrid TLS connection to an
 * upstream, counts it in /metrics, and exits 0 on SIGTERM leaving no worker.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { TLS_POLICY_NAMES, tlsOptions } from '@hybridkem/transport';
import { childPids, processExists, spawnProcess, stopProcess } from '@hybridkem/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostPort, parseInteger, POLICY_NAMES } from '../src/commands/gateway.js';
import { UsageError } from '../src/args.js';
import { CLI, cliBuilt, hybridkem, tempDir } from './helpers.js';

let dir: { path: string; cleanup: () => Promise<void> };
let certPath: string;
let keyPath: string;
let cert: string;

beforeAll(async () => {
  cliBuilt();
  dir = await tempDir();
  certPath = join(dir.path, 'cert.pem');
  keyPath = join(dir.path, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
  );
  chmodSync(keyPath, 0o600);
  cert = readFileSync(certPath, 'utf8');
});

afterAll(async () => {
  await dir?.cleanup();
});

const base = (): string[] => ['gateway', '--listen', '127.0.0.1:0', '--upstream', '127.0.0.1:9', '--cert', certPath, '--key', keyPath, '--policy', 'hybrid-only'];

/** `base()` with `flag` replaced by `value` (or removed when value is undefined), plus extra arguments. */
function argsWith(flag: string, value: string | undefined, ...extra: string[]): string[] {
  const args = base();
  const i = args.indexOf(flag);
  if (value === undefined) args.splice(i, 2);
  else args[i + 1] = value;
  return [...args, ...extra];
}

async function fails(args: string[], code: number, stderr: string): Promise<void> {
  const r = await hybridkem(args);
  expect(r.stderr).toBe(stderr);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(code);
}

describe('gateway: HOST:PORT and integers, strictly', () => {
  it("the policy names for help and completions are @hybridkem/transport's TLS_POLICY_NAMES", () => {
    expect(POLICY_NAMES).toEqual(TLS_POLICY_NAMES);
  });

  it('takes IPv4, host names and bracketed IPv6', () => {
    expect(parseHostPort('listen', '127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseHostPort('listen', 'localhost:1')).toEqual({ host: 'localhost', port: 1 });
    expect(parseHostPort('listen', 'app.internal.example:65535')).toEqual({ host: 'app.internal.example', port: 65535 });
    expect(parseHostPort('listen', '[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseHostPort('listen', '[::]:0', { allowZero: true })).toEqual({ host: '::', port: 0 });
    expect(parseHostPort('listen', '0.0.0.0:0', { allowZero: true })).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it.each([
    ['8443', 'gateway: --listen: expected HOST:PORT (an IPv6 address in brackets: [::1]:8443), got "8443"'],
    [':8443', 'gateway: --listen: missing host: expected HOST:PORT (an IPv6 address in brackets: [::1]:8443), got ":8443"'],
    ['::1:8443', 'gateway: --listen: an IPv6 address goes in brackets, as in [::1]:8443; got "::1:8443"'],
    ['[::1]8443', 'gateway: --listen: expected HOST:PORT (an IPv6 address in brackets: [::1]:8443), got "[::1]8443"'],
    ['[127.0.0.1]:8443', 'gateway: --listen: "127.0.0.1" in brackets is not an IPv6 address'],
    ['[::1]:', 'gateway: --listen: port must be an integer from 1 to 65535, got ""'],
    ['localhost:65536', 'gateway: --listen: port must be an integer from 1 to 65535, got "65536"'],
    ['localhost:0', 'gateway: --listen: port must be an integer from 1 to 65535, got "0"'],
    ['localhost:08443', 'gateway: --listen: port must be an integer from 1 to 65535, got "08443"'],
    ['localhost:+80', 'gateway: --listen: port must be an integer from 1 to 65535, got "+80"'],
    ['localhost:http', 'gateway: --listen: port must be an integer from 1 to 65535, got "http"'],
    ['999.1.1.1:80', 'gateway: --listen: "999.1.1.1" is not an IPv4 address or a host name'],
    ['bad_host:80', 'gateway: --listen: "bad_host" is not an IPv4 address or a host name'],
    ['-x.example:80', 'gateway: --listen: "-x.example" is not an IPv4 address or a host name'],
  ])('refuses %s', (value, message) => {
    expect(() => parseHostPort('listen', value)).toThrow(new UsageError(message));
  });

  it.each(['', '1.5', '1e3', '0x10', ' 4', '4 ', '-1', '+4', '04', '9007199254740993'])('refuses the integer %j', (value) => {
    expect(() => parseInteger('workers', value, 1, 1024)).toThrow(
      new UsageError(`gateway: --workers: expected an integer from 1 to 1024, got ${JSON.stringify(value)}`),
    );
  });

  it('takes integers in range', () => {
    expect(parseInteger('workers', '1', 1, 1024)).toBe(1);
    expect(parseInteger('workers', '1024', 1, 1024)).toBe(1024);
    expect(parseInteger('drain-timeout', '0', 0, 10)).toBe(0);
    expect(() => parseInteger('workers', '1025', 1, 1024)).toThrow(new UsageError('gateway: --workers: expected an integer from 1 to 1024, got "1025"'));
  });
});

describe('gateway: command-line errors', () => {
  it('each required flag is named when missing', async () => {
    await fails(argsWith('--listen', undefined), 2, 'hybridkem: gateway: --listen HOST:PORT is required\n');
    await fails(argsWith('--upstream', undefined), 2, 'hybridkem: gateway: --upstream HOST:PORT is required\n');
    await fails(argsWith('--cert', undefined), 2, 'hybridkem: gateway: --cert FILE is required\n');
    await fails(argsWith('--key', undefined), 2, 'hybridkem: gateway: --key FILE is required\n');
    await fails(argsWith('--policy', undefined), 2, 'hybridkem: gateway: --policy NAME is required\n');
  });

  it('addresses, policy and integers are checked before anything starts', async () => {
    await fails(argsWith('--listen', '::1:8443'), 2, 'hybridkem: gateway: --listen: an IPv6 address goes in brackets, as in [::1]:8443; got "::1:8443"\n');
    await fails(argsWith('--upstream', '127.0.0.1:0'), 2, 'hybridkem: gateway: --upstream: port must be an integer from 1 to 65535, got "0"\n');
    await fails(
      argsWith('--policy', 'classical'),
      2,
      'hybridkem: gateway: --policy: unknown TLS policy "classical", expected one of hybrid-only, hybrid-with-classical-fallback, fips-advisory, fips-strict\n',
    );
    await fails([...base(), '--metrics', 'localhost'], 2, 'hybridkem: gateway: --metrics: expected HOST:PORT (an IPv6 address in brackets: [::1]:8443), got "localhost"\n');
    await fails([...base(), '--workers', '0'], 2, 'hybridkem: gateway: --workers: expected an integer from 1 to 1024, got "0"\n');
    await fails([...base(), '--max-connections', '1e4'], 2, 'hybridkem: gateway: --max-connections: expected an integer from 1 to 10000000, got "1e4"\n');
    await fails([...base(), '--handshake-timeout', '2.5'], 2, 'hybridkem: gateway: --handshake-timeout: expected an integer from 1 to 2147483647, got "2.5"\n');
    await fails([...base(), '--idle-timeout=-1'], 2, 'hybridkem: gateway: --idle-timeout: expected an integer from 1 to 2147483647, got "-1"\n');
    await fails([...base(), '--drain-timeout', '2147483648'], 2, 'hybridkem: gateway: --drain-timeout: expected an integer from 1 to 2147483647, got "2147483648"\n');
    await fails([...base(), '--workers', '2', '--workers', '3'], 2, 'hybridkem: gateway: --workers given more than once\n');
    await fails([...base(), '--json'], 2, 'hybridkem: gateway: --json is not supported (it logs to stderr and serves metrics)\n');
    await fails([...base(), 'extra'], 2, 'hybridkem: gateway: unexpected argument (this command takes options only)\n');
  });

  it('an unreadable certificate or key names the path; a key file is never printed', async () => {
    const missing = join(dir.path, 'missing.pem');
    await fails(argsWith('--cert', missing), 1, `hybridkem: --cert ${missing}: cannot read: no such file or directory\n`);
    await fails(argsWith('--key', missing), 1, `hybridkem: --key ${missing}: cannot read: no such file or directory\n`);
    await fails(argsWith('--key', dir.path), 1, `hybridkem: --key ${dir.path}: not a regular file\n`);
    const notPem = join(dir.path, 'not-pem.key');
    writeFileSync(notPem, 'SECRET-KEY-MATERIAL-0123456789\n', { mode: 0o600 });
    await fails(argsWith('--key', notPem), 1, `hybridkem: --key ${notPem}: no PEM private key in it (-----BEGIN PRIVATE KEY-----)\n`);
    await fails(argsWith('--cert', notPem), 1, `hybridkem: --cert ${notPem}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)\n`);
    // A key that does not match the certificate: OpenSSL's reason, not the key.
    const other = join(dir.path, 'other.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other], { stdio: 'ignore' });
    const r = await hybridkem(argsWith('--key', other));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^hybridkem: --cert ${certPath} and --key ${other}: cannot be used together: .*key values mismatch\\n$`));
    expect(r.stderr).not.toContain(readFileSync(other, 'utf8').split('\n')[1]!);
  });

  it('help, completions and the man page list it with the policies', async () => {
    const help = await hybridkem(['gateway', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('hybridkem gateway: run a post-quantum TLS gateway in front of a TCP service, with Prometheus metrics');
    expect(help.stdout).toContain('  --listen HOST:PORT ');
    expect((await hybridkem(['completion', 'bash'])).stdout).toContain('COMPREPLY=($(compgen -W "hybrid-only hybrid-with-classical-fallback fips-advisory fips-strict" -- "$cur"))');
    expect((await hybridkem(['man'])).stdout).toContain('.SS hybridkem gateway\n');
  });
});

// --- a real run -------------------------------------------------------------

/** A port free at the moment of asking (listen on 0, read it, close). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('gateway: a real run', () => {
  let upstream: Server | undefined;
  afterAll(async () => {
    await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  });

  it('proxies a hybrid TLS connection with two workers, counts it in /metrics, and exits 0 on SIGTERM', async () => {
    upstream = createNetServer((socket) => {
      socket.once('data', (data) => socket.end(Buffer.concat([Buffer.from('pong:'), data])));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const metricsPort = await freePort();

    const child = spawnProcess(
      process.execPath,
      [CLI, 'gateway', '--listen', '127.0.0.1:0', '--upstream', `127.0.0.1:${upstreamPort}`, '--cert', certPath, '--key', keyPath,
        '--policy', 'hybrid-only', '--workers', '2', '--metrics', `127.0.0.1:${metricsPort}`, '--drain-timeout', '5000'],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let stderr = '';
      let stdout = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const listening = await new Promise<{ host: string; port: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line within 30 s; stderr: ${stderr}`)), 30_000);
        child.stderr!.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          const m = /^hybridkem gateway: listening on (\S+):(\d+) \(policy hybrid-only, 2 workers\)$/m.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve({ host: m[1]!, port: Number(m[2]) });
          }
        });
        void exited.then(({ code }) => reject(new Error(`gateway exited ${code} before listening; stderr: ${stderr}`)));
      });
      expect(listening.host).toBe('127.0.0.1');
      expect(listening.port).toBeGreaterThan(0);
      const workers = childPids(child.pid!);
      expect(workers).toHaveLength(2);

      // Plain tls.connect under the policy's options: this runs on every supported Node, and
      // connect()'s client-side report needs one that names hybrid groups. The server side,
      // /metrics below, is what this test is about.
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: listening.port, ca: cert, servername: 'localhost', ...tlsOptions('hybrid-only') });
        const chunks: Buffer[] = [];
        socket.once('secureConnect', () => socket.write('ping'));
        socket.on('data', (d: Buffer) => chunks.push(d));
        socket.once('end', () => resolve(Buffer.concat(chunks).toString()));
        socket.once('error', reject);
      });
      expect(reply).toBe('pong:ping');

      const accepted = /^hybridkem_gateway_handshakes_total\{(?=[^}]*policy="hybrid-only")(?=[^}]*group="X25519MLKEM768")(?=[^}]*result="accepted")[^}]*\} (\S+)$/m;
      let metrics = '';
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        expect(res.status).toBe(200);
        metrics = await res.text();
        if (accepted.exec(metrics)?.[1] === '1') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(accepted.exec(metrics)?.[1]).toBe('1');

      child.kill('SIGTERM');
      const { code, signal } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stdout).toBe('');
      // No worker outlives the primary: the process group (spawnProcess starts one) is empty.
      for (let i = 0; i < 10 && processExists(-child.pid!); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(processExists(-child.pid!)).toBe(false);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    } finally {
      await stopProcess(child);
    }
  });
});
