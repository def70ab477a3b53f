/**
 * What the `hybridkem mesh` commands share: the mesh's suites, option
 * parsing (node lists, key names, NATS URLs), loading identities with a
 * passphrase, connecting to the distribution and reading the directory
 * through the trust anchor. @hybridkem/mesh (with nats.js and prom-client)
 * is imported only when a mesh command runs.
 * @module
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createConnection } from 'node:net';
import { dearmor, HybridKemError } from '@hybridkem/core';
import type { AuditLog, DirectoryRecord, Distribution, MeshCrypto, MeshIdentity, PublicIdentity, TrustedDirectory } from '@hybridkem/mesh';
import { stringOption, UsageError, type ParsedArgs } from '../args.js';
import type { Context } from '../context.js';
import { CliError, describeError } from '../output.js';
import { passphraseSource } from '../passphrase.js';
import { fsReason } from '../sealing.js';
import { parseHostPort, type HostPort } from './gateway.js';

export type Mesh = typeof import('@hybridkem/mesh');

/** One mesh uses one HPKE suite and one signature suite (every record and envelope is checked with them). */
export const MESH_SUITES = Object.freeze({
  kem: 'X-Wing',
  kdf: 'HKDF-SHA256',
  aead: 'AES-128-GCM',
  signature: 'MLDSA65-Ed25519-SHA512',
} as const);

export const MESH_SUITES_TEXT = `HPKE ${MESH_SUITES.kem} with ${MESH_SUITES.kdf} and ${MESH_SUITES.aead}, signatures ${MESH_SUITES.signature}`;

export function loadMesh(): Promise<Mesh> {
  return import('@hybridkem/mesh');
}

/** The mesh's primitives on the backend the command line chose (--backend, $HYBRIDKEM_BACKEND or auto). */
export async function meshCrypto(ctx: Context): Promise<MeshCrypto> {
  const [{ createHpkeSuite }, { createSigner }] = await Promise.all([import('@hybridkem/seal'), import('@hybridkem/signing')]);
  const [backend, signatureBackend] = await Promise.all([ctx.backend(), ctx.signatureBackend()]);
  return Object.freeze({
    hpke: createHpkeSuite({ kem: MESH_SUITES.kem, kdf: MESH_SUITES.kdf, aead: MESH_SUITES.aead, backend }),
    signer: createSigner(MESH_SUITES.signature, signatureBackend),
  });
}

export function required(args: ParsedArgs, command: string, name: string, placeholder: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} ${placeholder} is required`);
  return value;
}

/** A user's value quoted for an error message, cut at 60 characters. */
export const shown = (value: string): string => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** A decimal integer from `min` to `max`: digits only. */
export function parseCount(command: string, flag: string, value: string, min: number, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${command}: --${flag}: expected an integer from ${min} to ${max}, got ${shown(value)}`);
  }
  return Number(value);
}

const NODE_NAME = /^[a-z0-9-]{1,64}$/;

/** NODE,NODE,…: 1..1024 distinct names of [a-z0-9-] (spec/MESH.md §3). */
export function parseNodeList(command: string, value: string): string[] {
  const names = value.split(',').map((n) => n.trim());
  if (names.length > 1024) throw new UsageError(`${command}: --to: at most 1024 nodes`);
  for (const n of names) {
    if (!NODE_NAME.test(n)) throw new UsageError(`${command}: --to: ${shown(n)} is not a node name (1..64 characters of a-z, 0-9 and -)`);
  }
  if (new Set(names).size !== names.length) throw new UsageError(`${command}: --to: a node is named twice`);
  return names;
}

/** --nats URL: nats://host:port[,host:port…] (checked by the mesh's parseNatsUrl when it connects). */
export function natsUrl(args: ParsedArgs, command: string): string {
  const url = required(args, command, 'nats', 'URL');
  if (!url.startsWith('nats://')) throw new UsageError(`${command}: --nats: expected nats://host:port[,host:port…], got ${shown(url)}`);
  return url;
}

/** How long the servers of --nats get to accept a TCP connection. */
const REACH_TIMEOUT_MS = 5_000;

/** Whether `host:port` accepts a TCP connection within the timeout. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(REACH_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Connects to NATS JetStream. The distribution waits for ever for a first
 * server (right for a cluster that is starting); a command line should not,
 * so one of the servers must accept a TCP connection first, or the command
 * fails with one line.
 */
