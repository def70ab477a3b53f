/**
 * WireGuard mesh topology: a description of the nodes, their tiers, which
 * tiers may peer, endpoints and allowed IPs, read from JSON or YAML and
 * validated with every problem reported (spec/MESH.md §13).
 * @module
 */
import { HybridKemError, InvalidArgumentError } from '@hybridkem/core';
import { isMap, isScalar, isSeq, Lexer, parseDocument, type Node as YamlNode } from 'yaml';
import { isStorageTier, isValidRecordName, STORAGE_TIERS, type StorageTier } from '../directory/record.js';
import { cidrContains, cidrLast, formatCidr, formatIp, parseCidr, parseIp, type Cidr } from './cidr.js';
import { findDuplicateJsonMembers } from './json-keys.js';

/** Largest topology text accepted, in UTF-8 bytes, checked before parsing (spec/MESH.md §13.2). */
export const MAX_TOPOLOGY_BYTES = 1_048_576;
/** Most nodes in one topology (§13.1): bounds the derived pairs (n(n−1)/2) and the overlap sweep. */
export const MAX_TOPOLOGY_NODES = 1024;
/** Most tiers in one topology. */
export const MAX_TOPOLOGY_TIERS = 64;
/** Most tunnel addresses of one node. */
export const MAX_NODE_ADDRESSES = 16;
/** Most allowed-IP prefixes of one node. */
export const MAX_NODE_ALLOWED_IPS = 256;
/** Most explicit peerings (pairs, or names listed over all nodes). */
export const MAX_TOPOLOGY_PEERINGS = 65_536;
/** YAML alias resolutions allowed (the yaml package's `maxAliasCount`, weighted by what each alias expands to). */
export const MAX_YAML_ALIAS_COUNT = 100;
/**
 * Deepest YAML nesting accepted, checked on the lexer's tokens before the
 * parser runs (a topology needs 4): the yaml package's parser takes seconds
 * on a megabyte of `[[[[…` or `- - - …`, its lexer a fraction of that.
 */
export const MAX_YAML_NESTING = 16;
/** Most problems reported by one validation; the rest are not looked for. */
export const MAX_TOPOLOGY_PROBLEMS = 100;

/** Why a topology was refused: one stable reason per kind of problem (spec/MESH.md §13.4). */
export const TOPOLOGY_ERROR_REASONS = Object.freeze([
  'too-large',
  'syntax',
  'alias-limit',
  'duplicate-key',
  'schema',
  'unknown-tier',
  'asymmetric-tier-peering',
  'unknown-node',
  'self-peering',
  'duplicate-peering',
  'asymmetric-peering',
  'forbidden-peering',
  'duplicate-public-key',
  'duplicate-address',
  'address-outside-allowed-ips',
  'overlapping-allowed-ips',
  'key-storage-below-tier',
  'insufficient-key-storage',
] as const);
export type TopologyErrorReason = (typeof TOPOLOGY_ERROR_REASONS)[number];

/**
 * A problem in a topology (spec/MESH.md §13.4): `reason` from
 * TOPOLOGY_ERROR_REASONS, `path` into the document (`nodes.db-1.allowedIps[2]`,
 * `peerings[3][1]`; empty for the document itself), `detail` the rest of the
 * message. The message is `PATH: DETAIL`. Thrown by parseTopology and
 * pairsOf with every problem found in `problems` (this error first).
 */
