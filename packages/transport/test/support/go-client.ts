import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** interop/go, the Go module holding cmd/hktls. */
export const GO_MODULE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../interop/go');

export type GoTlsResult =
  | { ok: true; group: number; version: string; cipherSuite: number; response?: string }
  | { ok: false; error: string };

export interface GoTlsClientOptions {
  port: number;
  /** Path of a PEM file with the certificate(s) to trust. */
  ca: string;
  /** Host to dial; default 127.0.0.1. */
  host?: string;
  /** SNI / name to verify; default localhost. */
  servername?: string;
  /** IANA group code points in preference order; omitted/empty = Go's defaults. */
  groups?: number[];
  /** Bytes to send after the handshake; the response is read until EOF or the timeout. */
  request?: string;
  /** Bounds dial + handshake + read in the Go client; default 10000. */
  timeoutMs?: number;
}

interface ExecOutcome {
  error: (Error & { code?: unknown; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
  stdout: string;
  stderr: string;
}

function execFileP(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number; maxBuffer?: number },
): Promise<ExecOutcome> {
  return new Promise((resolvePromise) => {
    // execFile waits for the child to exit (and kills it with SIGKILL on
    // timeout) before calling back, so the child is always reaped.
    execFile(
      file,
      args,
      { ...options, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolvePromise({ error, stdout, stderr }),
    );
  });
}

let built: Promise<string> | undefined;

/**
 * Builds interop/go/cmd/hktls once per process (GOPROXY=off) into a temp dir
 * that is removed at exit, and returns the binary path.
 */
export function buildGoTlsClient(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-hktls-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const bin = join(dir, 'hktls');
    const { error, stderr } = await execFileP('go', ['build', '-o', bin, './cmd/hktls'], {
      cwd: GO_MODULE_DIR,
      env: { ...process.env, GOPROXY: 'off', GOFLAGS: '' },
      timeout: 300_000,
    });
    if (error) {
      throw new Error(`buildGoTlsClient: go build ./cmd/hktls in ${GO_MODULE_DIR} failed: ${stderr.trim() || error.message}`);
    }
    return bin;
  })();
  // A failed build may be retried by a later call.
  built.catch(() => {
    built = undefined;
  });
  return built;
}

function parseResult(line: string): GoTlsResult | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.ok === true && typeof o.group === 'number' && typeof o.cipherSuite === 'number' && typeof o.version === 'string') {
    if (o.response !== undefined && typeof o.response !== 'string') return undefined;
    const r: GoTlsResult = { ok: true, group: o.group, version: o.version, cipherSuite: o.cipherSuite };
    if (typeof o.response === 'string') r.response = o.response;
    return r;
  }
  if (o.ok === false && typeof o.error === 'string') return { ok: false, error: o.error };
  return undefined;
}

/**
 * Runs hktls against 127.0.0.1:port and returns its JSON verdict. Resolves
 * with ok:false for TLS failures; rejects only if the tool itself misbehaves
 * (no/invalid JSON, killed by timeout, crash).
 */
export async function runGoTlsClient(opts: GoTlsClientOptions): Promise<GoTlsResult> {
  const bin = await buildGoTlsClient();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const args = [
    '-addr', `${opts.host ?? '127.0.0.1'}:${opts.port}`,
    '-servername', opts.servername ?? 'localhost',
    '-ca', opts.ca,
    '-timeout', `${timeoutMs}ms`,
  ];
  if (opts.groups && opts.groups.length > 0) args.push('-groups', opts.groups.join(','));
  if (opts.request !== undefined) args.push('-request', opts.request);

  // Hard kill a bit after the tool's own timeout.
  const { error, stdout, stderr } = await execFileP(bin, args, { timeout: timeoutMs + 5_000 });
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  const parsed = lines.length === 1 ? parseResult(lines[0]!) : undefined;
  const exitCode = error ? error.code : 0;
  if (parsed && ((parsed.ok && exitCode === 0) || (!parsed.ok && exitCode === 1))) return parsed;

  const how = error?.killed || error?.signal ? `killed (${error.signal ?? 'timeout'})` : `exit code ${String(exitCode)}`;
  throw new Error(
    `runGoTlsClient: hktls did not print exactly one valid JSON result line (${how}); ` +
      `stdout=${JSON.stringify(stdout.slice(0, 2000))} stderr=${JSON.stringify(stderr.slice(0, 2000))}`,
  );
}
