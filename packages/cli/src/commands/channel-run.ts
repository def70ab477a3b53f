/**
 * The network side of `hybridkem channel`: accept one TCP connection or make
 * one, run the Noise handshake through @hybridkem/transport's Node adapter,
 * then copy stdin to the channel and the channel to stdout until both
 * directions are closed. Library errors become one line naming the command
 * and the peer; nothing reaches stdout that the channel did not authenticate
 * (the adapter delivers only authenticated plaintext).
 * @module
 */
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Duplex } from 'node:stream';
import { encodePublicKey, HybridKemError, keyId } from '@hybridkem/core';
import { UsageError } from '../args.js';
import type { Context } from '../context.js';
import { CliError, type CommandResult } from '../output.js';
import { openSink } from '../sealing.js';
import type { ModeName, PublicKeyFile, StaticKey } from './channel-keys.js';
import type { HostPort } from './gateway.js';

/** Noise's names (spec/TRANSPORT.md §6.1), in the order offered by default. */
export const CIPHER_NAMES = Object.freeze(['ChaChaPoly', 'AESGCM'] as const);
export const HASH_NAMES = Object.freeze(['SHA256', 'SHA512'] as const);
export type CipherName = (typeof CIPHER_NAMES)[number];
export type HashName = (typeof HASH_NAMES)[number];

/** One of `choices`, case-insensitively; a usage error listing them otherwise. */
export function parseChoice<T extends string>(command: string, flag: string, value: string, choices: readonly T[]): T {
  const found = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    throw new UsageError(`${command}: --${flag}: unknown ${flag} ${JSON.stringify(value.slice(0, 40))}, expected one of ${choices.join(', ')}`);
  }
  return found;
}

export interface ChannelRun {
  readonly role: 'listen' | 'connect';
  /** "channel listen", for messages. */
  readonly command: string;
  readonly address: HostPort;
  /** Our static key: the server's (listen), the client's for pqIK (connect). */
  readonly key: StaticKey | undefined;
  /** connect: the server's public key. */
  readonly server?: PublicKeyFile;
  /** listen: when not empty, only pqIK clients with one of these keys. */
  readonly allowed?: readonly PublicKeyFile[];
  readonly mode: ModeName;
  readonly ciphers: readonly CipherName[];
  readonly hashes: readonly HashName[];
  readonly verbose: boolean;
  readonly ctx: Context;
}

const hostPort = ({ host, port }: HostPort): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** "connection refused" for ECONNREFUSED and the like, else the error's own first line. */
function socketReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the peer',
    EADDRINUSE: 'address already in use',
    EADDRNOTAVAIL: 'address not available',
    EACCES: 'permission denied',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'timed out',
    EPIPE: 'connection closed by the peer',
  };
  if (e?.code && known[e.code]) return known[e.code]!;
  return String(e?.message ?? error).split('\n', 1)[0]!;
}

/** A library or socket failure as one line: `COMMAND: WHAT with PEER failed: reason`. */
function channelError(run: ChannelRun, stage: 'handshake' | 'channel', peer: string, error: unknown): Error {
  if (error instanceof CliError || error instanceof UsageError) return error;
  let reason = error instanceof HybridKemError ? error.message.split('\n', 1)[0]! : socketReason(error);
  // A server that cannot decrypt our first message (wrong --server-key, or a client key it does not
  // allow) can only hang up: the client learns no more than that (pqNK/pqIK send nothing back).
  if (run.role === 'connect' && stage === 'handshake' && (error as HybridKemError)?.code === 'ERR_CHANNEL_TRUNCATED') {
    reason += `; check ${run.server!.source}${run.key ? ` and that the server allows ${run.key.source}` : ''}`;
  }
  return new CliError(`${run.command}: ${stage} with ${peer} failed: ${reason}`, { cause: error });
}

function listenOnce(run: ChannelRun): Promise<{ server: Server; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true });
    server.once('error', (error) => reject(new CliError(`${run.command}: cannot listen on ${hostPort(run.address)}: ${socketReason(error)}`, { cause: error })));
    server.once('connection', (socket) => {
      // One connection, like nc -l: no other is accepted meanwhile.
      server.close();
      resolve({ server, socket });
    });
    server.listen(run.address.port, run.address.host, () => {
      const { address, port } = server.address() as { address: string; port: number };
      process.stderr.write(`hybridkem channel: listening on ${hostPort({ host: address, port })}\n`);
    });
  });
}