export class TopologyError extends HybridKemError {
  readonly reason: TopologyErrorReason;
  readonly path: string;
  readonly detail: string;
  readonly problems: readonly TopologyError[];
  constructor(reason: TopologyErrorReason, path: string, detail: string, problems?: readonly TopologyError[]) {
    const own = `${path === '' ? 'topology' : path}: ${detail}`;
    const more = problems === undefined || problems.length <= 1 ? '' : ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`;
    super('ERR_INVALID_ARGUMENT', own + more);
    this.name = 'TopologyError';
    this.reason = reason;
    this.path = path;
    this.detail = detail;
    this.problems = Object.freeze(problems === undefined ? [this] : [...problems]);
  }
}

/** A tier: the tiers its nodes may peer with, and the key storage its nodes need. */
export interface TopologyTier {
  /** Tier names (this tier's own name lets its nodes peer with each other). Must be mutual. */
  readonly peers: readonly string[];
  /** The least key-storage tier of its nodes' identity keys (default 'passphrase-file'). */
  readonly keyStorage: StorageTier;
}

/** A node: its WireGuard public key, where it listens, its tunnel addresses and the prefixes routed to it. */
export interface TopologyNode {
  readonly tier: string;
  /** WireGuard public key: base64 of 32 bytes (what `wg pubkey` prints). */
  readonly publicKey: string;
  /** HOST:PORT ([IPv6]:PORT); absent for a node that only dials out. */
  readonly endpoint?: string;
  /** The node's tunnel interface addresses, ADDRESS/PREFIX. */
  readonly addresses: readonly string[];
  /** The prefixes its peers route to it (its WireGuard AllowedIPs on their side), network CIDRs. */
  readonly allowedIps: readonly string[];
  /** A key-storage requirement of this node above its tier's. */
  readonly keyStorage?: StorageTier;
}

/** 'derived' (every pair whose tiers may peer), a list of pairs, or each node's list of peers. */
export type TopologyPeerings = 'derived' | readonly (readonly [string, string])[] | Readonly<Record<string, readonly string[]>>;

/** A mesh description (spec/MESH.md §13.1). Parsed ones are frozen, with defaults filled in. */
export interface Topology {
  readonly version: 1;
  readonly tiers: Readonly<Record<string, TopologyTier>>;
  readonly nodes: Readonly<Record<string, TopologyNode>>;
  readonly peerings: TopologyPeerings;
}

/** A pair of peers, names in ascending order (the pair order of the PSK exchange, §10). */
export type TopologyPair = readonly [string, string];

export interface ParseTopologyOptions {
  readonly format: 'json' | 'yaml';
}

export interface ValidateTopologyOptions {
  /**
   * The key-storage tier of each node's identity, from its anchor-verified
   * directory record (DirectoryRecord.storageTier). Without it the storage
   * requirement is not checked; a node missing from it counts as unknown.
   */
  readonly storageTiers?: ReadonlyMap<string, StorageTier>;
}

type Segment = string | number;

/** Formats a path: names as `.name` (or `["…"]` when not a plain token), indexes as `[i]`. */
export function formatTopologyPath(path: readonly Segment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

class Problems {
  readonly list: TopologyError[] = [];
  add(reason: TopologyErrorReason, path: readonly Segment[], detail: string): void {
    if (this.list.length < MAX_TOPOLOGY_PROBLEMS) this.list.push(new TopologyError(reason, formatTopologyPath(path), detail));
  }
  get full(): boolean {
    return this.list.length >= MAX_TOPOLOGY_PROBLEMS;
  }
}

// ---------------------------------------------------------------- schema

const TIER_FIELDS = ['peers', 'keyStorage'] as const;
const NODE_FIELDS = ['tier', 'publicKey', 'endpoint', 'addresses', 'allowedIps', 'keyStorage'] as const;
const TOP_FIELDS = ['version', 'tiers', 'nodes', 'peerings'] as const;
const NAME_RULE = 'a name of 1 to 64 characters a-z 0-9 - (spec/MESH.md §3)';
const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** A frozen record without a prototype, so that a node or tier named like an Object.prototype member ("constructor") is only itself. */
function dict<T>(entries: Iterable<readonly [string, T]>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries)));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkFields(v: Record<string, unknown>, allowed: readonly string[], required: readonly string[], path: readonly Segment[], p: Problems): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) p.add('schema', [...path, k], `unknown field (expected ${allowed.join(', ')})`);
  for (const k of required) if (!Object.hasOwn(v, k)) p.add('schema', path, `missing field "${k}"`);
}

function readMap(v: unknown, path: readonly Segment[], p: Problems, max: number, what: string): [string, unknown][] | undefined {
  if (!isPlainObject(v)) {
    p.add('schema', path, `expected a mapping of ${what} names to ${what}s, got ${typeName(v)}`);
    return undefined;
  }
  const entries = Object.entries(v);
  if (entries.length > max) {
    p.add('schema', path, `${entries.length} ${what}s, at most ${max}`);
    return undefined;
  }
  const good: [string, unknown][] = [];
  for (const [k, val] of entries) {
    if (isValidRecordName(k)) good.push([k, val]);
    else p.add('schema', [...path, k], `expected ${NAME_RULE} as the ${what} name`);
  }
  return good;
}

function readStringList(v: unknown, path: readonly Segment[], p: Problems, min: number, max: number, check?: (s: string, at: Segment[]) => boolean): string[] | undefined {
  if (!Array.isArray(v)) {
    p.add('schema', path, `expected a list, got ${typeName(v)}`);
    return undefined;
  }
  if (v.length < min || v.length > max) {
    p.add('schema', path, `expected ${min} to ${max} entries, got ${v.length}`);
    return undefined;
  }
  let ok = true;
  v.forEach((s: unknown, i) => {
    if (typeof s !== 'string') {
      p.add('schema', [...path, i], `expected a string, got ${typeName(s)}`);
      ok = false;
    } else if (check !== undefined && !check(s, [...path, i])) ok = false;
  });
  return ok ? (v as string[]) : undefined;
}

function nameCheck(p: Problems, what: string) {
  return (s: string, at: Segment[]): boolean => {
    if (isValidRecordName(s)) return true;
    p.add('schema', at, `expected a ${what} name (${NAME_RULE})`);
    return false;
  };
}

function readStorage(v: unknown, path: readonly Segment[], p: Problems): StorageTier | undefined {
  if (isStorageTier(v)) return v;
  p.add('schema', path, `expected one of ${STORAGE_TIERS.map((t) => `"${t}"`).join(', ')}`);
  return undefined;
}

/** Whether `s` is the canonical base64 of 32 bytes (44 characters ending in "="). */
function isWireGuardKey(s: string): boolean {
  return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(s);
}

/** Whether `s` is HOST:PORT: an IPv4 address or DNS name, or [IPv6]; port 1-65535 in decimal. */
export function isEndpoint(s: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):([1-9][0-9]{0,4})$/.exec(s);
  if (m === null || Number(m[3]) > 65535) return false;
  if (m[1] !== undefined) return parseIp(m[1])?.family === 6;
  const host = m[2]!;
  if (parseIp(host) !== undefined) return true;
  // Not an address: a DNS name (a dotted quad that is not an address, e.g. 300.1.1.1, is refused).
  if (host.length > 253 || /^[0-9.]+$/.test(host)) return false;
  return host.split('.').every((l) => HOSTNAME_LABEL.test(l));
}

function readTier(v: unknown, path: readonly Segment[], p: Problems): TopologyTier | undefined {
  if (!isPlainObject(v)) {
    p.add('schema', path, `expected a mapping, got ${typeName(v)}`);
    return undefined;
  }
  const before = p.list.length;
  checkFields(v, TIER_FIELDS, ['peers'], path, p);
  const peers = Object.hasOwn(v, 'peers') ? readStringList(v.peers, [...path, 'peers'], p, 0, MAX_TOPOLOGY_TIERS, nameCheck(p, 'tier')) : undefined;
  const keyStorage = v.keyStorage === undefined ? 'passphrase-file' : readStorage(v.keyStorage, [...path, 'keyStorage'], p);
  if (p.list.length > before || peers === undefined || keyStorage === undefined) return undefined;
  return Object.freeze({ peers: Object.freeze([...peers]), keyStorage });
}

function readNode(v: unknown, path: readonly Segment[], p: Problems): TopologyNode | undefined {
  if (!isPlainObject(v)) {
    p.add('schema', path, `expected a mapping, got ${typeName(v)}`);
    return undefined;
  }
  const before = p.list.length;
  checkFields(v, NODE_FIELDS, ['tier', 'publicKey', 'addresses', 'allowedIps'], path, p);
  if (v.tier !== undefined && !(typeof v.tier === 'string' && isValidRecordName(v.tier))) p.add('schema', [...path, 'tier'], `expected a tier name (${NAME_RULE})`);
  if (v.publicKey !== undefined && !(typeof v.publicKey === 'string' && isWireGuardKey(v.publicKey))) {
    p.add('schema', [...path, 'publicKey'], 'expected a WireGuard public key: the base64 of 32 bytes, 44 characters (as `wg pubkey` prints)');
  }
  if (v.endpoint !== undefined && !(typeof v.endpoint === 'string' && isEndpoint(v.endpoint))) {
    p.add('schema', [...path, 'endpoint'], 'expected HOST:PORT (an IPv4 address or DNS name, or [IPv6 address]; port 1-65535)');
  }
  if (v.addresses !== undefined) {
    readStringList(v.addresses, [...path, 'addresses'], p, 1, MAX_NODE_ADDRESSES, (s, at) => {
      if (parseCidr(s) !== undefined) return true;
      p.add('schema', at, `"${s}" is not ADDRESS/PREFIX (IPv4 or IPv6)`);
      return false;
    });
  }
  if (v.allowedIps !== undefined) {
    readStringList(v.allowedIps, [...path, 'allowedIps'], p, 1, MAX_NODE_ALLOWED_IPS, (s, at) => {
      const c = parseCidr(s);
      if (c === undefined) p.add('schema', at, `"${s}" is not NETWORK/PREFIX (IPv4 or IPv6)`);
      else if (c.address !== c.network) p.add('schema', at, `"${s}" has host bits set (the network is ${formatCidr(c)})`);
      return c !== undefined && c.address === c.network;
    });
  }
  if (v.keyStorage !== undefined) readStorage(v.keyStorage, [...path, 'keyStorage'], p);
  if (p.list.length > before) return undefined;
  const node: TopologyNode = {
    tier: v.tier as string,
    publicKey: v.publicKey as string,
    ...(v.endpoint === undefined ? {} : { endpoint: v.endpoint as string }),
    addresses: Object.freeze([...(v.addresses as string[])]),
    allowedIps: Object.freeze([...(v.allowedIps as string[])]),
    ...(v.keyStorage === undefined ? {} : { keyStorage: v.keyStorage as StorageTier }),
  };
  return Object.freeze(node);
}

function readPeerings(v: unknown, p: Problems): TopologyPeerings | undefined {
  const path = ['peerings'];
  if (v === 'derived') return 'derived';
  const before = p.list.length;
  if (Array.isArray(v)) {
    if (v.length > MAX_TOPOLOGY_PEERINGS) {
      p.add('schema', path, `${v.length} pairs, at most ${MAX_TOPOLOGY_PEERINGS}`);
      return undefined;
    }
    v.forEach((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) p.add('schema', ['peerings', i], `expected a pair of node names [A, B], got ${Array.isArray(pair) ? `a list of ${pair.length}` : typeName(pair)}`);
      else readStringList(pair, ['peerings', i], p, 2, 2, nameCheck(p, 'node'));
    });
    if (p.list.length > before) return undefined;
    return Object.freeze(v.map((pair: [string, string]) => Object.freeze([pair[0], pair[1]] as const)));
  }
  if (isPlainObject(v)) {
    const entries = readMap(v, path, p, MAX_TOPOLOGY_NODES, 'node');
    let total = 0;
    for (const [name, list] of entries ?? []) {
      const l = readStringList(list, ['peerings', name], p, 0, MAX_TOPOLOGY_NODES, nameCheck(p, 'node'));
      total += l?.length ?? 0;
    }
    if (total > MAX_TOPOLOGY_PEERINGS) p.add('schema', path, `${total} peer names listed, at most ${MAX_TOPOLOGY_PEERINGS}`);
    if (p.list.length > before || entries === undefined) return undefined;
    return dict(entries.map(([k, l]) => [k, Object.freeze([...(l as string[])])] as const));
  }
  p.add('schema', path, `expected "derived", a list of pairs, or a mapping of node names to peer lists, got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`);
  return undefined;
}

/** Checks the document's shape and types (§13.1); a Topology when there is no problem. */
function readTopology(v: unknown, p: Problems): Topology | undefined {
  if (!isPlainObject(v)) {
    p.add('schema', [], `expected a mapping, got ${typeName(v)}`);
    return undefined;
  }
  const before = p.list.length;
  checkFields(v, TOP_FIELDS, TOP_FIELDS, [], p);
  if (Object.hasOwn(v, 'version') && v.version !== 1) p.add('schema', ['version'], `unsupported version ${JSON.stringify(v.version) ?? typeName(v.version)} (expected 1)`);
  const tiers: [string, TopologyTier | undefined][] = [];
  if (Object.hasOwn(v, 'tiers')) {
    for (const [name, t] of readMap(v.tiers, ['tiers'], p, MAX_TOPOLOGY_TIERS, 'tier') ?? []) tiers.push([name, readTier(t, ['tiers', name], p)]);
  }
  const nodes: [string, TopologyNode | undefined][] = [];
  if (Object.hasOwn(v, 'nodes')) {
    for (const [name, n] of readMap(v.nodes, ['nodes'], p, MAX_TOPOLOGY_NODES, 'node') ?? []) nodes.push([name, readNode(n, ['nodes', name], p)]);
  }
  const peerings = Object.hasOwn(v, 'peerings') ? readPeerings(v.peerings, p) : undefined;
  if (p.list.length > before || peerings === undefined) return undefined;
  return Object.freeze({
    version: 1,
    tiers: dict(tiers as [string, TopologyTier][]),
    nodes: dict(nodes as [string, TopologyNode][]),
    peerings,
  });
}

// ---------------------------------------------------------------- text

function yamlDuplicates(node: YamlNode | null | undefined, path: Segment[], p: Problems): void {
  if (p.full) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (seen.has(key)) p.add('duplicate-key', [...path, key], `"${key}" appears twice in this mapping`);
      seen.add(key);
      yamlDuplicates(pair.value as YamlNode, [...path, key], p);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => yamlDuplicates(item as YamlNode, [...path, i], p));
  }
}

function parseText(text: string, format: 'json' | 'yaml', p: Problems): unknown {
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      p.add('syntax', [], `not JSON: ${(e as Error).message}`);
      return undefined;
    }
    for (const d of findDuplicateJsonMembers(text)) p.add('duplicate-key', d.path, `"${d.name}" appears twice in this mapping`);
    return value;
  }
  let flow = 0;
  let block = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow--;
    else if (token === '-' || token === '?') block++;
    else if (token === '\n' || token === '\r\n') block = 0;
    if (flow + block > MAX_YAML_NESTING) {
      p.add('syntax', [], `YAML nested more than ${MAX_YAML_NESTING} levels (a topology needs 4)`);
      return undefined;
    }
  }
  let doc;
  try {
    doc = parseDocument(text, { version: '1.2', schema: 'core', merge: false, uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (e) {
    p.add('syntax', [], `not YAML: ${(e as Error).message}`);
    return undefined;
  }
  if (doc.errors.length > 0) {
    // The first error only: after it the parser's recovery reports consequences, not causes.
    p.add('syntax', [], `not YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    return undefined;
  }
  yamlDuplicates(doc.contents, [], p);
  if (p.list.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /Excessive alias count/.test(e.message)) {
      p.add('alias-limit', [], `YAML aliases expand beyond the limit of ${MAX_YAML_ALIAS_COUNT} (an alias expansion attack, or a document to write without anchors)`);
    } else {
      p.add('syntax', [], `not YAML: ${(e as Error).message}`);
    }
    return undefined;
  }
}

