import { open as openFile } from 'node:fs/promises';
import { ARMOR_LABELS, armor, createKem, encodePublicKey, keyId, Kind, WIRE_VERSION, type KindName } from '@hybridkem/core';
import { createSigner, encodeSigningPublicKey } from '@hybridkem/signing';
import { UsageError } from '../args.js';
import type { Context, Command } from '../context.js';
import { isExposed, readAnyFile, readEncryptedKeyFile, type AnyFile } from '../files.js';
import { CliError, hex, toJson, warn, type CommandResult } from '../output.js';
import { dearmorHead, describeSealed, formatChunkSize, SEALED_HEAD_BYTES } from '../sealed-info.js';
import { fsReason } from '../sealing.js';
import { signingKeyId, suiteIdHex } from '../signing.js';

const KIND_TEXT: Readonly<Record<KindName, string>> = {
  publicKey: 'public key',
  privateKey: 'private key',
  ciphertext: 'ciphertext',
  signingPublicKey: 'signing public key',
  signingPrivateKey: 'signing private key',
  signature: 'signature',
  sealedMessage: 'sealed message',
  encryptedPrivateKey: 'encrypted private key',
  multiRecipientSealedMessage: 'multi-recipient sealed message',
  meshKeyEnvelope: 'mesh key envelope',
  meshDirectoryRecord: 'mesh directory record',
  meshPskExchange: 'mesh PSK exchange message',
};

/** The mesh kinds (spec/WIRE-FORMAT.md §2, laid out in spec/MESH.md): recognized, not described here. */
const MESH_KIND_NAMES = ['meshKeyEnvelope', 'meshDirectoryRecord', 'meshPskExchange'] as const satisfies readonly KindName[];
const MESH_KINDS: ReadonlyMap<number, KindName> = new Map(MESH_KIND_NAMES.map((name) => [Kind[name], name]));
/** Armor label (spec/WIRE-FORMAT.md §3) to mesh kind. */
const MESH_LABELS: ReadonlyMap<string, KindName> = new Map(MESH_KIND_NAMES.map((name) => [ARMOR_LABELS[name], name]));

const isPrivate = (kind: KindName): boolean => kind === 'privateKey' || kind === 'signingPrivateKey';

interface Component {
  readonly name: string;
  readonly length: number;
}

/** The two components of the body, when it has two public parts worth naming. */
function componentsOf(file: AnyFile): { first: Component; second: Component } | undefined {
  if (file.family === 'kem') {
    if (file.kind === 'privateKey') return undefined; // a seed, expanded into both
    const { suite, kind } = file;
    // ML-KEM or DHKEM alone (spec/WIRE-FORMAT.md §1.4): one component, nothing to split.
    if (suite.family !== 'hybrid') return undefined;
    return {
      first: { name: suite.mlkem.name, length: suite.mlkem.lengths[kind] },
      second: { name: suite.group.name, length: suite.group.lengths.element },
    };
  }
  const { mldsa, eddsa } = file.suite;
  switch (file.kind) {
    case 'signingPublicKey':
      return { first: { name: mldsa.name, length: mldsa.lengths.publicKey }, second: { name: eddsa.name, length: eddsa.lengths.publicKey } };
    case 'signingPrivateKey':
      return { first: { name: `${mldsa.name} seed`, length: mldsa.lengths.seed }, second: { name: eddsa.name, length: eddsa.lengths.privateKey } };
    case 'signature':
      return { first: { name: mldsa.name, length: mldsa.lengths.signature }, second: { name: eddsa.name, length: eddsa.lengths.signature } };
  }
}

/** The key id of a public key, or of a private key's public key; undefined for other objects. */
async function keyIdOf(file: AnyFile, ctx: Context): Promise<string | undefined> {
  if (file.family === 'kem') {
    if (file.kind === 'publicKey') return keyId(file.encoded);
    if (file.kind === 'privateKey') return keyId(encodePublicKey(file.suite, createKem(file.suite, await ctx.backend()).getPublicKey(file.body)));
    return undefined;
  }
  if (file.kind === 'signingPublicKey') return signingKeyId(file.encoded);
  if (file.kind === 'signingPrivateKey') {
    const signer = createSigner(file.suite, await ctx.signatureBackend());
    return signingKeyId(encodeSigningPublicKey(file.suite, signer.getPublicKey(file.body)));
  }
  return undefined;
}

type Sniffed =
  | { type: 'sealed'; format: 'armored' | 'binary'; head: Uint8Array; size: number }
  | { type: 'encrypted' }
  | { type: 'mesh'; kind: KindName }
  | { type: 'object' };

const SEALED_LABEL = /^\s*-----BEGIN HYBRIDKEM (MULTI-RECIPIENT )?SEALED MESSAGE-----/;
const ENCRYPTED_LABEL = /^\s*-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----/;
const MESH_LABEL = /^\s*-----BEGIN (HYBRIDKEM MESH [A-Z -]+)-----/;

/**
 * Tells by the first bytes what FILE holds: a sealed message (read no
 * further than its header; an armored one is decoded as a stream), an
 * encrypted private key, another v1 object, or not a hybridkem object.
 */
