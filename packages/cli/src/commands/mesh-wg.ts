/**
 * `hybridkem mesh wg`: post-quantum pre-shared keys for a WireGuard mesh
 * (@hybridkem/mesh, spec/MESH.md §10-§13) — validate a topology, run the
 * rotation engine of one node, and ask a running engine to rotate now.
 * @module
 */
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { stringOption, UsageError, type ParsedArgs } from '../args.js';
import type { CommandGroup } from '../command-tree.js';
import type { Command } from '../context.js';
import { CliError, describeError, toJson } from '../output.js';
import { PASSPHRASE_READ_OPTIONS } from '../passphrase.js';
import { fsReason } from '../sealing.js';
import {
  ANCHOR_OPTION,
  AUDIT_LOG_OPTION,
  cleanups,
  connect,
  loadMesh,
  loadNode,
  METRICS_OPTION,
  metricsOption,
  natsUrl,
  NODE_IDENTITY_OPTION,
  nodeCommandOptions,
  openAudit,
  parseCount,
  readDirectory,
  required,
  serveMetrics,
  type Mesh,
} from './mesh-support.js';

const NATS_OPTION = { type: 'string', value: 'URL', description: 'NATS: nats://host:port[,host:port…] (directory and PSK messages)' } as const;
const CONTROL_OPTION = { type: 'string', value: 'SOCKET', description: "the engine's control socket (a Unix socket, mode 0600)" } as const;
/** A control request or reply is one short JSON line. */
const MAX_CONTROL_LINE = 4096;

const booleanOption = (args: ParsedArgs, name: string): boolean => args.values[name] === true;