function throwProblems(p: Problems): never {
  const [first] = p.list;
  throw new TopologyError(first!.reason, first!.path, first!.detail, p.list);
}

/**
 * Reads a topology from JSON or YAML text (or its UTF-8 bytes), checking the
 * size before parsing, refusing duplicate keys and YAML alias expansion
 * beyond MAX_YAML_ALIAS_COUNT, then the schema (spec/MESH.md §13.1-§13.2).
 * Throws a TopologyError with every problem found in `problems`. The
 * cross-checks between nodes, tiers and peerings are validateTopology's.
 */
export function parseTopology(text: string | Uint8Array, options: ParseTopologyOptions): Topology {
  const format = options?.format;
  if (format !== 'json' && format !== 'yaml') throw new InvalidArgumentError('format', 'expected "json" or "yaml"');
  const p = new Problems();
  // A UTF-16 string has at most as many code units as its UTF-8 form has bytes, so the length is a cheap first bound.
  const size = typeof text === 'string' ? (text.length > MAX_TOPOLOGY_BYTES ? text.length : Buffer.byteLength(text, 'utf8')) : text.length;
  if (size > MAX_TOPOLOGY_BYTES) {
    p.add('too-large', [], `${typeof text === 'string' && text.length > MAX_TOPOLOGY_BYTES ? 'at least ' : ''}${size} bytes, at most ${MAX_TOPOLOGY_BYTES}`);
    throwProblems(p);
  }
  let source: string;
  if (typeof text === 'string') source = text;
  else {
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      p.add('syntax', [], 'not UTF-8 text');
      throwProblems(p);
    }
  }
  const value = parseText(source, format, p);
  if (p.list.length > 0) throwProblems(p);
  const topology = readTopology(value, p);
  if (topology === undefined) throwProblems(p);
  return topology;
}