async function sniff(path: string): Promise<Sniffed> {
  let head: Uint8Array;
  let size: number;
  try {
    const handle = await openFile(path, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new CliError(`${path}: not a regular file`);
      size = st.size;
      const buffer = Buffer.alloc(Math.min(size, SEALED_HEAD_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path}: cannot read: ${fsReason(error)}`, { cause: error });
  }
  const text = Buffer.from(head.subarray(0, 2048)).toString('latin1');
  if (SEALED_LABEL.test(text)) {
    try {
      return { type: 'sealed', format: 'armored', ...(await dearmorHead(path)) };
    } catch (error) {
      throw new CliError(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  if (ENCRYPTED_LABEL.test(text)) return { type: 'encrypted' };
  const meshKind = MESH_LABELS.get(MESH_LABEL.exec(text)?.[1] ?? '');
  if (meshKind !== undefined) return { type: 'mesh', kind: meshKind };
  if (/^\s*-----BEGIN HYBRIDKEM /.test(text)) return { type: 'object' };
  if (head[0] !== WIRE_VERSION || head.length < 2) {
    const first = head.length === 0 ? 'is empty' : `starts with byte 0x${head[0]!.toString(16).padStart(2, '0')}`;
    throw new CliError(`${path}: not a hybridkem object (a binary one starts with byte 0x01, an armored one with -----BEGIN HYBRIDKEM; this file ${first})`);
  }
  if (head[1] === Kind.sealedMessage || head[1] === Kind.multiRecipientSealedMessage) return { type: 'sealed', format: 'binary', head, size };
  if (head[1] === Kind.encryptedPrivateKey) return { type: 'encrypted' };
  const mesh = MESH_KINDS.get(head[1]!);
  if (mesh !== undefined) return { type: 'mesh', kind: mesh };
  return { type: 'object' };
}

function inspectSealed(path: string, s: Extract<Sniffed, { type: 'sealed' }>, json: boolean): CommandResult {
  let info;
  try {
    info = describeSealed(s.head, s.size);
  } catch (error) {
    throw new CliError(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (json) {
    return {
      stdout: toJson({
        file: path,
        format: s.format,
        version: 1,
        kind: info.kind,
        kdf: info.kdf,
        aead: info.aead,
        chunkSize: info.chunkSize,
        recipients: info.recipients.map((r) => ({ suite: r.suite, suiteId: r.suiteId, suiteIdHex: suiteIdHex({ id: r.suiteId }), keyId: r.keyId ?? null })),
        keyIdsHidden: info.keyIdsHidden,
        size: info.size,
        headerLength: info.headerLength,
        plaintextLength: info.plaintextLength ?? null,
        chunks: info.chunks ?? null,
      }),
    };
  }
  const rows: [string, string][] = [
    ['file', `${path} (${s.format})`],
    ['version', '1'],
    ['kind', KIND_TEXT[info.kind]],
  ];
  if (info.kind === 'sealedMessage') {
    const r = info.recipients[0]!;
    rows.push(['suite', `${r.suite} (${suiteIdHex({ id: r.suiteId })})`], ['key id', `${r.keyId} (of the recipient's public key)`]);
  } else {
    info.recipients.forEach((r, i) => {
      rows.push([i === 0 ? 'recipients' : '', `${r.suite} (${suiteIdHex({ id: r.suiteId })}), key id ${r.keyId ?? 'hidden'}`]);
    });
  }
  rows.push(['kdf', info.kdf], ['aead', info.aead], ['chunks', `${formatChunkSize(info.chunkSize)} of plaintext each`]);
  const binary = s.format === 'armored' ? ' (binary, once dearmored)' : '';
  rows.push([
    'size',
    info.plaintextLength === undefined
      ? `${info.size} bytes${binary}: too short for one chunk (truncated)`
      : `${info.size} bytes${binary}: header ${info.headerLength}, ${info.chunks} chunk${info.chunks === 1 ? '' : 's'}, plaintext ${info.plaintextLength} bytes if intact`,
  ]);
  return { stdout: formatRows(rows) };
}

async function inspectEncryptedKey(path: string, json: boolean): Promise<CommandResult> {
  const file = await readEncryptedKeyFile(path, path);
  try {
    const { info } = file;
    const kdf = info.kdf.name === 'argon2id' ? `Argon2id (m=${info.kdf.m} KiB, t=${info.kdf.t}, p=${info.kdf.p})` : `scrypt (N=2^${info.kdf.log2N}, r=${info.kdf.r}, p=${info.kdf.p})`;
    if (json) {
      return {
        stdout: toJson({
          file: path,
          format: file.format,
          version: 1,
          kind: 'encryptedPrivateKey',
          wraps: info.wrappedKind,
          suite: info.suite.name,
          suiteId: info.suite.id,
          suiteIdHex: suiteIdHex(info.suite),
          length: file.encoded.length,
          kdf: info.kdf,
          aead: 'ChaCha20-Poly1305',
        }),
      };
    }
    return {
      stdout: formatRows([
        ['file', `${path} (${file.format})`],
        ['version', '1'],
        ['kind', KIND_TEXT.encryptedPrivateKey],
        ['wraps', info.family === 'kem' ? 'KEM private key' : 'signing private key'],
        ['suite', `${info.suite.name} (${suiteIdHex(info.suite)})`],
        ['length', `${file.encoded.length} bytes`],
        ['kdf', kdf],
        ['aead', 'ChaCha20-Poly1305'],
        ['key id', `known once decrypted (${info.family === 'kem' ? 'open or decapsulate' : 'sign'} with the passphrase)`],
      ]),
    };
  } finally {
    file.encoded.fill(0);
  }
}

/** "name:    value" rows; a row with an empty name continues the one above. */
function formatRows(rows: readonly [string, string][]): string {
  const width = Math.max(9, ...rows.map(([k]) => k.length + 2));
  return rows.map(([k, v]) => `${(k === '' ? '' : `${k}:`).padEnd(width)}${v}\n`).join('');
}

export const inspect: Command = {
  spec: {
    name: 'inspect',
    summary: 'decode a wire object (KEM or signing) and describe it',
    usage: ['hybridkem inspect FILE [--json [--reveal]] [--backend NAME]'],
    description: [
      'FILE is any armored or binary wire-format object: KEM keys and ciphertexts, signing keys',
      'and signatures, passphrase-encrypted private keys (suite and KDF; no passphrase needed),',
      'sealed messages of one or several recipients (suite and key id of each recipient, or',
      '"hidden", KDF, AEAD, chunk size, total and plaintext size). A file that is none of these is',
      '"not a hybridkem object". Prints version, kind, suite (name and hex id; the OID for signature',
      'suites), body length with the sizes of its parts, and the key id for keys (for a private',
      'key, the id of its public key). The human output never shows private key bytes; --json',
      'includes the raw body as hex under its kind (publicKey, ciphertext, signingPublicKey,',
      'signature), and under privateKey or signingPrivateKey only with --reveal.',
    ].join('\n'),
    options: {
      reveal: { type: 'boolean', description: 'with --json: include the private key bytes' },
    },
    positionals: ['FILE'],
    examples: [
      'hybridkem inspect alice.pub',
      'hybridkem inspect message.ct --json',
      'hybridkem inspect report.pdf.sig',
      'hybridkem inspect report.pdf.sealed',
    ],
  },

  async run(args, ctx) {
    const reveal = args.values.reveal === true;
    if (reveal && !args.common.json) throw new UsageError('inspect: --reveal only applies with --json');
    const path = args.positionals[0]!;
    const sniffed = await sniff(path);
    if (sniffed.type === 'sealed') return inspectSealed(path, sniffed, args.common.json);
    if (sniffed.type === 'encrypted') return inspectEncryptedKey(path, args.common.json);
    if (sniffed.type === 'mesh') {
      // Its fields are @hybridkem/mesh's to decode and verify; say what it is rather than "wrong kind".
      const byte = `0x${Kind[sniffed.kind].toString(16).padStart(2, '0')}`;
      throw new CliError(`${path}: a ${KIND_TEXT[sniffed.kind]} (kind ${byte}, spec/MESH.md); inspect describes KEM, signing and sealed objects, not mesh objects`);
    }
    const file = await readAnyFile(path, path);
    const { suite, kind, body } = file;
    const secret = isPrivate(kind);
    try {
      if (secret && isExposed(file.mode)) {
        warn(`${path} is accessible by group or others (mode ${file.mode.toString(8).padStart(4, '0')})`);
      }
      const id = await keyIdOf(file, ctx);
      const idHex = suiteIdHex(suite);
      const oid = file.family === 'signing' ? file.suite.oid : undefined;
      const parts = componentsOf(file);

      if (args.common.json) {
        const showBody = !secret || reveal;
        return {
          stdout: toJson({
            file: path,
            format: file.format,
            version: file.version,
            kind,
            suite: suite.name,
            suiteId: suite.id,
            suiteIdHex: idHex,
            ...(oid === undefined ? {} : { oid }),
            length: body.length,
            ...(file.family === 'signing' && parts
              ? { components: { mldsa: parts.first, eddsa: parts.second } }
              : {}),
            ...(id === undefined ? {} : { keyId: id }),
            ...(showBody ? { [kind]: hex(body), encoded: { [kind]: armor(file.encoded) } } : {}),
          }),
        };
      }
      const rows: [string, string][] = [
        ['file', `${path} (${file.format})`],
        ['version', String(file.version)],
        ['kind', KIND_TEXT[kind]],
        ['suite', `${suite.name} (${idHex})`],
      ];
      if (oid !== undefined) rows.push(['oid', oid]);
      rows.push([
        'length',
        `${body.length} bytes${parts ? ` (${parts.first.name} ${parts.first.length} + ${parts.second.name} ${parts.second.length})` : ''}`,
      ]);
      if (id !== undefined) rows.push(['key id', secret ? `${id} (of its public key)` : id]);
      return { stdout: formatRows(rows) };
    } finally {
      if (secret) {
        body.fill(0);
        file.encoded.fill(0);
      }
    }
  },
};
