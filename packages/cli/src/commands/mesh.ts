/**
 * `hybridkem mesh`: signed, sealed key envelopes (@hybridkem/mesh,
 * spec/MESH.md) from the command line — identities (trust anchor, issuer,
 * nodes; private keys always passphrase-encrypted), enrolment in the
 * anchor-signed directory, publishing a key to nodes, the node agent, and
 * the state of a node store or of the directory. Separate invocations share
 * state only through NATS JetStream (--nats URL).
 * @module
 */
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stringOption, UsageError } from '../args.js';
import type { CommandGroup } from '../command-tree.js';
import type { Command } from '../context.js';
import { CliError, describeError, toJson } from '../output.js';
import { PASSPHRASE_READ_OPTIONS, passphraseSource } from '../passphrase.js';
import { fsReason } from '../sealing.js';
import { meshWgGroup } from './mesh-wg.js';
import {
  ANCHOR_OPTION,
  AUDIT_LOG_OPTION,
  anchorPublicKey,
  cleanups,
  connect,
  identityOf,
  loadMesh,
  loadNode,
  MESH_SUITES_TEXT,
  meshCrypto,
  METRICS_OPTION,
  metricsOption,
  natsUrl,
  NODE_IDENTITY_OPTION,
  nodeCommandOptions,
  openAudit,
  parseCount,
  parseNodeList,
  publicIdentityOf,
  readDirectory,
  recordSummary,
  required,
  serveMetrics,
  shown,
  table,
} from './mesh-support.js';

const ROLES = Object.freeze(['anchor', 'issuer', 'node'] as const);
const MAX_U53 = Number.MAX_SAFE_INTEGER;
/** The largest key an envelope carries (spec/MESH.md §2: 1..8192 bytes). */
const MAX_KEY_BYTES = 8192;
/** A journal larger than this is not read by `mesh state` (the store compacts at 1 MiB by default). */
const MAX_JOURNAL_READ = 64 * 1024 * 1024;

const NATS_OPTION = { type: 'string', value: 'URL', description: 'NATS JetStream: nats://host:port[,host:port…]' } as const;

const create: Command = {
  spec: {
    name: 'create',
    summary: 'make a trust anchor, issuer or node identity (keys encrypted with a passphrase)',
    usage: ['hybridkem mesh create ROLE NAME --dir DIR [--passphrase-file FILE | --passphrase-env NAME] [--force] [--json]'],
    description: [
      'ROLE is anchor, issuer or node; NAME 1-64 characters of a-z, 0-9 and -. Writes the identity to DIR:',
      'identity.json, signing.pub and signing.key (a composite signing key pair), and for a node also',
      'kem.pub and kem.key (a hybrid KEM key pair envelopes are sealed to). Private keys are always',
      'encrypted (HYBRIDKEM ENCRYPTED PRIVATE KEY, Argon2id) under the passphrase from --passphrase-file,',
      '--passphrase-env, or asked twice on the terminal.',
      `Suites: ${MESH_SUITES_TEXT}.`,
    ].join('\n'),
    options: {
      dir: { type: 'string', value: 'DIR', description: 'the identity directory to write (created mode 0700)' },
      force: { type: 'boolean', description: 'replace an identity already in DIR' },
      ...PASSPHRASE_READ_OPTIONS,
    },
    positionals: ['ROLE', 'NAME'],
    positionalChoices: ROLES,
    examples: [
      'hybridkem mesh create anchor root --dir anchor',
      'hybridkem mesh create issuer issuer-1 --dir issuer --passphrase-env ISSUER_PASSPHRASE',
      'hybridkem mesh create node node-a --dir node-a --passphrase-file node-a.pass',
    ],
  },
  async run(args, ctx) {
    const [role, name] = args.positionals as [string, string];
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`mesh create: ROLE must be one of ${ROLES.join(', ')}, got ${shown(role)}`);
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new UsageError(`mesh create: NAME must be 1-64 characters of a-z, 0-9 and -, got ${shown(name)}`);
    const dir = required(args, 'mesh create', 'dir', 'DIR');
    const mesh = await loadMesh();
    const crypto = await meshCrypto(ctx);
    const passphrase = await passphraseSource(args, 'mesh create').get(`the new ${role} identity in ${dir}`, true);
    const identity = mesh.generateIdentity({ crypto, role: role as (typeof ROLES)[number], name });
    try {
      await mesh.saveIdentity(dir, identity, { passphrase, overwrite: args.values.force === true });
    } catch (error) {
      if (error instanceof mesh.IdentityError && error.reason === 'exists') {
        throw new CliError(`mesh create: ${dir} already holds an identity (--force replaces it)`, { cause: error });
      }
      throw new CliError(`mesh create: ${dir}: ${describeError(error)}`, { cause: error });
    } finally {
      mesh.wipeIdentity(identity);
    }
    const out = { role, name, dir, signingKeyId: identity.signingKeyId, ...(identity.kemKeyId ? { kemKeyId: identity.kemKeyId } : {}) };
    if (args.common.json) return { stdout: toJson(out) };
    return {
      stdout: [
        `created ${role} ${name} in ${dir}`,
        `signing key id: ${identity.signingKeyId}`,
        ...(identity.kemKeyId ? [`KEM key id: ${identity.kemKeyId}`] : []),
        '',
      ].join('\n'),
    };
  },
};