// ---------------------------------------------------------------- validation

function storageRank(t: StorageTier): number {
  return STORAGE_TIERS.indexOf(t);
}

function tiersMayPeer(t: Topology, a: string, b: string): boolean {
  const ta = t.tiers[a];
  const tb = t.tiers[b];
  return ta !== undefined && tb !== undefined && ta.peers.includes(b) && tb.peers.includes(a);
}

function checkPair(t: Topology, a: string, b: string, path: readonly Segment[], p: Problems): void {
  const na = t.nodes[a]!;
  const nb = t.nodes[b]!;
  if (Object.hasOwn(t.tiers, na.tier) && Object.hasOwn(t.tiers, nb.tier) && !tiersMayPeer(t, na.tier, nb.tier)) {
    p.add('forbidden-peering', path, `tier "${na.tier}" of node "${a}" may not peer with tier "${nb.tier}" of node "${b}"`);
  }
}

function checkPeerings(t: Topology, p: Problems): void {
  const known = (name: string): boolean => Object.hasOwn(t.nodes, name);
  const peerings = t.peerings;
  if (peerings === 'derived') return;
  if (Array.isArray(peerings)) {
    const seen = new Map<string, number>();
    (peerings as readonly TopologyPair[]).forEach(([a, b], i) => {
      let ok = true;
      for (const [k, name] of [a, b].entries()) {
        if (!known(name)) {
          p.add('unknown-node', ['peerings', i, k], `node "${name}" is not defined`);
          ok = false;
        }
      }
      if (a === b) {
        p.add('self-peering', ['peerings', i], `node "${a}" cannot peer with itself`);
        return;
      }
      const key = a < b ? `${a} ${b}` : `${b} ${a}`;
      const first = seen.get(key);
      if (first !== undefined) {
        p.add('duplicate-peering', ['peerings', i], `the pair "${a}", "${b}" is already peerings[${first}]`);
        return;
      }
      seen.set(key, i);
      if (ok) checkPair(t, a, b, ['peerings', i], p);
    });
    return;
  }
  const lists = peerings as Readonly<Record<string, readonly string[]>>;
  for (const [name, peers] of Object.entries(lists)) {
    if (!known(name)) p.add('unknown-node', ['peerings', name], `node "${name}" is not defined`);
    const seen = new Map<string, number>();
    peers.forEach((peer, i) => {
      const at = ['peerings', name, i];
      if (!known(peer)) p.add('unknown-node', at, `node "${peer}" is not defined`);
      else if (peer === name) p.add('self-peering', at, `node "${name}" cannot peer with itself`);
      else if (seen.has(peer)) p.add('duplicate-peering', at, `"${peer}" is already peerings.${name}[${seen.get(peer)}]`);
      else if (!(lists[peer] ?? []).includes(name)) {
        p.add('asymmetric-peering', at, `node "${name}" lists "${peer}" but peerings.${peer} does not list "${name}"`);
      } else if (known(name) && name < peer) checkPair(t, name, peer, at, p);
      if (!seen.has(peer)) seen.set(peer, i);
    });
  }
}