function logLine(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

type Topology = ReturnType<Mesh['parseTopology']>;

/** Reads and parses a topology file (JSON or YAML by extension, or --format). */
async function readTopology(mesh: Mesh, command: string, path: string, format: string | undefined): Promise<Topology> {
  const fmt = format ?? (/\.ya?ml$/i.test(path) ? 'yaml' : /\.json$/i.test(path) ? 'json' : undefined);
  if (fmt !== 'json' && fmt !== 'yaml') {
    throw new UsageError(`${command}: cannot tell the format of ${path} from its name: give --format json or --format yaml`);
  }
  let text: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CliError(`${command}: ${path}: not a regular file`);
    if (st.size > mesh.MAX_TOPOLOGY_BYTES) throw new CliError(`${command}: ${path}: ${st.size} bytes, above the topology limit of ${mesh.MAX_TOPOLOGY_BYTES}`);
    text = await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${command}: ${path}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  try {
    return mesh.parseTopology(new Uint8Array(text), { format: fmt });
  } catch (error) {
    throw new CliError(`${command}: ${path}: ${describeError(error)}`, { cause: error });
  }
}

const validate: Command = {
  spec: {
    name: 'validate',
    summary: 'check a WireGuard mesh topology (JSON or YAML) and list its pairs',
    usage: ['hybridkem mesh wg validate TOPOLOGY [--format json|yaml] [--json]'],
    positionals: ['TOPOLOGY'],
    description: [
      'Reads a mesh description (nodes, tiers, which tiers may peer, endpoints, allowed IPs; spec/MESH.md',
      '§13) and reports every problem with its path and reason: unknown node, asymmetric peering,',
      'duplicate public key or address, overlapping allowed IPs, a pair forbidden by its tiers, and the',
      'structural ones. Exit status 0 and the pairs that will exchange PSKs when it is valid, 1 when not.',
    ].join('\n'),
    options: { format: { type: 'string', value: 'json|yaml', description: 'the file format (default: from the file name)' } },
    examples: ['hybridkem mesh wg validate mesh.yaml'],
  },
  async run(args) {
    const command = 'mesh wg validate';
    const path = args.positionals[0]!;
    const mesh = await loadMesh();
    let topology: Topology;
    try {
      topology = await readTopology(mesh, command, path, stringOption(args, 'format'));
    } catch (error) {
      const problems = (error as { cause?: { problems?: readonly { reason: string; path: string; detail: string }[] } }).cause?.problems;
      if (error instanceof CliError && problems !== undefined) {
        const list = problems.map((p) => ({ reason: p.reason, path: p.path, detail: p.detail }));
        if (args.common.json) return { stdout: toJson({ valid: false, problems: list }), exitCode: 1 };
        return { stdout: `${path}: invalid\n${list.map((p) => `  ${p.path || 'topology'}: ${p.detail} [${p.reason}]`).join('\n')}\n`, exitCode: 1 };
      }
      throw error;
    }
    const problems = mesh.validateTopology(topology);
    if (problems.length > 0) {
      const list = problems.map((p) => ({ reason: p.reason, path: p.path, detail: p.detail }));
      if (args.common.json) return { stdout: toJson({ valid: false, problems: list }), exitCode: 1 };
      return { stdout: `${path}: invalid (${list.length} problem${list.length === 1 ? '' : 's'})\n${list.map((p) => `  ${p.path || 'topology'}: ${p.detail} [${p.reason}]`).join('\n')}\n`, exitCode: 1 };
    }
    const pairs = mesh.pairsOf(topology).map(([a, b]) => `${a},${b}`);
    const nodes = Object.keys(topology.nodes).length;
    if (args.common.json) return { stdout: toJson({ valid: true, nodes, pairs }) };
    return { stdout: `${path}: valid: ${nodes} node${nodes === 1 ? '' : 's'}, ${pairs.length} pair${pairs.length === 1 ? '' : 's'}\n${pairs.map((p) => `  ${p}\n`).join('')}` };
  },
};

/** A control request: rotate one pair or every pair of a node. */
interface ControlRequest {
  pair?: [string, string];
  node?: string;
  revokeRevision?: number;
  reason?: 'emergency' | 'manual';
}

function parseControlRequest(line: string): ControlRequest {
  const v = JSON.parse(line) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object');
  const o = v as Record<string, unknown>;
  const out: ControlRequest = {};
  if (o.pair !== undefined) {
    if (!Array.isArray(o.pair) || o.pair.length !== 2 || !o.pair.every((x) => typeof x === 'string')) throw new Error('pair: expected two node names');
    out.pair = [o.pair[0] as string, o.pair[1] as string];
  }
  if (o.node !== undefined) {
    if (typeof o.node !== 'string') throw new Error('node: expected a node name');
    out.node = o.node;
  }
  if ((out.pair === undefined) === (out.node === undefined)) throw new Error('give exactly one of pair and node');
  if (o.revokeRevision !== undefined) {
    if (typeof o.revokeRevision !== 'number' || !Number.isSafeInteger(o.revokeRevision) || o.revokeRevision < 0) throw new Error('revokeRevision: expected a non-negative integer');
    out.revokeRevision = o.revokeRevision;
  }
  if (o.reason !== undefined) {
    if (o.reason !== 'emergency' && o.reason !== 'manual') throw new Error("reason: expected 'emergency' or 'manual'");
    out.reason = o.reason;
  }
  return out;
}

const run: Command = {
  spec: {
    name: 'run',
    summary: "run one node's PSK rotation engine, applying each PSK to its WireGuard interface",
    usage: [
      'hybridkem mesh wg run --identity DIR --anchor DIR|FILE --topology FILE --nats URL --iface IFACE',
      '                      [--netns NS] [--interval SECONDS] [--jitter SECONDS] [--timeout SECONDS]',
      '                      [--control SOCKET] [--metrics HOST:PORT] [--audit-log FILE] [--dry-run]',
      '                      [passphrase options]',
    ],
    description: [
      "Loads the node identity, the topology (validated; this node's pairs) and the directory from NATS",
      '(every record verified against the trust anchor, later records followed). For each pair, the lower',
      'name initiates a PSK exchange every --interval seconds (default 120) plus up to --jitter (default a',
      'tenth); both sides derive the PSK from two hybrid KEM encapsulations (spec/MESH.md §10) and apply it',
      'with `wg set IFACE peer PUB preshared-key FILE` (a 0600 file, removed after; inside --netns NS',
      'through `ip netns exec`). --dry-run prints each wg command instead of running it (the PSK file shown',
      'as a placeholder). A lost message times out (--timeout, default 5) and the epoch is retried.',
      '--control SOCKET listens for `hybridkem mesh wg rotate --now`. Every rotation is logged on stderr',
      "(pair, epoch, role, reason; never a key) and, with --audit-log, appended to the node's signed audit",
      'log. --metrics serves Prometheus metrics (GET /metrics): rotations applied by reason, epochs aborted',
      'by cause, PSK messages refused by reason (hybridkem_mesh_wg_*, spec/MESH.md §11.5).',
      'SIGTERM or SIGINT stops it (exit 0) once an epoch in flight has ended (applied, or its --timeout).',
    ].join('\n'),
    options: {
      identity: NODE_IDENTITY_OPTION,
      anchor: ANCHOR_OPTION,
      topology: { type: 'string', value: 'FILE', description: 'the mesh topology (JSON or YAML)' },
      nats: NATS_OPTION,
      iface: { type: 'string', value: 'IFACE', description: 'the WireGuard interface whose peers get the PSKs' },
      netns: { type: 'string', value: 'NS', description: 'run wg inside this network namespace' },
      interval: { type: 'string', value: 'SECONDS', description: 'rotation interval (default 120, at least 1)' },
      jitter: { type: 'string', value: 'SECONDS', description: 'random extra delay per rotation (default a tenth of the interval)' },
      timeout: { type: 'string', value: 'SECONDS', description: 'how long an initiation waits for its response (default 5)' },
      control: CONTROL_OPTION,
      metrics: METRICS_OPTION,
      'audit-log': AUDIT_LOG_OPTION,
      'dry-run': { type: 'boolean', description: 'print the wg commands instead of running them' },
      ...PASSPHRASE_READ_OPTIONS,
    },
    examples: [
      'hybridkem mesh wg run --identity node-a --anchor anchor/signing.pub --topology mesh.yaml --nats nats://127.0.0.1:4222 --iface wg0',
      'hybridkem mesh wg run ... --interval 5 --dry-run',
      'hybridkem mesh wg run ... --metrics 127.0.0.1:9466',
    ],
  },
  async run(args, ctx) {
    const command = 'mesh wg run';
    const node = nodeCommandOptions(args, command);
    const topologyPath = required(args, command, 'topology', 'FILE');
    const url = natsUrl(args, command);
    const iface = required(args, command, 'iface', 'IFACE');
    const netns = stringOption(args, 'netns');
    const seconds = (flag: string, fallback: number, min: number) => {
      const v = stringOption(args, flag);
      return v === undefined ? fallback : parseCount(command, flag, v, min, 86_400) * 1000;
    };
    const intervalMs = seconds('interval', 120_000, 1);
    const jitterMs = seconds('jitter', Math.floor(intervalMs / 10), 0);
    const timeoutMs = seconds('timeout', 5_000, 1);
    const controlPath = stringOption(args, 'control');
    const metricsAt = metricsOption(args, command);
    const auditPath = stringOption(args, 'audit-log');
    const dryRun = booleanOption(args, 'dry-run');

    const mesh = await loadMesh();
    const topology = await readTopology(mesh, command, topologyPath, undefined);
    let pairs: readonly (readonly [string, string])[];
    try {
      pairs = mesh.pairsOf(topology);
    } catch (error) {
      throw new CliError(`${command}: --topology ${topologyPath}: ${describeError(error)}`, { cause: error });
    }
    const { anchor, crypto, identity } = await loadNode(mesh, args, ctx, command, node);
    const me = identity.name;
    if (topology.nodes[me] === undefined) {
      mesh.wipeIdentity(identity);
      throw new CliError(`${command}: node "${me}" is not in the topology ${topologyPath}`);
    }
    const mine = pairs.filter((p) => p.includes(me));
    const allowed = new Set(pairs.map(([a, b]) => `${a},${b}`));

    const teardown = cleanups();
    try {
      const distribution = await connect(mesh, command, url, `wg-${me}`);
      teardown.push(() => distribution.close());
      const { directory, refused } = await readDirectory(mesh, distribution, crypto, anchor);
      for (const r of refused) logLine(`directory record ${r.role}.${r.name} refused: ${r.reason}`);
      const watch = await distribution.directory.watch((entry) => {
        try {
          directory.add(entry.bytes);
        } catch (error) {
          logLine(`directory record ${entry.role}.${entry.name} refused: ${describeError(error)}`);
        }
      });
      teardown.push(() => watch.stop());
      const channel = await mesh.connectNatsPskChannel(mesh.parseNatsUrl(url), { connectionName: `hybridkem-wg-${me}` });
      teardown.push(() => channel.close());
      const audit = auditPath === undefined ? undefined : await openAudit(mesh, command, auditPath, crypto, identity);
      if (audit) teardown.push(async () => void (await audit.close()));
      // Rotations and aborts are counted by the engine, refused PSK messages by the exchange: one registry.
      const metrics = metricsAt === undefined ? undefined : mesh.createWgMetrics();
      const exchange = mesh.createPskExchange({
        crypto,
        node: { name: me, kemPublicKey: identity.kem!.publicKey, kemPrivateKey: identity.kem!.privateKey, signingPublicKey: identity.signing.publicKey, signingPrivateKey: identity.signing.privateKey },
        directory,
        isPairAllowed: (a, b) => allowed.has(a < b ? `${a},${b}` : `${b},${a}`),
        ...(metrics ? { metrics } : {}),
      });
      teardown.push(async () => exchange.destroy());
      mesh.wipeIdentity(identity); // the exchange and the audit log hold their own copies
      const control = mesh.createWireGuardControl({
        dryRun,
        ...(netns === undefined ? {} : { runner: mesh.netnsRunner(netns) }),
        print: (line) => logLine(`dry run: ${line}`),
      });
      const engine = mesh.createRotationEngine({
        exchange,
        directory,
        channel,
        pairs: mine,
        peerPublicKey: (name) => topology.nodes[name]!.publicKey,
        applier: { apply: async (peerPublicKey, psk) => void (await control.applyPresharedKey(iface, peerPublicKey, psk)) },
        ...(audit ? { audit } : {}),
        ...(metrics ? { metrics } : {}),
        intervalMs,
        jitterMs,
        timeoutMs,
        onEvent: (e) => {
          if (e.type === 'applied') logLine(`rotated ${e.pair} epoch ${e.epoch} (${e.role}, ${e.reason})`);
          else if (e.type === 'aborted') logLine(`aborted ${e.pair} epoch ${e.epoch} (${e.cause}): ${e.detail}; retrying`);
          else if (e.type === 'refused') logLine(`refused a PSK message from ${e.sender ?? '?'}: ${e.reason}`);
          else if (e.type === 'error') logLine(`error: ${e.detail}`);
        },
      });
      // Served before the engine starts, so the first rotation is counted where it can be scraped.
      if (metricsAt !== undefined && metrics !== undefined) await serveMetrics(command, metricsAt, metrics.registry, teardown, logLine);
      await engine.start();
      teardown.push(() => engine.stop());

      let server: Server | undefined;
      if (controlPath !== undefined) {
        await rm(controlPath, { force: true }).catch(() => undefined);
        server = createServer((socket) => {
          let buffered = '';
          socket.setEncoding('utf8');
          socket.on('error', () => undefined);
          socket.on('data', (chunk: string) => {
            buffered += chunk;
            if (buffered.length > MAX_CONTROL_LINE) return void socket.end(`${JSON.stringify({ ok: false, error: 'request too long' })}\n`);
            const nl = buffered.indexOf('\n');
            if (nl < 0) return;
            let request: ControlRequest;
            try {
              request = parseControlRequest(buffered.slice(0, nl));
            } catch (error) {
              return void socket.end(`${JSON.stringify({ ok: false, error: (error as Error).message })}\n`);
            }
            const target = request.pair !== undefined ? { pair: request.pair } : { node: request.node!, ...(request.revokeRevision === undefined ? {} : { revokeRevision: request.revokeRevision }) };
            engine.rotateNow(target, request.reason ?? 'emergency').then(
              () => {
                logLine(`rotate now: ${request.pair ? `pair ${request.pair.join(',')}` : `node ${request.node}`} (${request.reason ?? 'emergency'})`);
                socket.end(`${JSON.stringify({ ok: true, node: me, status: engine.status() })}\n`);
              },
              (error: unknown) => socket.end(`${JSON.stringify({ ok: false, error: describeError(error) })}\n`),
            );
          });
        });
        const srv = server;
        // Only this user may ask for rotations: the socket is created under umask 0177 (mode 0600).
        const umask = process.umask(0o177);
        try {
          await new Promise<void>((resolve, reject) => {
            srv.once('error', (error) => reject(new CliError(`${command}: --control ${controlPath}: ${fsReason(error)}`, { cause: error })));
            srv.listen(controlPath, () => resolve());
          });
        } finally {
          process.umask(umask);
        }
        await chmod(controlPath, 0o600);
        teardown.push(async () => {
          await new Promise<void>((resolve) => srv.close(() => resolve()));
          await rm(controlPath, { force: true });
        });
      }
      logLine(
        `node ${me} rotating ${mine.length} pair${mine.length === 1 ? '' : 's'} on ${iface}${netns ? ` (netns ${netns})` : ''} every ${intervalMs / 1000} s${dryRun ? ' (dry run)' : ''}${controlPath ? `; control ${controlPath}` : ''}`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      const applied = engine.status();
      await teardown.run();
      logLine(`stopped: ${applied.map((s) => `${s.pair} epoch ${s.appliedEpoch}`).join(', ') || 'no pairs'}`);
      return { stdout: '' };
    } finally {
      mesh.wipeIdentity(identity);
      await teardown.run();
    }
  },
};

const rotate: Command = {
  spec: {
    name: 'rotate',
    summary: 'ask a running `mesh wg run` to rotate now: one pair, or every pair of a node (emergency)',
    usage: ['hybridkem mesh wg rotate --now --control SOCKET (--pair A,B | --node N [--revoke-revision R]) [--manual] [--json]'],
    description: [
      'Sends one request to the engine listening on SOCKET (its --control) and prints its answer. --pair',
      'rotates that pair at once; --node N rotates every pair of N this engine initiates and, for another',
      "node than the engine's own, refuses N's directory records up to --revoke-revision (default: the",
      'revision it holds now) until a newer one arrives: the emergency for a compromised node (spec/MESH.md',
      '§11.3; run it on every node that peers with N, and have the anchor publish N\'s new record).',
      'The rotation is audited as emergency, or manual with --manual. Only the owner of the socket can ask.',
    ].join('\n'),
    options: {
      now: { type: 'boolean', description: 'rotate now (required: the only mode)' },
      control: CONTROL_OPTION,
      pair: { type: 'string', value: 'A,B', description: 'the pair to rotate' },
      node: { type: 'string', value: 'N', description: 'rotate every pair of this node' },
      'revoke-revision': { type: 'string', value: 'R', description: "with --node: refuse N's records up to this revision" },
      manual: { type: 'boolean', description: 'a planned rotation, not an emergency' },
    },
    examples: ['hybridkem mesh wg rotate --now --control /run/hybridkem-wg.sock --node node-c --revoke-revision 1'],
  },
  async run(args) {
    const command = 'mesh wg rotate';
    if (!booleanOption(args, 'now')) throw new UsageError(`${command}: --now is required`);
    const socketPath = required(args, command, 'control', 'SOCKET');
    const pair = stringOption(args, 'pair');
    const node = stringOption(args, 'node');
    if ((pair === undefined) === (node === undefined)) throw new UsageError(`${command}: give exactly one of --pair A,B and --node N`);
    const revoke = stringOption(args, 'revoke-revision');
    if (revoke !== undefined && node === undefined) throw new UsageError(`${command}: --revoke-revision goes with --node`);
    const request: ControlRequest = { reason: booleanOption(args, 'manual') ? 'manual' : 'emergency' };
    if (pair !== undefined) {
      const parts = pair.split(',');
      if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9-]{1,64}$/.test(p))) throw new UsageError(`${command}: --pair: expected two node names A,B`);
      request.pair = [parts[0]!, parts[1]!];
    } else {
      if (!/^[a-z0-9-]{1,64}$/.test(node!)) throw new UsageError(`${command}: --node: expected a node name`);
      request.node = node!;
      if (revoke !== undefined) request.revokeRevision = parseCount(command, 'revoke-revision', revoke, 0, Number.MAX_SAFE_INTEGER);
    }
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(socketPath);
      let data = '';
      socket.setEncoding('utf8');
      socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
      socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
      socket.on('data', (d: string) => {
        data += d;
        if (data.length > 1 << 20) socket.destroy(new Error('answer too long'));
      });
      socket.on('end', () => resolve(data));
      socket.on('error', (error) => reject(new CliError(`${command}: --control ${socketPath}: ${fsReason(error)}`, { cause: error })));
    });
    let answer: { ok?: boolean; error?: string; node?: string; status?: { pair: string; appliedEpoch: number; pendingEpoch?: number }[] };
    try {
      answer = JSON.parse(reply.trim()) as typeof answer;
    } catch {
      throw new CliError(`${command}: the engine at ${socketPath} gave no answer`);
    }
    if (answer.ok !== true) throw new CliError(`${command}: refused: ${answer.error ?? 'unknown error'}`);
    if (args.common.json) return { stdout: toJson(answer) };
    const what = pair !== undefined ? `pair ${pair}` : `node ${node}`;
    return {
      stdout: `${answer.node}: rotating ${what} now (${request.reason})\n${(answer.status ?? []).map((s) => `  ${s.pair}: epoch ${s.appliedEpoch}${s.pendingEpoch ? `, epoch ${s.pendingEpoch} in flight` : ''}`).join('\n')}\n`,
    };
  },
};

export const meshWgGroup: CommandGroup = {
  spec: {
    name: 'wg',
    summary: 'post-quantum WireGuard pre-shared keys: validate a topology, run the rotation engine, rotate now',
    description: [
      'Each pair of a WireGuard mesh gets a pre-shared key derived from two hybrid KEM exchanges, signed by',
      'the nodes and checked against the anchor-signed directory, rotated on a schedule and on demand',
      '(spec/MESH.md §10-§13).',
    ].join('\n'),
  },
  subcommands: [validate, run, rotate],
};