const enroll: Command = {
  spec: {
    name: 'enroll',
    summary: 'sign a directory record for an issuer or node with the trust anchor and put it in the directory',
    usage: ['hybridkem mesh enroll --anchor DIR --identity DIR --nats URL [--key-names PATTERN] [--revision N] [passphrase options] [--json]'],
    description: [
      "Reads the public keys of the issuer or node identity in --identity, has the anchor (--anchor, its",
      'identity directory; its passphrase from --passphrase-file, --passphrase-env or the terminal) sign',
      'a directory record for them, and puts it in the directory (the NATS KV bucket). An issuer needs',
      '--key-names: "*" (any key), a key name, or a prefix ending in "*" ("svc-*"). The revision is',
      "one above the directory's current record for that name unless --revision is given; nodes keep",
      'the highest revision they have verified, so an older record cannot be brought back.',
    ].join('\n'),
    options: {
      anchor: { type: 'string', value: 'DIR', description: "the trust anchor's identity directory (its private key signs)" },
      identity: { type: 'string', value: 'DIR', description: 'the issuer or node to enroll (only its public keys are read)' },
      nats: NATS_OPTION,
      'key-names': { type: 'string', value: 'PATTERN', description: 'for an issuer: the key names it may issue ("*", a name, or a prefix ending in "*")' },
      revision: { type: 'string', value: 'N', description: 'the record revision (default: one above the current record, or 1)' },
      ...PASSPHRASE_READ_OPTIONS,
    },
    examples: [
      'hybridkem mesh enroll --anchor anchor --identity issuer --key-names "svc-*" --nats nats://127.0.0.1:4222',
      'hybridkem mesh enroll --anchor anchor --identity node-a --nats nats://127.0.0.1:4222',
    ],
  },
  async run(args, ctx) {
    const command = 'mesh enroll';
    const anchorDir = required(args, command, 'anchor', 'DIR');
    const subjectDir = required(args, command, 'identity', 'DIR');
    const url = natsUrl(args, command);
    const pattern = stringOption(args, 'key-names');
    const revisionText = stringOption(args, 'revision');
    const explicitRevision = revisionText === undefined ? undefined : parseCount(command, 'revision', revisionText, 1, MAX_U53);
    const mesh = await loadMesh();
    const subject = await publicIdentityOf(mesh, command, 'identity', subjectDir);
    if (subject.role === 'anchor') throw new UsageError(`${command}: --identity ${subjectDir} is a trust anchor; enroll issuers and nodes`);
    if (subject.role === 'issuer' && pattern === undefined) throw new UsageError(`${command}: an issuer needs --key-names PATTERN ("*", a key name, or a prefix ending in "*")`);
    if (subject.role === 'node' && pattern !== undefined) throw new UsageError(`${command}: --key-names is for issuers; ${subject.name} is a node`);
    if (pattern !== undefined && !mesh.isValidKeyNamePattern(pattern)) {
      throw new UsageError(`${command}: --key-names: ${shown(pattern)} is not "*", a key name, or a key name prefix ending in "*"`);
    }
    const crypto = await meshCrypto(ctx);
    const anchor = await identityOf(mesh, args, command, 'anchor', anchorDir, crypto, 'anchor');
    let distribution;
    try {
      distribution = await connect(mesh, command, url, 'enroll');
      let revision = explicitRevision;
      if (revision === undefined) {
        const current = await distribution.directory.get(subject.role, subject.name);
        revision = current === undefined ? 1 : mesh.decodeDirectoryRecord(current.bytes).revision + 1;
      }
      const record = mesh.createDirectoryRecord({
        crypto,
        anchorPrivateKey: anchor.signing.privateKey,
        anchorPublicKey: anchor.signing.publicKey,
        role: subject.role,
        name: subject.name,
        revision,
        issuedAt: Date.now(),
        ...(subject.kemPublicKey !== undefined && subject.role === 'node' ? { kemPublicKey: subject.kemPublicKey } : {}),
        signingPublicKey: subject.signingPublicKey,
        ...(pattern !== undefined ? { keyNamePattern: pattern } : {}),
      });
      await distribution.directory.put(subject.role, subject.name, record);
      const summary = recordSummary(mesh.decodeDirectoryRecord(record));
      if (args.common.json) return { stdout: toJson({ ...summary, anchorKeyId: anchor.signingKeyId }) };
      return { stdout: `enrolled ${subject.role} ${subject.name} (revision ${revision}, signed by anchor ${anchor.signingKeyId})\n` };
    } finally {
      mesh.wipeIdentity(anchor);
      await distribution?.close();
    }
  },
};