export async function connect(mesh: Mesh, command: string, url: string, name: string): Promise<Distribution> {
  let servers: string[];
  try {
    servers = mesh.parseNatsUrl(url);
  } catch (error) {
    throw new UsageError(`${command}: --nats: ${describeError(error)}`);
  }
  const probes = servers.map((s) => {
    const hp = s.slice('nats://'.length);
    const colon = hp.lastIndexOf(':');
    return reachable(hp.slice(0, colon).replace(/^\[|\]$/g, ''), Number(hp.slice(colon + 1)));
  });
  if (!(await Promise.all(probes)).some(Boolean)) throw new CliError(`${command}: no NATS server answers at ${url}`);
  try {
    return await mesh.connectDistribution(url, { nats: { connectionName: `hybridkem-${name}`, publishRetryMs: 10_000 } });
  } catch (error) {
    throw new CliError(`${command}: cannot connect to ${url}: ${describeError(error)}`, { cause: error });
  }
}

/** Reads an identity's public part (no passphrase). */
export async function publicIdentityOf(mesh: Mesh, command: string, flag: string, dir: string): Promise<PublicIdentity> {
  try {
    return await mesh.loadPublicIdentity(dir);
  } catch (error) {
    throw new CliError(`${command}: --${flag} ${dir}: ${describeError(error)}`, { cause: error });
  }
}

/** Reads and decrypts an identity with the passphrase from --passphrase-file, --passphrase-env or the terminal. Secret: wipe it. */
export async function identityOf(
  mesh: Mesh,
  args: ParsedArgs,
  command: string,
  flag: string,
  dir: string,
  crypto: MeshCrypto,
  role: 'anchor' | 'issuer' | 'node',
): Promise<MeshIdentity> {
  const pub = await publicIdentityOf(mesh, command, flag, dir);
  if (pub.role !== role) throw new CliError(`${command}: --${flag} ${dir}: is the identity of ${a(pub.role)} ${pub.role}, expected ${a(role)} ${role}`);
  const passphrase = await passphraseSource(args, command).get(`${dir} (${role} ${pub.name})`, false);
  try {
    return await mesh.loadIdentity(dir, { passphrase, crypto });
  } catch (error) {
    if (error instanceof HybridKemError) throw new CliError(`${command}: --${flag} ${dir}: ${describeError(error)}`, { cause: error });
    throw error;
  }
}

const a = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** The largest anchor public key file read (an armored MLDSA87-Ed448 key is about 3,600 characters). */
const MAX_ANCHOR_FILE = 16_384;

/**
 * The trust anchor's encoded signing public key, from --anchor: an anchor
 * identity directory (its public part only is read) or a signing public key
 * file (armored or binary).
 */