interface Placed {
  readonly cidr: Cidr;
  readonly node: string;
  readonly index: number;
  readonly last: bigint;
}

/**
 * Reports every pair of allowed-IP prefixes of different nodes that share an
 * address. Two prefixes either nest or are disjoint, so after sorting by
 * (family, first address, prefix length) the prefixes still open at a given
 * one form a chain, each holding the next: a stack.
 */
function checkOverlaps(t: Topology, p: Problems): void {
  const all: Placed[] = [];
  for (const [node, n] of Object.entries(t.nodes)) {
    n.allowedIps.forEach((s, index) => {
      const cidr = parseCidr(s)!;
      all.push({ cidr, node, index, last: cidrLast(cidr) });
    });
  }
  all.sort((x, y) => x.cidr.family - y.cidr.family || (x.cidr.network < y.cidr.network ? -1 : x.cidr.network > y.cidr.network ? 1 : 0) || x.cidr.prefix - y.cidr.prefix);
  const found: [Placed, Placed][] = [];
  const stack: Placed[] = [];
  for (const cur of all) {
    while (stack.length > 0 && (stack.at(-1)!.cidr.family !== cur.cidr.family || stack.at(-1)!.last < cur.cidr.network)) stack.pop();
    for (const open of stack) if (open.node !== cur.node) found.push([open, cur]);
    if (found.length > MAX_TOPOLOGY_PROBLEMS) break;
    stack.push(cur);
  }
  // Report at the later of the two in document order, naming the earlier.
  const order = new Map(Object.keys(t.nodes).map((k, i) => [k, i]));
  const rank = (x: Placed): number => order.get(x.node)! * MAX_NODE_ALLOWED_IPS + x.index;
  for (const [a, b] of found.map(([x, y]) => (rank(x) < rank(y) ? [x, y] : [y, x]) as [Placed, Placed]).sort((x, y) => rank(x[1]) - rank(y[1]) || rank(x[0]) - rank(y[0]))) {
    p.add(
      'overlapping-allowed-ips',
      ['nodes', b.node, 'allowedIps', b.index],
      `${formatCidr(b.cidr)} overlaps ${formatCidr(a.cidr)} of node "${a.node}" (nodes.${a.node}.allowedIps[${a.index}])`,
    );
  }
}