async function readKeyFile(command: string, path: string): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new CliError(`${command}: --key-file ${path}: not a regular file`);
      if (st.size < 1 || st.size > MAX_KEY_BYTES) throw new CliError(`${command}: --key-file ${path}: ${st.size} bytes, a key is 1 to ${MAX_KEY_BYTES} bytes`);
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${command}: --key-file ${path}: cannot read: ${fsReason(error)}`, { cause: error });
  }
}

const publish: Command = {
  spec: {
    name: 'publish',
    summary: 'seal a key to nodes, sign the envelopes as the issuer and publish them',
    usage: [
      'hybridkem mesh publish --issuer DIR --anchor DIR|FILE --nats URL --to NODE[,NODE…] --key-name NAME --version N',
      '                       --key-file FILE [--lifetime MS] [--audit-log FILE] [passphrase options] [--json]',
    ],
    description: [
      "Reads the directory, keeps the records that verify against the trust anchor, and checks that the",
      'issuer is enrolled for --key-name and every node in --to is. Then, for each node, seals the bytes',
      "of --key-file (1-8192 bytes) to the node's KEM key with the envelope header as AAD, signs the",
      "envelope with the issuer's key (its passphrase from --passphrase-file, --passphrase-env or the",
      "terminal) and publishes it on the node's subject; a publish is acknowledged once JetStream stored",
      'it. --version must be above the version the nodes hold for the key name (they refuse a rollback).',
      'Envelopes expire after --lifetime ms (default 900000, the nodes\' default window). Prints the',
      'envelope ids, never the key. --audit-log appends an "issue" event per envelope to a signed,',
      "hash-chained audit log signed with the issuer's key (spec/MESH.md §8).",
    ].join('\n'),
    options: {
      issuer: { type: 'string', value: 'DIR', description: "the issuer's identity directory" },
      anchor: ANCHOR_OPTION,
      nats: NATS_OPTION,
      to: { type: 'string', value: 'NODE,…', description: 'the nodes to send the key to, comma-separated' },
      'key-name': { type: 'string', value: 'NAME', description: 'the key name: letters, digits, _ - and . (1-128)' },
      version: { type: 'string', value: 'N', description: 'the key version, 1 to 2^53-1, above what the nodes hold' },
      'key-file': { type: 'string', value: 'FILE', description: 'the key to deliver: the raw bytes of FILE (1-8192)' },
      lifetime: { type: 'string', value: 'MS', description: 'envelope lifetime in milliseconds (default 900000)' },
      'audit-log': AUDIT_LOG_OPTION,
      ...PASSPHRASE_READ_OPTIONS,
    },
    examples: [
      'hybridkem mesh publish --issuer issuer --anchor anchor/signing.pub --nats nats://127.0.0.1:4222 --to node-a,node-b --key-name svc-db --version 1 --key-file db.key',
    ],
  },
  async run(args, ctx) {
    const command = 'mesh publish';
    const issuerDir = required(args, command, 'issuer', 'DIR');
    const anchorPath = required(args, command, 'anchor', 'DIR|FILE');
    const url = natsUrl(args, command);
    const nodes = parseNodeList(command, required(args, command, 'to', 'NODE,…'));
    const keyName = required(args, command, 'key-name', 'NAME');
    const version = parseCount(command, 'version', required(args, command, 'version', 'N'), 1, MAX_U53);
    const keyPath = required(args, command, 'key-file', 'FILE');
    const lifetimeText = stringOption(args, 'lifetime');
    const lifetimeMs = lifetimeText === undefined ? undefined : parseCount(command, 'lifetime', lifetimeText, 1, 2 ** 31);
    const auditPath = stringOption(args, 'audit-log');
    const mesh = await loadMesh();
    if (!mesh.isValidKeyName(keyName)) {
      throw new UsageError(`${command}: --key-name: ${shown(keyName)} is not a key name (1-128 of A-Z a-z 0-9 _ - and ., no leading, trailing or double dot)`);
    }
    const anchor = await anchorPublicKey(mesh, command, anchorPath);
    const key = await readKeyFile(command, keyPath);
    const crypto = await meshCrypto(ctx);
    let identity;
    let distribution;
    let audit;
    try {
      identity = await identityOf(mesh, args, command, 'issuer', issuerDir, crypto, 'issuer');
      if (auditPath !== undefined) audit = await openAudit(mesh, command, auditPath, crypto, identity);
      distribution = await connect(mesh, command, url, 'publish');
      const { directory } = await readDirectory(mesh, distribution, crypto, anchor);
      const own = directory.issuerByKeyId(identity.signingKeyId);
      if (own === undefined) throw new CliError(`${command}: issuer ${identity.name} is not enrolled: no record for its key in the directory verifies against the anchor`);
      if (!mesh.patternCovers(own.keyNamePattern, keyName)) {
        throw new CliError(`${command}: issuer ${identity.name} may issue ${shown(own.keyNamePattern)}, not ${shown(keyName)}`);
      }
      const records = nodes.map((n) => {
        const r = directory.node(n);
        if (r === undefined || r.role !== 'node' || r.kemPublicKey === undefined) {
          throw new CliError(`${command}: node ${n} is not enrolled: no node record of that name verifies against the anchor`);
        }
        return r;
      });
      const issuer = mesh.createIssuer({
        crypto,
        signingPrivateKey: identity.signing.privateKey,
        signingPublicKey: identity.signing.publicKey,
        ...(lifetimeMs !== undefined ? { lifetimeMs } : {}),
        ...(audit ? { audit } : {}),
      });
      const sent: { node: string; envelopeId: string; sequence: number; expiresAt: string }[] = [];
      for (const r of records) {
        const envelope = await issuer.issue({ recipientKemPublicKey: r.kemPublicKey!, keyName, version, key });
        let ack;
        try {
          ack = await distribution.publish(r.name, envelope.bytes, envelope.envelopeId);
        } catch (error) {
          const done = sent.length === 0 ? 'none published' : `published to ${sent.map((s) => s.node).join(', ')}`;
          throw new CliError(`${command}: publishing to ${r.name} failed (${done}): ${describeError(error)}`, { cause: error });
        }
        sent.push({ node: r.name, envelopeId: envelope.envelopeId, sequence: ack.sequence, expiresAt: new Date(envelope.expiresAt).toISOString() });
      }
      if (args.common.json) return { stdout: toJson({ keyName, version, issuerKeyId: issuer.keyId, envelopes: sent }) };
      return {
        stdout: `published ${keyName} v${version} to ${sent.length} node${sent.length === 1 ? '' : 's'}\n${table(
          ['NODE', 'ENVELOPE', 'SEQ', 'EXPIRES'],
          sent.map((s) => [s.node, s.envelopeId, String(s.sequence), s.expiresAt]),
        )}`,
      };
    } finally {
      key.fill(0);
      await audit?.close();
      if (identity) mesh.wipeIdentity(identity);
      await distribution?.close();
    }
  },
};

function logLine(message: string): void {
  process.stderr.write(`hybridkem mesh agent: ${message}\n`);
}

const agent: Command = {
  spec: {
    name: 'agent',
    summary: 'run a node agent: receive, check, commit, apply (write key files) and acknowledge envelopes',
    usage: [
      'hybridkem mesh agent --identity DIR --anchor DIR|FILE --store DIR --nats URL --keys-dir DIR',
      '                     [--metrics HOST:PORT] [--audit-log FILE] [passphrase options]',
    ],
    description: [
      "Loads the node identity (its passphrase from --passphrase-file, --passphrase-env or the terminal),",
      'verifies every directory record against the trust anchor, and takes the envelopes published to',
      'the node one at a time. Each is checked in the order of spec/MESH.md §4 (signature, issuer',
      'authority, recipient, freshness, replay, rollback, decryption) and committed to the node store',
      "(--store, a directory; sealed envelopes only), then its key is written to --keys-dir/KEY-NAME",
      '(mode 0600, atomically) and the envelope acknowledged. A refused envelope is logged with its reason',
      'and dropped. On start the keys of the envelopes already in the store are written again. Logs one',
      'line per event on stderr, never a key. --metrics serves Prometheus metrics (GET /metrics):',
      'envelopes applied, refused by reason, delivery latency. --audit-log appends every delivery, refusal',
      "and rotation to a signed, hash-chained audit log signed with the node's key (spec/MESH.md §8).",
      'SIGTERM or SIGINT stops it (exit 0).',
    ].join('\n'),
    options: {
      identity: NODE_IDENTITY_OPTION,
      anchor: ANCHOR_OPTION,
      store: { type: 'string', value: 'DIR', description: 'the node store directory (created mode 0700; one agent at a time)' },
      nats: NATS_OPTION,
      'keys-dir': { type: 'string', value: 'DIR', description: 'where applied keys are written, one file per key name (mode 0600)' },
      metrics: METRICS_OPTION,
      'audit-log': AUDIT_LOG_OPTION,
      ...PASSPHRASE_READ_OPTIONS,
    },
    examples: [
      'hybridkem mesh agent --identity node-a --anchor anchor/signing.pub --store node-a/store --keys-dir /run/keys --nats nats://127.0.0.1:4222',
    ],
  },
  async run(args, ctx) {
    const command = 'mesh agent';
    const node = nodeCommandOptions(args, command);
    const storeDir = required(args, command, 'store', 'DIR');
    const url = natsUrl(args, command);
    const keysDir = required(args, command, 'keys-dir', 'DIR');
    const metricsAt = metricsOption(args, command);
    const auditPath = stringOption(args, 'audit-log');
    const mesh = await loadMesh();
    const { anchor, crypto, identity } = await loadNode(mesh, args, ctx, command, node);
    const { writeFileAtomic } = await import('@hybridkem/seal/node');

    const teardown = cleanups();
    try {
      try {
        await mkdir(keysDir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new CliError(`${command}: --keys-dir ${keysDir}: ${fsReason(error)}`, { cause: error });
      }
      let store;
      try {
        store = await mesh.openFileNodeStore(storeDir);
      } catch (error) {
        throw new CliError(`${command}: --store ${storeDir}: ${describeError(error)}`, { cause: error });
      }
      const s = store;
      teardown.push(() => s.close());
      const distribution = await connect(mesh, command, url, `agent-${identity.name}`);
      teardown.push(() => distribution.close());
      const metrics = metricsAt === undefined ? undefined : mesh.createMeshMetrics();
      const audit = auditPath === undefined ? undefined : await openAudit(mesh, command, auditPath, crypto, identity);
      if (audit) teardown.push(async () => void (await audit.close()));
      const directory = new mesh.TrustedDirectory({ crypto, anchorPublicKey: anchor });
      const receiver = mesh.createReceiver({
        crypto,
        kemPrivateKey: identity.kem!.privateKey,
        kemPublicKey: identity.kem!.publicKey,
        directory,
        store: s,
        ...(metrics ? { metrics } : {}),
        ...(audit ? { audit } : {}),
      });
      mesh.wipeIdentity(identity); // the receiver and the audit log hold their own copies

      const writeKey = async (keyName: string, key: Uint8Array) => {
        // Key names never start with '.', never hold '/' or '..' (spec/MESH.md §2): a file name in keysDir.
        await writeFileAtomic(join(keysDir, keyName), key, { mode: 0o600, overwrite: true });
      };

      // The keys this node holds already: the latest envelope of each key name, opened again.
      await readDirectory(mesh, distribution, crypto, anchor).then(({ directory: d }) => {
        for (const r of d.records()) directory.add(r.bytes);
      });
      let restored = 0;
      /** The version held per key name, for the audit log's rotation events. */
      const held = new Map<string, number>(s.applied().map((a) => [a.keyName, a.version] as const));
      for (const stored of s.applied()) {
        try {
          const opened = await receiver.reopen(stored.bytes);
          try {
            await writeKey(opened.keyName, opened.key);
            restored++;
          } finally {
            opened.key.fill(0);
          }
        } catch (error) {
          logLine(`could not restore ${stored.keyName} v${stored.version}: ${describeError(error)}`);
        }
      }

      if (metricsAt !== undefined && metrics !== undefined) await serveMetrics(command, metricsAt, metrics.registry, teardown, logLine);

      const running = await mesh.startNodeAgent({
        distribution,
        receiver,
        directory,
        nodeName: identity.name,
        async onApply(applied) {
          await writeKey(applied.keyName, applied.key);
          const previous = held.get(applied.keyName);
          held.set(applied.keyName, applied.version);
          if (previous !== undefined) {
            await audit?.append('rotate', { node: identity.name, keyName: applied.keyName, from: previous, to: applied.version, envelopeId: applied.envelopeId });
          }
          logLine(`applied ${applied.keyName} v${applied.version} (envelope ${applied.envelopeId}) -> ${join(keysDir, applied.keyName)}`);
        },
        onRedelivered: (e) => logLine(`envelope ${e.envelope.envelopeId ?? '?'} was applied before: acknowledged again`),
        onRefuse: (e) => logLine(`refused envelope ${e.envelope.envelopeId ?? '?'}: ${describeError(e)}`),
        onDirectoryRefused: (e, entry) => logLine(`directory record ${entry.role}.${entry.name} refused: ${describeError(e)}`),
        onError: (e) => logLine(`error: ${describeError(e)}`),
      });
      teardown.push(() => running.stop());
      logLine(`node ${identity.name} ready on ${url} (${restored} key${restored === 1 ? '' : 's'} restored from the store)`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      const stats = running.stats();
      await teardown.run();
      const refused = Object.values(stats.refused).reduce((n, v) => n + (v ?? 0), 0);
      logLine(`stopped: ${stats.applied} applied, ${stats.redelivered} redelivered, ${refused} refused`);
      return { stdout: '' };
    } finally {
      mesh.wipeIdentity(identity);
      await teardown.run();
    }
  },
};

interface StoreState {
  keyName: string;
  version: number;
  envelopeId: string;
  issuerKeyId: string;
  issuedAt: string;
  expiresAt: string;
}

const state: Command = {
  spec: {
    name: 'state',
    summary: "show a node store: the key names it holds, their versions and envelopes",
    usage: ['hybridkem mesh state --store DIR [--json]'],
    description: [
      "Reads the node store's journal (spec/MESH.md §5) without taking its lock, so it works while an",
      'agent runs: for each key name the latest version applied, its envelope id, issuer key id and',
      'times, and how many envelope ids the store remembers (replay protection). Envelopes are decoded',
      'structurally; they were checked when they were committed. No key is decrypted.',
    ].join('\n'),
    options: {
      store: { type: 'string', value: 'DIR', description: 'the node store directory' },
    },
    examples: ['hybridkem mesh state --store node-a/store'],
  },
  async run(args) {
    const command = 'mesh state';
    const storeDir = required(args, command, 'store', 'DIR');
    const mesh = await loadMesh();
    const path = join(storeDir, mesh.JOURNAL_FILE);
    let text: string;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new CliError(`${command}: ${path}: not a regular file`);
      if (st.size > MAX_JOURNAL_READ) throw new CliError(`${command}: ${path}: ${st.size} bytes, more than ${MAX_JOURNAL_READ} read`);
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof CliError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${command}: --store ${storeDir}: no node store there (no ${mesh.JOURNAL_FILE})`);
      throw new CliError(`${command}: ${path}: cannot read: ${fsReason(error)}`, { cause: error });
    }
    const lines = text.split('\n');
    // A last line without its newline is a torn write (never committed): left out, as the store does.
    lines.pop();
    const latest = new Map<string, StoreState>();
    const ids = new Set<string>();
    lines.forEach((line, i) => {
      let envelope;
      try {
        const o = JSON.parse(line) as { op?: unknown; env?: unknown; id?: unknown };
        if (o.op === 'seen' && typeof o.id === 'string') {
          ids.add(o.id);
          return;
        }
        if (o.op !== 'apply' || typeof o.env !== 'string') throw new Error('not an apply or seen record');
        envelope = mesh.decodeKeyEnvelope(new Uint8Array(Buffer.from(o.env, 'base64')));
      } catch (error) {
        throw new CliError(`${command}: ${path} line ${i + 1}: ${describeError(error)}`);
      }
      ids.add(envelope.envelopeId);
      const before = latest.get(envelope.keyName);
      if (before === undefined || envelope.version > before.version) {
        latest.set(envelope.keyName, {
          keyName: envelope.keyName,
          version: envelope.version,
          envelopeId: envelope.envelopeId,
          issuerKeyId: envelope.issuerKeyId,
          issuedAt: new Date(envelope.issuedAt).toISOString(),
          expiresAt: new Date(envelope.expiresAt).toISOString(),
        });
      }
    });
    const keys = [...latest.values()].sort((x, y) => (x.keyName < y.keyName ? -1 : x.keyName > y.keyName ? 1 : 0));
    if (args.common.json) return { stdout: toJson({ store: storeDir, keys, envelopeIds: ids.size }) };
    if (keys.length === 0) return { stdout: `${storeDir}: no key applied yet\n` };
    return {
      stdout: `${table(
        ['KEY', 'VERSION', 'ENVELOPE', 'ISSUER', 'ISSUED'],
        keys.map((k) => [k.keyName, String(k.version), k.envelopeId, k.issuerKeyId, k.issuedAt]),
      )}${ids.size} envelope id${ids.size === 1 ? '' : 's'} remembered\n`,
    };
  },
};

