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
import { HybridKemError } from '@hybridkem/core';
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
  const reason = error instanceof HybridKemError ? error.message.split('\n', 1)[0]! : socketReason(error);
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

/**
 * Runs the handshake over `socket` through the transport package's Node
 * adapter: a Duplex of authenticated plaintext, and what to say about the
 * handshake with --verbose.
 */
async function handshake(run: ChannelRun, socket: Socket): Promise<{ channel: Duplex; summary: string }> {
  void run;
  void socket;
  throw new CliError('channel: the Noise channel is not available yet');
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

export async function runChannel(run: ChannelRun): Promise<CommandResult> {
  let socket: Socket;
  let peer: string;
  if (run.role === 'listen') {
    ({ socket } = await listenOnce(run));
    peer = hostPort({ host: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 });
  } else {
    socket = await connectOnce(run);
    peer = hostPort(run.address);
  }
  let channel: Duplex;
  try {
    let summary: string;
    try {
      ({ channel, summary } = await handshake(run, socket));
    } catch (error) {
      throw channelError(run, 'handshake', peer, error);
    }
    if (run.verbose) process.stderr.write(`hybridkem channel: ${summary}\n`);
    try {
      await carry(channel);
    } catch (error) {
      throw channelError(run, 'channel', peer, error);
    }
  } finally {
    socket.destroy();
    run.key?.privateKey.fill(0);
    // stdin may still be open (the peer failed first): it must not keep the process alive.
    process.stdin.destroy();
  }
  return { stdout: '' };
}