/**
 * Validates a topology (spec/MESH.md §13.3): the schema again (so a topology
 * built in code is checked alike), then tiers, peerings, public keys,
 * addresses, allowed-IP overlaps and, given `storageTiers`, key storage.
 * Returns every problem found (at most MAX_TOPOLOGY_PROBLEMS), in the order
 * of those checks; an empty list means the topology is valid.
 */
export function validateTopology(topology: Topology, options: ValidateTopologyOptions = {}): readonly TopologyError[] {
  return validate(topology, options).problems;
}

function validate(topology: Topology, options: ValidateTopologyOptions): { t: Topology | undefined; problems: readonly TopologyError[] } {
  const storageTiers = options.storageTiers;
  if (storageTiers !== undefined) {
    if (!(storageTiers instanceof Map)) throw new InvalidArgumentError('storageTiers', 'expected a Map of node names to key-storage tiers');
    for (const [name, tier] of storageTiers) {
      if (!isStorageTier(tier)) throw new InvalidArgumentError('storageTiers', `node "${String(name)}": expected one of ${STORAGE_TIERS.join(', ')}`);
    }
  }
  const p = new Problems();
  const t = readTopology(topology, p);
  if (t === undefined) return { t, problems: Object.freeze(p.list) };

  for (const [name, tier] of Object.entries(t.tiers)) {
    tier.peers.forEach((other, i) => {
      const at = ['tiers', name, 'peers', i];
      const o = t.tiers[other];
      if (o === undefined) p.add('unknown-tier', at, `tier "${other}" is not defined`);
      else if (!o.peers.includes(name)) p.add('asymmetric-tier-peering', at, `tier "${name}" lists "${other}" but tiers.${other}.peers does not list "${name}"`);
    });
  }
  for (const [name, node] of Object.entries(t.nodes)) {
    const tier = t.tiers[node.tier];
    if (tier === undefined) p.add('unknown-tier', ['nodes', name, 'tier'], `tier "${node.tier}" is not defined`);
    else if (node.keyStorage !== undefined && storageRank(node.keyStorage) < storageRank(tier.keyStorage)) {
      p.add('key-storage-below-tier', ['nodes', name, 'keyStorage'], `"${node.keyStorage}" is below "${tier.keyStorage}", which tier "${node.tier}" requires`);
    }
  }
  checkPeerings(t, p);

  const keys = new Map<string, string>();
  for (const [name, node] of Object.entries(t.nodes)) {
    const first = keys.get(node.publicKey);
    if (first !== undefined) p.add('duplicate-public-key', ['nodes', name, 'publicKey'], `same public key as node "${first}"`);
    else keys.set(node.publicKey, name);
  }
  const addresses = new Map<string, string>();
  for (const [name, node] of Object.entries(t.nodes)) {
    node.addresses.forEach((s, i) => {
      const c = parseCidr(s)!;
      const host = formatIp(c.family, c.address);
      const at = ['nodes', name, 'addresses', i];
      const first = addresses.get(host);
      if (first !== undefined) p.add('duplicate-address', at, `address ${host} is also ${first}`);
      else addresses.set(host, formatTopologyPath(at));
      const hostCidr = parseCidr(`${host}/${c.family === 4 ? 32 : 128}`)!;
      if (!node.allowedIps.some((a) => cidrContains(parseCidr(a)!, hostCidr))) {
        p.add('address-outside-allowed-ips', at, `address ${host} is in none of the node's allowedIps, so its peers would not route it to the node`);
      }
    });
  }
  checkOverlaps(t, p);

  if (storageTiers !== undefined) {
    for (const [name, node] of Object.entries(t.nodes)) {
      const tier = t.tiers[node.tier];
      if (tier === undefined) continue;
      const byNode = node.keyStorage !== undefined && storageRank(node.keyStorage) > storageRank(tier.keyStorage);
      const required = byNode ? node.keyStorage! : tier.keyStorage;
      const by = byNode ? 'the node' : `tier "${node.tier}"`;
      const actual = storageTiers.get(name);
      if (actual === undefined) {
        if (storageRank(required) > 0) p.add('insufficient-key-storage', ['nodes', name], `key storage unknown (no record), "${required}" required by ${by}`);
      } else if (storageRank(actual) < storageRank(required)) {
        p.add('insufficient-key-storage', ['nodes', name], `key storage "${actual}" is below "${required}", required by ${by}`);
      }
    }
  }
  return { t, problems: Object.freeze(p.list) };
}