const directoryCommand: Command = {
  spec: {
    name: 'directory',
    summary: 'list the directory records (issuers and nodes), verified against the trust anchor',
    usage: ['hybridkem mesh directory --nats URL [--anchor DIR|FILE] [--json]'],
    description: [
      'Lists the current record of every issuer and node in the directory (the NATS KV bucket): role,',
      'name, revision, key ids and, for issuers, the key names they may issue. With --anchor each record',
      'is verified as a node verifies it (anchor signature, both components; revision) and those that',
      'fail are listed as refused with the reason; without it the records are decoded only (unverified).',
    ].join('\n'),
    options: { nats: NATS_OPTION, anchor: ANCHOR_OPTION },
    examples: ['hybridkem mesh directory --nats nats://127.0.0.1:4222 --anchor anchor/signing.pub'],
  },
  async run(args, ctx) {
    const command = 'mesh directory';
    const url = natsUrl(args, command);
    const anchorPath = stringOption(args, 'anchor');
    const mesh = await loadMesh();
    const anchor = anchorPath === undefined ? undefined : await anchorPublicKey(mesh, command, anchorPath);
    const distribution = await connect(mesh, command, url, 'directory');
    try {
      let rows: (Record<string, string | number> & { status: string })[];
      if (anchor !== undefined) {
        const crypto = await meshCrypto(ctx);
        const { directory, refused } = await readDirectory(mesh, distribution, crypto, anchor);
        rows = [
          ...directory.records().map((r) => ({ ...recordSummary(r), status: 'verified' })),
          ...refused.map((r) => ({ role: r.role, name: r.name, status: `refused: ${r.reason}` })),
        ];
      } else {
        rows = [];
        for (const e of await distribution.directory.list()) {
          try {
            rows.push({ ...recordSummary(mesh.decodeDirectoryRecord(e.bytes)), status: 'unverified' });
          } catch (error) {
            rows.push({ role: e.role, name: e.name, status: `malformed: ${describeError(error)}` });
          }
        }
      }
      rows.sort((x, y) => `${x.role}.${x.name}`.localeCompare(`${y.role}.${y.name}`));
      if (args.common.json) return { stdout: toJson({ records: rows }) };
      if (rows.length === 0) return { stdout: 'the directory is empty\n' };
      return {
        stdout: table(
          ['ROLE', 'NAME', 'REV', 'SIGNING KEY', 'KEM KEY', 'KEY NAMES', 'STATUS'],
          rows.map((r) => [
            String(r.role),
            String(r.name),
            String(r.revision ?? '-'),
            String(r.signingKeyId ?? '-'),
            String(r.kemKeyId ?? '-'),
            String(r.keyNames ?? '-'),
            r.status,
          ]),
        ),
      };
    } finally {
      await distribution.close();
    }
  },
};

export const meshGroup: CommandGroup = {
  spec: {
    name: 'mesh',
    summary: 'signed, sealed key envelopes: identities, enrolment, publishing, the node agent, state',
    description: [
      'An issuer seals a key to each node\'s hybrid KEM key and signs the envelope; node agents check it',
      'against a directory signed by the trust anchor and refuse replays, rollbacks and stale envelopes',
      '(spec/MESH.md). Separate commands share state through NATS JetStream (--nats URL).',
      `Suites: ${MESH_SUITES_TEXT}.`,
    ].join('\n'),
  },
  subcommands: [create, enroll, publish, agent, state, directoryCommand, meshWgGroup],
};