export async function anchorPublicKey(mesh: Mesh, command: string, path: string): Promise<Uint8Array> {
  let isDir = false;
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      isDir = st.isDirectory();
      if (!isDir) {
        if (!st.isFile()) throw new CliError(`${command}: --anchor ${path}: not a regular file or directory`);
        if (st.size > MAX_ANCHOR_FILE) throw new CliError(`${command}: --anchor ${path}: ${st.size} bytes, too large for a signing public key`);
        const bytes = new Uint8Array(await handle.readFile());
        const text = new TextDecoder().decode(bytes);
        let encoded: Uint8Array = bytes;
        try {
          if (text.includes('-----BEGIN')) encoded = dearmor(text).encoded;
          const { decodeSigningPublicKey } = await import('@hybridkem/signing');
          decodeSigningPublicKey(encoded);
        } catch (error) {
          throw new CliError(`${command}: --anchor ${path}: not a signing public key: ${describeError(error)}`, { cause: error });
        }
        return encoded;
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${command}: --anchor ${path}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  const pub = await publicIdentityOf(mesh, command, 'anchor', path);
  if (pub.role !== 'anchor') throw new CliError(`${command}: --anchor ${path}: is the identity of ${a(pub.role)} ${pub.role}, expected the trust anchor`);
  return pub.signingPublicKey;
}

/** Every directory record that verifies against the anchor, and what was refused (name and reason). */
export async function readDirectory(
  mesh: Mesh,
  distribution: Distribution,
  crypto: MeshCrypto,
  anchor: Uint8Array,
): Promise<{ directory: TrustedDirectory; refused: { role: string; name: string; reason: string }[] }> {
  const directory = new mesh.TrustedDirectory({ crypto, anchorPublicKey: anchor });
  const refused: { role: string; name: string; reason: string }[] = [];
  const entries = (await distribution.directory.list()).sort((x, y) => x.revision - y.revision);
  for (const entry of entries) {
    try {
      directory.add(entry.bytes);
    } catch (error) {
      refused.push({ role: entry.role, name: entry.name, reason: error instanceof mesh.DirectoryError ? error.reason : describeError(error) });
    }
  }
  return { directory, refused };
}

/** A record for display: no key bytes, key ids only. */
export function recordSummary(r: DirectoryRecord): Record<string, string | number> {
  return {
    role: r.role,
    name: r.name,
    revision: r.revision,
    issuedAt: new Date(r.issuedAt).toISOString(),
    signingKeyId: r.signingKeyId,
    ...(r.kemKeyId !== undefined ? { kemKeyId: r.kemKeyId } : {}),
    ...(r.role === 'issuer' ? { keyNames: r.keyNamePattern } : {}),
  };
}

/** A fixed-width table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export const AUDIT_LOG_OPTION = {
  type: 'string',
  value: 'FILE',
  description: "append every event to the signed, hash-chained audit log FILE (signed with this identity's key; check it with hybridkem audit verify)",
} as const;

/** Opens (or resumes) the audit log at `path`, signed with the identity's signing key; errors name the file. */
export async function openAudit(mesh: Mesh, command: string, path: string, crypto: MeshCrypto, identity: MeshIdentity): Promise<AuditLog> {
  try {
    return await mesh.openAuditLog(path, { signer: crypto.signer, signingPrivateKey: identity.signing.privateKey, signingPublicKey: identity.signing.publicKey });
  } catch (error) {
    throw new CliError(`${command}: --audit-log ${path}: ${describeError(error)}`, { cause: error });
  }
}

/** --anchor, read by anchorPublicKey. */
export const ANCHOR_OPTION = {
  type: 'string',
  value: 'DIR|FILE',
  description: "the trust anchor: its identity directory (only the public key is read) or its signing public key file",
} as const;

/** --identity of a node command (nodeCommandOptions). */
export const NODE_IDENTITY_OPTION = { type: 'string', value: 'DIR', description: "the node's identity directory" } as const;

/**
 * The options every long-running node command (mesh agent, mesh wg run)
 * opens with: it logs to stderr, so --json is refused; --identity (the
 * node's identity directory) and --anchor.
 */
export function nodeCommandOptions(args: ParsedArgs, command: string): { identityDir: string; anchorPath: string } {
  if (args.common.json) throw new UsageError(`${command}: --json is not supported (it logs to stderr)`);
  const identityDir = required(args, command, 'identity', 'DIR');
  const anchorPath = required(args, command, 'anchor', 'DIR|FILE');
  return { identityDir, anchorPath };
}

/** A node command's keys: the trust anchor's public key, the suites, and the node's identity (decrypted; secret: wipe it). */
export async function loadNode(
  mesh: Mesh,
  args: ParsedArgs,
  ctx: Context,
  command: string,
  o: { identityDir: string; anchorPath: string },
): Promise<{ anchor: Uint8Array; crypto: MeshCrypto; identity: MeshIdentity }> {
  const anchor = await anchorPublicKey(mesh, command, o.anchorPath);
  const crypto = await meshCrypto(ctx);
  const identity = await identityOf(mesh, args, command, 'identity', o.identityDir, crypto, 'node');
  return { anchor, crypto, identity };
}

/** A command's teardown: push() what undoes each step as it succeeds; run() undoes them last first, each once, ignoring failures. */
export interface Cleanups {
  push(undo: () => Promise<void>): void;
  run(): Promise<void>;
}

export function cleanups(): Cleanups {
  const steps: (() => Promise<void>)[] = [];
  return {
    push: (undo) => void steps.push(undo),
    async run() {
      for (let undo = steps.pop(); undo !== undefined; undo = steps.pop()) await undo().catch(() => undefined);
    },
  };
}

/** --metrics of a long-running node command (mesh agent, mesh wg run), read by metricsOption and served by serveMetrics. */
export const METRICS_OPTION = { type: 'string', value: 'HOST:PORT', description: 'serve Prometheus metrics at http://HOST:PORT/metrics' } as const;

/** --metrics HOST:PORT (port 0: any free port), or undefined when not given; usage errors name `command`. */
export function metricsOption(args: ParsedArgs, command: string): { text: string; at: HostPort } | undefined {
  const text = stringOption(args, 'metrics');
  if (text === undefined) return undefined;
  try {
    return { text, at: parseHostPort('metrics', text, { allowZero: true }) };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^gateway:/, `${command}:`));
    throw error;
  }
}

/** What serveMetrics serves: a prom-client Registry. */
export interface MetricsRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
}

/**
 * Serves `registry` at http://HOST:PORT/metrics (GET; anything else 404)
 * until `teardown` runs, and logs the URL (with the port the system chose
 * for port 0). A listen failure is a CliError naming --metrics.
 */
export async function serveMetrics(
  command: string,
  option: { text: string; at: HostPort },
  registry: MetricsRegistry,
  teardown: Cleanups,
  log: (message: string) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new CliError(`${command}: --metrics ${option.text}: ${fsReason(error)}`, { cause: error })));
    server.listen(option.at.port, option.at.host, () => resolve());
  });
  teardown.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : option.at.port;
  const url = `http://${option.at.host.includes(':') ? `[${option.at.host}]` : option.at.host}:${port}/metrics`;
  log(`metrics on ${url}`);
  return url;
}