/**
 * The peer pairs of a valid topology, each as [A, B] with A < B, sorted
 * (spec/MESH.md §13.5): the pairs the rotation engine keeps a PSK for.
 * Throws the TopologyError of validateTopology (without key storage) when
 * the topology is not valid.
 */
export function pairsOf(topology: Topology): readonly TopologyPair[] {
  const { t, problems } = validate(topology, {});
  if (t === undefined || problems.length > 0) {
    const [first] = problems;
    throw new TopologyError(first!.reason, first!.path, first!.detail, problems);
  }
  const pairs = new Map<string, TopologyPair>();
  const add = (x: string, y: string): void => {
    const pair = (x < y ? [x, y] : [y, x]) as [string, string];
    pairs.set(`${pair[0]} ${pair[1]}`, Object.freeze(pair));
  };
  const names = Object.keys(t.nodes);
  const peerings = t.peerings;
  if (peerings === 'derived') {
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = names[i]!;
        const b = names[j]!;
        if (tiersMayPeer(t, t.nodes[a]!.tier, t.nodes[b]!.tier)) add(a, b);
      }
    }
  } else if (Array.isArray(peerings)) {
    for (const [a, b] of peerings as readonly TopologyPair[]) add(a, b);
  } else {
    for (const [a, peers] of Object.entries(peerings as Readonly<Record<string, readonly string[]>>)) for (const b of peers) add(a, b);
  }
  return Object.freeze([...pairs.values()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)));
}