function connectOnce(run: ChannelRun): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: run.address.host, port: run.address.port, noDelay: true });
    const onError = (error: Error) => reject(new CliError(`${run.command}: cannot connect to ${hostPort(run.address)}: ${socketReason(error)}`, { cause: error }));
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Byte equality of two public keys (not secret: no constant time needed). */
const samePublicKey = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Runs the handshake over `socket` through @hybridkem/transport's Node
 * adapter: a Duplex of authenticated plaintext, and what --verbose says
 * about it. The offer holds the keys' suite only, with each cipher and hash
 * allowed; the listener takes pqNK and pqIK, or pqIK alone with --allow.
 */
async function handshake(run: ChannelRun, socket: Socket, peer: string): Promise<{ channel: Duplex; summary: string }> {
  // Loaded here, not at startup: the package (prom-client included) is not needed by --help or usage errors.
  const { acceptChannel, connectChannel, protocolName } = await import('@hybridkem/transport');
  const backend = await run.ctx.backend();
  const suite = (run.key ?? run.server)!.suite;
  const common = { backend, suites: [suite], ciphers: [...run.ciphers], hashes: [...run.hashes] };
  const staticKeys = run.key ? [{ suite, publicKey: run.key.publicKey, privateKey: run.key.privateKey }] : undefined;
  let channel;
  if (run.role === 'connect') {
    channel = await connectChannel(socket, {
      ...common,
      pattern: run.key ? 'pqIK' : 'pqNK',
      remoteStaticKeys: [{ suite, publicKey: run.server!.publicKey }],
      ...(staticKeys ? { staticKeys } : {}),
    });
  } else {
    const allowed = run.allowed ?? [];
    channel = await acceptChannel(socket, {
      ...common,
      staticKeys,
      patterns: allowed.length > 0 ? ['pqIK'] : ['pqNK', 'pqIK'],
      // Without --allow a client key proves only that the client holds it: accepted, as documented.
      verifyRemoteStatic: (key) => allowed.length === 0 || allowed.some((a) => a.suite.id === key.suite.id && samePublicKey(a.publicKey, key.publicKey)),
    });
  }
  const info = channel.info!;
  const { cipher, hash } = info.parameters;
  let summary = `${protocolName(info.pattern, info.parameters.suite, cipher, hash)} with ${peer}`;
  if (run.role === 'listen' && info.pattern === 'pqIK' && info.remoteStatic) {
    summary += `, client key ${keyId(encodePublicKey(info.parameters.suite, info.remoteStatic))}`;
  }
  return { channel, summary };
}

/**
 * stdin → channel and channel → stdout, both at once; resolves once both
 * directions are closed (our close sent after stdin's end, the peer's
 * authenticated close received).
 */
async function carry(channel: Duplex): Promise<void> {
  const sink = await openSink(undefined, 0o644);
  await Promise.all([pipeline(process.stdin, channel, { end: true }), pipeline(channel, sink.stream)]);
}

/** Ends the socket (if the adapter has not) and resolves once all written to it has gone to the kernel, or it is gone. */
function flushed(socket: Socket): Promise<void> {
  if (socket.destroyed || socket.writableFinished) return Promise.resolve();
  if (!socket.writableEnded) socket.end();
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('finish', done).off('close', done).off('error', done);
      resolve();
    };
    socket.once('finish', done).once('close', done).once('error', done);
  });
}

export async function runChannel(run: ChannelRun): Promise<CommandResult> {
  let socket: Socket | undefined;
  try {
    let peer: string;
    if (run.role === 'listen') {
      ({ socket } = await listenOnce(run));
      peer = hostPort({ host: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 });
    } else {
      socket = await connectOnce(run);
      peer = hostPort(run.address);
    }
    let channel: Duplex;
    let summary: string;
    try {
      ({ channel, summary } = await handshake(run, socket, peer));
    } catch (error) {
      throw channelError(run, 'handshake', peer, error);
    }
    if (run.verbose) process.stderr.write(`hybridkem channel: ${summary}\n`);
    try {
      await carry(channel);
    } catch (error) {
      throw channelError(run, 'channel', peer, error);
    }
    // Both closes are done, and the adapter has ended the socket: our last frames (the close
    // message among them) may still sit in its buffer, and destroying it now would drop them.
    await flushed(socket);
  } finally {
    socket?.destroy();
    run.key?.privateKey.fill(0);
    // stdin may still be open (the peer failed first): it must not keep the process alive.
    process.stdin.destroy();
  }
  return { stdout: '' };
}
